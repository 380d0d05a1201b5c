"""Read the statistics tables of sections 二/三/四 of a 政府信息公开工作年度报告.

The national template (国办公开办函〔2019〕60号 and 〔2021〕30号) puts three tables into every report:
table 二 (主动公开政府信息情况), table 三 (收到和处理政府信息公开申请情况) and table 四 (行政复议、行政诉讼).
Real reports carry them in several shapes, all handled here with the standard library only:

* Markdown tables (``| 规章 | 0 | 0 | 0 |``), possibly garbled, with blank cells or rows without a label;
* text from a PDF: a row label followed by space-separated numbers, labels and headers wrapped over
  several lines, vertical text one character per line, page numbers (``- 3 -``) in between;
* one long line from a web page, where the cells of a row are run together (``640020470``).

Every row is turned into a list of *records* (label text + value tokens).  Labels are mapped to the
template by a normalised fuzzy comparison; the order of the template breaks ties.  Digit runs are split
into cells only where the template's sums make the split unique; otherwise the raw digits are kept in one
cell marked ``ambiguous``.  No number is ever invented: a row that cannot be read is skipped.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from knowledge.table_records import (
    COMBINATION_LIMIT,
    MD_LINE,
    PAGE_LINE,
    Record,
    fits_cells,
    group_check,
    raw_digits,
    read_records,
    row_options,
    split_values,
    trimmed,
)
from knowledge.table_template import (
    T2_2019_MARKERS,
    T2_SPECS_2019,
    T2_SPECS_2021,
    T3_COLUMNS,
    T3_SPECS,
    T3_SUMMARY,
    T4_COLUMNS,
    THRESHOLD,
    RowSpec,
    label_score,
    norm,
)

__all__ = ["Cell", "Extraction", "extract_tables"]


@dataclass(frozen=True)
class Cell:
    table: str  # "二" | "三" | "四"
    row: str  # canonical row label as printed in the template ("" for the single row of table 四)
    group: str  # the row's group path ("三、本年度办理结果 / （三）不予公开"), the item for table 二, or ""
    column: str  # canonical column label; "" for an ambiguous digit run
    value: str  # as printed: "3001", "96171.6", "" for a blank cell, or the raw digits when ambiguous
    ambiguous: bool = False


@dataclass
class Extraction:
    cells: list[Cell]
    remaining_text: str  # the input with the table parts removed (prose before/after kept, in order)


# ---------------------------------------------------------------------------------------------------------
# Matching records to template rows


def _best_spec(
    raw: str, specs: Sequence[RowSpec], used: set[int], last: int, fits: Callable[[int], bool]
) -> int | None:
    scored = []
    for i, spec in enumerate(specs):
        if i not in used and (score := label_score(spec.key, raw)) >= THRESHOLD:
            scored.append((i <= last, -score, i))  # rows after the last match first, then the best score
    return next((i for _, _, i in sorted(scored) if fits(i)), None)


def _align(records: Sequence[Record], specs: Sequence[RowSpec]) -> dict[int, int]:
    """Record index -> spec index, for records whose label is close to a template row."""
    matches: dict[int, int] = {}
    last = -1
    for ri, record in enumerate(records):
        raw = norm(record.label)
        if not raw:
            continue

        def fits(si: int, record: Record = record) -> bool:
            return fits_cells(record, len(specs[si].columns))

        si = _best_spec(raw, specs, set(matches.values()), last, fits)
        if si is not None:
            matches[ri] = last = si
    return matches


def _variant(matched: Iterable[int], specs: Sequence[RowSpec]) -> str:
    variants = {specs[si].variant for si in matched} - {""}
    return "2019" if variants == {"2019"} else "2021"


def _fill_run(run: list[int], low: int, high: int, leaves: Sequence[int], matches: dict[int, int]) -> None:
    used = set(matches.values())
    missing = [si for si in leaves if low < si < high and si not in used]
    if run and len(missing) == len(run):
        matches.update(zip(run, missing, strict=True))


def _fill_gaps(records: Sequence[Record], matches: dict[int, int], specs: Sequence[RowSpec]) -> None:
    """Rows printed without a label take the template rows missing between their labelled neighbours,
    when the counts agree exactly (garbled conversions put the labels elsewhere)."""
    variant = _variant(matches.values(), specs)
    leaves = [i for i, s in enumerate(specs) if s.variant in ("", variant)]
    run: list[int] = []
    low = -1
    for ri, record in enumerate(records):
        if ri in matches:
            _fill_run(run, low, matches[ri], leaves, matches)
            run, low = [], matches[ri]
        elif not record.label and fits_cells(record, len(T3_COLUMNS)) and len(record.values) >= len(T3_COLUMNS):
            run.append(ri)
    _fill_run(run, low, len(specs), leaves, matches)


# ---------------------------------------------------------------------------------------------------------
# Table 三


def _as_int(value: str) -> int:
    digits = value.replace(",", "")
    return int(digits) if digits.isdigit() else 0


def _consistency(rows: dict[int, tuple[str, ...]]) -> int:
    """How many column equations hold: 一+二 = （七）+四, and （七） = sum of the result rows."""
    by_label = {T3_SPECS[si].row: values for si, values in rows.items()}
    leaves = [v for si, v in rows.items() if T3_SPECS[si].row not in T3_SUMMARY]
    new, carried, total, carry_on = (by_label.get(label) for label in T3_SUMMARY)
    score = 0
    for col in range(len(T3_COLUMNS)):
        if total is not None and leaves:
            score += _as_int(total[col]) == sum(_as_int(v[col]) for v in leaves)
        if new is not None and carried is not None and total is not None and carry_on is not None:
            score += _as_int(new[col]) + _as_int(carried[col]) == _as_int(total[col]) + _as_int(carry_on[col])
    return score


def _choose(options: dict[int, list[tuple[str, ...]]]) -> dict[int, tuple[str, ...] | None]:
    """Pick one split per row; rows with several splits are settled by the column equations."""
    chosen: dict[int, tuple[str, ...] | None] = {
        si: o[0] if len(o) == 1 else None for si, o in options.items()
    }
    fixed = {si: o[0] for si, o in options.items() if len(o) == 1}
    open_rows = [si for si, o in options.items() if len(o) > 1]
    if math.prod(len(options[si]) for si in open_rows) > COMBINATION_LIMIT:
        return chosen  # too many to try: every open row stays ambiguous
    best_score, best = -1, []
    for combo in itertools.product(*(options[si] for si in open_rows)):
        score = _consistency({**fixed, **dict(zip(open_rows, combo, strict=True))})
        if score > best_score:
            best_score, best = score, [combo]
        elif score == best_score:
            best.append(combo)
    for k, si in enumerate(open_rows):
        picks = {combo[k] for combo in best}
        chosen[si] = picks.pop() if len(picks) == 1 else None
    return chosen


def _row_cells(table: str, spec: RowSpec, values: tuple[str, ...] | None, record: Record) -> list[Cell]:
    if values is None:
        return [Cell(table, spec.row, spec.group, "", raw_digits(record), ambiguous=True)]
    return [Cell(table, spec.row, spec.group, col, v) for col, v in zip(spec.columns, values, strict=True)]


def _own_label_rows(records: Sequence[Record], matches: dict[int, int]) -> dict[int, list[Cell]]:
    """Rows inside the table whose label is like nothing in the template keep the report's label."""
    out: dict[int, list[Cell]] = {}
    for ri in range(min(matches, default=0) + 1, max(matches, default=0)):
        record, n = records[ri], len(T3_COLUMNS)
        values = trimmed(record.values, n)
        if ri not in matches and record.label and len(values) == n:
            spec = RowSpec(re.sub(r"\s+", "", record.label), "", T3_COLUMNS)
            out[ri] = _row_cells("三", spec, tuple(values), record)
    return out


