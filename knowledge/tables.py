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

import difflib
import functools
import itertools
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

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
# The template


@dataclass(frozen=True)
class _RowSpec:
    row: str
    group: str
    columns: tuple[str, ...]
    variant: str = ""  # "2019" / "2021" for rows of one template version only

    @property
    def key(self) -> str:
        return _norm(self.row)


_T3_COLUMNS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
_T4_COLUMNS = tuple(
    f"{group}/{column}"
    for group in ("行政复议", "行政诉讼/未经复议直接起诉", "行政诉讼/复议后起诉")
    for column in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
)
_RESULTS = "三、本年度办理结果"
_OTHER = "（六）其他处理"
_T3_SUBITEMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "（三）不予公开",
        (
            "属于国家秘密",
            "其他法律行政法规禁止公开",
            "危及“三安全一稳定”",
            "保护第三方合法权益",
            "属于三类内部事务信息",
            "属于四类过程性信息",
            "属于行政执法案卷",
            "属于行政查询事项",
        ),
    ),
    ("（四）无法提供", ("本机关不掌握相关政府信息", "没有现成信息需要另行制作", "补正后申请内容仍不明确")),
    (
        "（五）不予处理",
        (
            "信访举报投诉类申请",
            "重复申请",
            "要求提供公开出版物",
            "无正当理由大量反复申请",
            "要求行政机关确认或重新出具已获取信息",
        ),
    ),
)
_T3_OTHER_ITEMS = (
    "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "其他",
)
_T3_SUMMARY = (
    "一、本年新收政府信息公开申请数量",
    "二、上年结转政府信息公开申请数量",
    "（七）总计",
    "四、结转下年度继续办理",
)


def _table3_specs() -> tuple[_RowSpec, ...]:
    def spec(row: str, group: str = "", variant: str = "") -> _RowSpec:
        return _RowSpec(row, group, _T3_COLUMNS, variant)

    rows = [
        spec(_T3_SUMMARY[0]),
        spec(_T3_SUMMARY[1]),
        spec("（一）予以公开", _RESULTS),
        spec("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", _RESULTS),
    ]
    for group, items in _T3_SUBITEMS:
        rows += [spec(f"{n}.{item}", f"{_RESULTS} / {group}") for n, item in enumerate(items, 1)]
    rows.append(spec(_OTHER, _RESULTS, "2019"))
    rows += [
        spec(f"{n}.{item}", f"{_RESULTS} / {_OTHER}", "2021") for n, item in enumerate(_T3_OTHER_ITEMS, 1)
    ]
    rows += [spec(_T3_SUMMARY[2], _RESULTS), spec(_T3_SUMMARY[3])]
    return tuple(rows)


_T3_SPECS = _table3_specs()

_ITEM_1, _ITEM_5, _ITEM_6, _ITEM_8, _ITEM_9 = (f"第二十条第（{n}）项" for n in "一五六八九")
_DECISIONS_2019 = ("上一年项目数量", "本年增/减", "处理决定数量")
_T2_SPECS_2021 = (
    _RowSpec("规章", _ITEM_1, ("本年制发件数", "本年废止件数", "现行有效件数")),
    _RowSpec("行政规范性文件", _ITEM_1, ("本年制发件数", "本年废止件数", "现行有效件数")),
    _RowSpec("行政许可", _ITEM_5, ("本年处理决定数量",)),
    _RowSpec("行政处罚", _ITEM_6, ("本年处理决定数量",)),
    _RowSpec("行政强制", _ITEM_6, ("本年处理决定数量",)),
    _RowSpec("行政事业性收费", _ITEM_8, ("本年收费金额（单位：万元）",)),
)
_T2_SPECS_2019 = (
    _RowSpec("规章", _ITEM_1, ("本年新制作数量", "本年新公开数量", "对外公开总数量")),
    _RowSpec("规范性文件", _ITEM_1, ("本年新制作数量", "本年新公开数量", "对外公开总数量")),
    _RowSpec("行政许可", _ITEM_5, _DECISIONS_2019),
    _RowSpec("其他对外管理服务事项", _ITEM_5, _DECISIONS_2019),
    _RowSpec("行政处罚", _ITEM_6, _DECISIONS_2019),
    _RowSpec("行政强制", _ITEM_6, _DECISIONS_2019),
    _RowSpec("行政事业性收费", _ITEM_8, _DECISIONS_2019[:2]),
    _RowSpec("政府集中采购", _ITEM_9, ("采购项目数量", "采购总金额")),
)
_T2_2019_MARKERS = (
    "本年新制作",
    "本年新公开",
    "对外公开总数",
    "上一年项目数",
    "采购项目数量",
    "政府集中采购",
)