def _table3(records: Sequence[Record]) -> tuple[list[Cell], list[Record]]:
    matches = _align(records, T3_SPECS)
    _fill_gaps(records, matches, T3_SPECS)
    options = {si: row_options(records[ri], len(T3_COLUMNS), group_check(7)) for ri, si in matches.items()}
    chosen = _choose(options)
    rows = {ri: _row_cells("三", T3_SPECS[si], chosen[si], records[ri]) for ri, si in matches.items()}
    rows.update(_own_label_rows(records, matches))
    cells = [cell for ri in sorted(rows) for cell in rows[ri]]
    return cells, [records[ri] for ri in sorted(rows)]


# ---------------------------------------------------------------------------------------------------------
# Table 二


def _table2_specs(text: str) -> tuple[RowSpec, ...]:
    compact = re.sub(r"\s+", "", text)
    return T2_SPECS_2019 if any(marker in compact for marker in T2_2019_MARKERS) else T2_SPECS_2021


def _table2(records: Sequence[Record], text: str) -> tuple[list[Cell], list[Record]]:
    specs = _table2_specs(text)
    matches = _align(records, specs)
    cells: list[Cell] = []
    for ri, si in sorted(matches.items()):
        spec = specs[si]
        options = row_options(records[ri], len(spec.columns), None)
        cells += _row_cells("二", spec, options[0] if len(options) == 1 else None, records[ri])
    return cells, [records[ri] for ri in matches]