# ---------------------------------------------------------------------------------------------------------
# Normalised fuzzy label comparison

_THRESHOLD = 0.75
_FUZZY_MIN = 6  # labels shorter than this are compared exactly
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+[,.]|\([一二三四五六七八九十]+\)|\d+\.)")


@functools.lru_cache(maxsize=4096)
def _norm(label: str) -> str:
    """Full/half width, 、/. after item numbers, spaces and quotes unified, for comparing labels."""
    text = unicodedata.normalize("NFKC", label)
    text = re.sub(r"(?<=\d)\s*[、,]", ".", text)
    text = text.replace("、", ",")
    return re.sub(r"[\s|/#*“”\"'‘’`]", "", text)


def _tail_ratio(wanted: str, raw: str) -> float:
    """Best similarity of `wanted` with a tail of `raw` of about the same length."""
    best = 0.0
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(wanted)
    for width in range(max(1, len(wanted) - 3), len(wanted) + 4):
        matcher.set_seq1(raw[-width:])
        if matcher.real_quick_ratio() > best and matcher.quick_ratio() > best:
            best = max(best, matcher.ratio())
    return best


def _starts_word(raw: str, tail: int) -> bool:
    """Whether the last `tail` characters of `raw` begin a label (not the end of a longer word)."""
    before = raw[-tail - 1 : -tail] if tail < len(raw) else ""
    return not re.fullmatch(r"[\u4e00-\u9fff]", before)


@functools.lru_cache(maxsize=65536)
def _label_score(key: str, raw: str) -> float:
    """How well a normalised report label `raw` (possibly prefixed by group labels) ends in template `key`.

    Short labels must match exactly; a short label without its numbering ("予以公开") must also start a
    word, so that "其他处理" is not found in "转送其他机关处理".  Long labels may differ in a few characters.
    """
    best = 0.0
    body = _NUMBERING.sub("", key)
    for wanted, numbered in ((key, True), (body, body == key)):
        penalty = 0.0 if numbered else 0.02
        short = len(wanted) < _FUZZY_MIN
        if len(wanted) < 2 or (short and not numbered and not _starts_word(raw, len(wanted))):
            continue
        if raw.endswith(wanted):
            return 1.0 - penalty
        if short:
            continue
        if numbered and wanted in raw:
            best = max(best, 0.85)
        best = max(best, _tail_ratio(wanted, raw) - penalty)
    return best


# ---------------------------------------------------------------------------------------------------------
# Records: a row label and its value tokens, from Markdown rows and from plain text


@dataclass
class _Record:
    label: str
    values: list[str]
    start: int  # where the label starts (or the first value when there is no label)
    value_start: int
    end: int  # end of the last value (end of the line for Markdown rows)
    explicit: bool = False  # Markdown cells: blanks are real cells and no digit run is split


_PAGE_LINE = re.compile(
    r"(?m)^[ \t]*(?:[-—–][ \t]*\d{1,3}[ \t]*[-—–]|第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?)[ \t]*$"
)
_MD_LINE = re.compile(r"(?m)^[ \t]*\|.*\|[ \t]*$")
_MD_SEPARATOR = re.compile(r":?-{2,}:?|-")
_VALUE_CELL = re.compile(r"|[-+−]?\d[\d,]*(?:\.\d+)?\s*(?:万元|元|件|个|%|％)?|[-—–/－]+")
_SENTENCE = re.compile(r"[^。！？；\n]*[。！？；]")
_TABLE_MARKERS = (
    "信息内容",
    "勾稽关系",
    "申请人情况",
    "本年新收政府信息公开申请数量",
    "本年度办理结果",
    "结转下年度继续办理",
    "结果维持",
    "尚未审结",
    "本年处理决定数量",
    "本年制发件数",
)
_TOKEN = re.compile(
    r"(?P<brk>\x00+)"
    r"|(?P<num>(?:(?<=\s)[-−+](?=\d))?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)"  # "3,001", " -2" (本年增/减)
    r"|(?P<txt>(?:(?!(?<=\s)[-−+]\d)[^\d\x00])+)"
)
_ITEM_AFTER = re.compile(r"[.、．][ \t]*[\u4e00-\u9fff“\"]")  # "2." / "2、" opening a sub-item label
_UNIT_AFTER = re.compile(r"\s*[年月日件元次条个人户万%％]")  # a number in prose, not a cell


@dataclass
class _Builder:
    """Collects label text and value tokens from a stream of text tokens."""

    records: list[_Record] = field(default_factory=list)
    label: list[str] = field(default_factory=list)
    values: list[str] = field(default_factory=list)
    label_start: int = -1
    value_start: int = -1
    end: int = -1

    def text(self, chunk: str, pos: int) -> None:
        if chunk.isspace():
            if not self.values:
                self.label.append(chunk)
            return
        if self.values:
            self.flush()
        if self.label_start < 0:
            self.label_start = pos + len(chunk) - len(chunk.lstrip())
        self.label.append(chunk)

    def value(self, token: str, pos: int) -> None:
        if not self.values:
            self.value_start = pos
        self.values.append(token)
        self.end = pos + len(token)

    def flush(self) -> None:
        if self.values:
            start = self.label_start if self.label_start >= 0 else self.value_start
            label = "".join(self.label).strip()
            self.records.append(_Record(label, self.values, start, self.value_start, self.end))
        self.label, self.values, self.label_start = [], [], -1


def _mask(text: str) -> str:
    """Same length as `text`: prose sentences become NUL runs, page numbers become spaces."""
    masked = _PAGE_LINE.sub(lambda m: " " * len(m.group()), text)

    def prose(m: re.Match[str]) -> str:
        sentence = m.group()
        return sentence if any(k in sentence for k in _TABLE_MARKERS) else "\x00" * len(sentence)

    return _SENTENCE.sub(prose, masked)


def _scan_number(builder: _Builder, masked: str, m: re.Match[str], stop: int) -> None:
    token, pos = m.group(), m.start()
    if "." not in token and _ITEM_AFTER.match(masked, m.end(), stop):
        if len(token) > 1:  # "00000002.其他…": the last digit numbers the next label
            builder.value(token[:-1], pos)
        builder.text(token[-1], m.end() - 1)
    elif _UNIT_AFTER.match(masked, m.end(), stop):
        builder.text(token, pos)
    else:
        builder.value(token, pos)


def _scan_text(masked: str, start: int, stop: int, out: list[_Record]) -> None:
    builder = _Builder()
    for m in _TOKEN.finditer(masked, start, stop):
        if m.lastgroup == "brk":
            builder.flush()
        elif m.lastgroup == "txt":
            builder.text(m.group(), m.start())
        else:
            _scan_number(builder, masked, m, stop)
    builder.flush()
    out.extend(builder.records)


def _markdown_record(line: str, start: int) -> _Record | None:
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if all(_MD_SEPARATOR.fullmatch(c) for c in cells if c) and any(cells):
        return None
    first_value = next((i for i, c in enumerate(cells) if _VALUE_CELL.fullmatch(c)), len(cells))
    label, values = " / ".join(cells[:first_value]), cells[first_value:]
    if not values or (not label and not any(values)):
        return None
    return _Record(label, values, start, start, start + len(line), explicit=True)


def _records(text: str) -> list[_Record]:
    masked = _mask(text)
    out: list[_Record] = []
    pos = 0
    for m in _MD_LINE.finditer(text):
        _scan_text(masked, pos, m.start(), out)
        record = _markdown_record(m.group(), m.start())
        if record is not None:
            out.append(record)
        pos = m.end()
    _scan_text(masked, pos, len(text), out)
    return out


# ---------------------------------------------------------------------------------------------------------
# Values: fitting a record to n cells, splitting digit runs

_SPLIT_LIMIT = 64  # more ways to split one row than this: left ambiguous
_COMBINATION_LIMIT = 4096  # more combinations of row splits than this: left ambiguous


def _trimmed(values: Sequence[str], n: int) -> list[str]:
    out = list(values)
    while len(out) > n and out[-1] == "":
        out.pop()
    return out


def _fits(record: _Record, n: int) -> bool:
    values = _trimmed(record.values, n)
    if len(values) == n:
        return True
    splittable = all(v.isdigit() for v in values) and sum(map(len, values)) >= n
    return not record.explicit and len(values) < n and splittable


PrefixCheck = Callable[[Sequence[int]], bool]