# ---------------------------------------------------------------------------------------------------------
# Table 四


def _t4_run(records: Sequence[Record]) -> list[Record]:
    """The records holding the 15 cells: one row of 15, or consecutive rows adding up to 15."""
    n = len(T4_COLUMNS)
    with_values = [r for r in records if r.values]
    single = [r for r in with_values if len(trimmed(r.values, n)) == n]
    if single:
        return single[:1]
    for i in range(len(with_values)):
        total = 0
        for j in range(i, len(with_values)):
            total += len(with_values[j].values)
            if total == n:
                return list(with_values[i : j + 1])
            if total > n:
                break
    return []


def _table4(records: Sequence[Record]) -> tuple[list[Cell], list[Record]]:
    n = len(T4_COLUMNS)
    run = _t4_run(records)
    if run:
        values = trimmed([v for r in run for v in r.values], n)
        return [Cell("四", "", "", col, v) for col, v in zip(T4_COLUMNS, values, strict=True)], run
    runs = [r for r in records if not r.explicit and all(v.isdigit() for v in r.values)]
    for record in runs:
        options = split_values(record.values, n, group_check(5))
        if len(options) == 1:
            return [Cell("四", "", "", col, v) for col, v in zip(T4_COLUMNS, options[0], strict=True)], [
                record
            ]
        if sum(map(len, record.values)) >= n:
            return [Cell("四", "", "", "", raw_digits(record), ambiguous=True)], [record]
    return [], []


# ---------------------------------------------------------------------------------------------------------
# What is left for the prose parser


def _tableish(line: str) -> bool:
    """A line that may belong to a table's head: blank, Markdown, page number, or no sentence punctuation."""
    if not line.strip() or MD_LINE.fullmatch(line) or PAGE_LINE.fullmatch(line):
        return True
    return "勾稽" in line or "之和" in line or not re.search(r"[，,。；;！？]", line)


def _table_start(text: str, start: int, value_start: int) -> int:
    while True:  # prose lines at the head of the first label stay with the prose
        newline = text.find("\n", start)
        if newline < 0 or newline >= value_start or _tableish(text[start:newline]):
            break
        start = newline + 1
    line_start = text.rfind("\n", 0, start) + 1
    if text[line_start:start].strip():
        return start
    start = line_start
    while start > 0:  # headings and header lines just above the first row
        previous = text.rfind("\n", 0, start - 1) + 1
        if not _tableish(text[previous : start - 1]):
            break
        start = previous
    return start


def _table_end(text: str, end: int) -> int:
    while end < len(text):
        newline = text.find("\n", end)
        stop = len(text) if newline < 0 else newline
        line = text[end:stop]
        if line.strip() and not MD_LINE.fullmatch(line) and not PAGE_LINE.fullmatch(line):
            break
        end = stop + 1
    return min(end, len(text))


def _remaining(text: str, used: Sequence[Record]) -> str:
    first = min(used, key=lambda r: r.start)
    start = _table_start(text, first.start, first.value_start)
    end = _table_end(text, max(r.end for r in used))
    before, after = text[:start].rstrip(), text[end:].lstrip()
    return f"{before}\n{after}" if before and after else before + after


# ---------------------------------------------------------------------------------------------------------


def extract_tables(section_number: str, text: str) -> Extraction:
    """Read the statistics table of report section 二, 三 or 四.

    section_number is "二", "三" or "四"; text is the raw text of that section (everything after its
    heading up to the next section heading), lines joined with \\n, possibly one long line.
    A section without a table gives no cells and the text unchanged.
    """
    records = read_records(text)
    if section_number == "二":
        cells, used = _table2(records, text)
    elif section_number == "三":
        cells, used = _table3(records)
    elif section_number == "四":
        cells, used = _table4(records)
    else:
        raise ValueError(f"no statistics table in section {section_number!r}")
    if not cells:
        return Extraction([], text)
    return Extraction(cells, _remaining(text, used))