def _splits(
    tokens: Sequence[str], n: int, check: PrefixCheck | None, limit: int = 64
) -> list[tuple[str, ...]]:
    """All ways to cut digit tokens into n numbers without leading zeros (token ends are always cuts).

    Stops after limit + 1 results: more than `limit` means "too many to choose from".
    """
    if not tokens or not all(t.isdigit() for t in tokens) or sum(map(len, tokens)) > 40:
        return []
    found: list[tuple[str, ...]] = []

    def walk(index: int, offset: int, parts: list[str]) -> None:
        if len(found) > limit:
            return
        if index == len(tokens):
            if len(parts) == n:
                found.append(tuple(parts))
            return
        rest = tokens[index][offset:]
        later = sum(len(t) for t in tokens[index + 1 :])
        for width in range(1, len(rest) + 1):
            piece = rest[:width]
            needed = n - len(parts) - 1
            if (len(piece) > 1 and piece[0] == "0") or needed < len(tokens) - index - 1:
                break
            if len(rest) - width + later < needed:
                break
            parts.append(piece)
            if check is None or check([int(p) for p in parts]):
                done = width == len(rest)
                walk(index + 1 if done else index, 0 if done else offset + width, parts)
            parts.pop()

    walk(0, 0, [])
    return found


def _group_check(size: int) -> PrefixCheck:
    """Each completed group of `size` numbers: the first size-1 add up to the last."""

    def check(nums: Sequence[int]) -> bool:
        if len(nums) % size:
            return True
        group = nums[-size:]
        return sum(group[:-1]) == group[-1]

    return check


def _options(record: _Record, n: int, check: PrefixCheck | None) -> list[tuple[str, ...]]:
    values = _trimmed(record.values, n)
    if len(values) == n:
        return [tuple(values)]
    if record.explicit or len(values) > n:
        return []
    splits = _splits(values, n, check, _SPLIT_LIMIT)
    return [] if len(splits) > _SPLIT_LIMIT else splits  # too many: left ambiguous


def _raw(record: _Record) -> str:
    return " ".join(record.values)


# ---------------------------------------------------------------------------------------------------------
# Matching records to template rows


def _best_spec(
    raw: str, specs: Sequence[_RowSpec], used: set[int], last: int, fits: Callable[[int], bool]
) -> int | None:
    scored = []
    for i, spec in enumerate(specs):
        if i not in used and (score := _label_score(spec.key, raw)) >= _THRESHOLD:
            scored.append((i <= last, -score, i))  # rows after the last match first, then the best score
    return next((i for _, _, i in sorted(scored) if fits(i)), None)


def _align(records: Sequence[_Record], specs: Sequence[_RowSpec]) -> dict[int, int]:
    """Record index -> spec index, for records whose label is close to a template row."""
    matches: dict[int, int] = {}
    last = -1
    for ri, record in enumerate(records):
        raw = _norm(record.label)
        if not raw:
            continue

        def fits(si: int, record: _Record = record) -> bool:
            return _fits(record, len(specs[si].columns))

        si = _best_spec(raw, specs, set(matches.values()), last, fits)
        if si is not None:
            matches[ri] = last = si
    return matches


def _variant(matched: Iterable[int], specs: Sequence[_RowSpec]) -> str:
    variants = {specs[si].variant for si in matched} - {""}
    return "2019" if variants == {"2019"} else "2021"


def _fill_run(run: list[int], low: int, high: int, leaves: Sequence[int], matches: dict[int, int]) -> None:
    used = set(matches.values())
    missing = [si for si in leaves if low < si < high and si not in used]
    if run and len(missing) == len(run):
        matches.update(zip(run, missing, strict=True))


def _fill_gaps(records: Sequence[_Record], matches: dict[int, int], specs: Sequence[_RowSpec]) -> None:
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
        elif not record.label and _fits(record, len(_T3_COLUMNS)) and len(record.values) >= len(_T3_COLUMNS):
            run.append(ri)
    _fill_run(run, low, len(specs), leaves, matches)


# ---------------------------------------------------------------------------------------------------------
# Table 三


def _as_int(value: str) -> int:
    digits = value.replace(",", "")
    return int(digits) if digits.isdigit() else 0


def _consistency(rows: dict[int, tuple[str, ...]]) -> int:
    """How many column equations hold: 一+二 = （七）+四, and （七） = sum of the result rows."""
    by_label = {_T3_SPECS[si].row: values for si, values in rows.items()}
    leaves = [v for si, v in rows.items() if _T3_SPECS[si].row not in _T3_SUMMARY]
    new, carried, total, carry_on = (by_label.get(label) for label in _T3_SUMMARY)
    score = 0
    for col in range(len(_T3_COLUMNS)):
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
    if math.prod(len(options[si]) for si in open_rows) > _COMBINATION_LIMIT:
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


def _row_cells(table: str, spec: _RowSpec, values: tuple[str, ...] | None, record: _Record) -> list[Cell]:
    if values is None:
        return [Cell(table, spec.row, spec.group, "", _raw(record), ambiguous=True)]
    return [Cell(table, spec.row, spec.group, col, v) for col, v in zip(spec.columns, values, strict=True)]


def _own_label_rows(records: Sequence[_Record], matches: dict[int, int]) -> dict[int, list[Cell]]:
    """Rows inside the table whose label is like nothing in the template keep the report's label."""
    out: dict[int, list[Cell]] = {}
    for ri in range(min(matches, default=0) + 1, max(matches, default=0)):
        record, n = records[ri], len(_T3_COLUMNS)
        values = _trimmed(record.values, n)
        if ri not in matches and record.label and len(values) == n:
            spec = _RowSpec(re.sub(r"\s+", "", record.label), "", _T3_COLUMNS)
            out[ri] = _row_cells("三", spec, tuple(values), record)
    return out


def _table3(records: Sequence[_Record]) -> tuple[list[Cell], list[_Record]]:
    matches = _align(records, _T3_SPECS)
    _fill_gaps(records, matches, _T3_SPECS)
    options = {si: _options(records[ri], len(_T3_COLUMNS), _group_check(7)) for ri, si in matches.items()}
    chosen = _choose(options)
    rows = {ri: _row_cells("三", _T3_SPECS[si], chosen[si], records[ri]) for ri, si in matches.items()}
    rows.update(_own_label_rows(records, matches))
    cells = [cell for ri in sorted(rows) for cell in rows[ri]]
    return cells, [records[ri] for ri in sorted(rows)]


# ---------------------------------------------------------------------------------------------------------
# Table 二


def _table2_specs(text: str) -> tuple[_RowSpec, ...]:
    compact = re.sub(r"\s+", "", text)
    return _T2_SPECS_2019 if any(marker in compact for marker in _T2_2019_MARKERS) else _T2_SPECS_2021


def _table2(records: Sequence[_Record], text: str) -> tuple[list[Cell], list[_Record]]:
    specs = _table2_specs(text)
    matches = _align(records, specs)
    cells: list[Cell] = []
    for ri, si in sorted(matches.items()):
        spec = specs[si]
        options = _options(records[ri], len(spec.columns), None)
        cells += _row_cells("二", spec, options[0] if len(options) == 1 else None, records[ri])
    return cells, [records[ri] for ri in matches]


# ---------------------------------------------------------------------------------------------------------
# Table 四


def _t4_run(records: Sequence[_Record]) -> list[_Record]:
    """The records holding the 15 cells: one row of 15, or consecutive rows adding up to 15."""
    n = len(_T4_COLUMNS)
    with_values = [r for r in records if r.values]
    single = [r for r in with_values if len(_trimmed(r.values, n)) == n]
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


def _table4(records: Sequence[_Record]) -> tuple[list[Cell], list[_Record]]:
    n = len(_T4_COLUMNS)
    run = _t4_run(records)
    if run:
        values = _trimmed([v for r in run for v in r.values], n)
        return [Cell("四", "", "", col, v) for col, v in zip(_T4_COLUMNS, values, strict=True)], run
    runs = [r for r in records if not r.explicit and all(v.isdigit() for v in r.values)]
    for record in runs:
        options = _splits(record.values, n, _group_check(5))
        if len(options) == 1:
            return [Cell("四", "", "", col, v) for col, v in zip(_T4_COLUMNS, options[0], strict=True)], [
                record
            ]
        if sum(map(len, record.values)) >= n:
            return [Cell("四", "", "", "", _raw(record), ambiguous=True)], [record]
    return [], []


# ---------------------------------------------------------------------------------------------------------
# What is left for the prose parser


def _tableish(line: str) -> bool:
    """A line that may belong to a table's head: blank, Markdown, page number, or no sentence punctuation."""
    if not line.strip() or _MD_LINE.fullmatch(line) or _PAGE_LINE.fullmatch(line):
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
        if line.strip() and not _MD_LINE.fullmatch(line) and not _PAGE_LINE.fullmatch(line):
            break
        end = stop + 1
    return min(end, len(text))


def _remaining(text: str, used: Sequence[_Record]) -> str:
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
    records = _records(text)
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
