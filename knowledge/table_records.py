"""Records of a statistics table: each row's label and value tokens, from Markdown rows, PDF text and
digit runs run together on one line, and the splitting of a run into cells by the template's sums."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

# ---------------------------------------------------------------------------------------------------------
# Records: a row label and its value tokens, from Markdown rows and from plain text


@dataclass
class Record:
    label: str
    values: list[str]
    start: int  # where the label starts (or the first value when there is no label)
    value_start: int
    end: int  # end of the last value (end of the line for Markdown rows)
    explicit: bool = False  # Markdown cells: blanks are real cells and no digit run is split


PAGE_LINE = re.compile(
    r"(?m)^[ \t]*(?:[-—–][ \t]*\d{1,3}[ \t]*[-—–]|第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?)[ \t]*$"
)
MD_LINE = re.compile(r"(?m)^[ \t]*\|.*\|[ \t]*$")
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

    records: list[Record] = field(default_factory=list)
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
            self.records.append(Record(label, self.values, start, self.value_start, self.end))
        self.label, self.values, self.label_start = [], [], -1


def _mask(text: str) -> str:
    """Same length as `text`: prose sentences become NUL runs, page numbers become spaces."""
    masked = PAGE_LINE.sub(lambda m: " " * len(m.group()), text)

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


def _scan_text(masked: str, start: int, stop: int, out: list[Record]) -> None:
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


def _markdown_record(line: str, start: int) -> Record | None:
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if all(_MD_SEPARATOR.fullmatch(c) for c in cells if c) and any(cells):
        return None
    first_value = next((i for i, c in enumerate(cells) if _VALUE_CELL.fullmatch(c)), len(cells))
    # Label columns left blank (a merged cell: |  | （三）不予公开 | 1.属于国家秘密 | 0 |) are labels,
    # not blank values: after the first label, the values start at the first figure.
    if first_value < len(cells) and not cells[first_value]:
        figure = next((i for i in range(first_value, len(cells)) if cells[i]), len(cells))
        if figure < len(cells) and not _VALUE_CELL.fullmatch(cells[figure]):
            # |  | （二）部分公开 |  | 7 | …: a row whose label starts in a later column.
            figure = next((i for i in range(figure, len(cells))
                           if cells[i] and _VALUE_CELL.fullmatch(cells[i])
                           and all(_VALUE_CELL.fullmatch(c) for c in cells[i:])), len(cells))
            first_value = figure if figure < len(cells) else first_value
        elif figure < len(cells) and any(cells[:first_value]) and re.fullmatch(r"[\d.,]+", cells[figure]):
            first_value = figure
    label = " / ".join(c for c in cells[:first_value] if c)
    values = cells[first_value:]
    if not all(_VALUE_CELL.fullmatch(v) for v in values):
        return None  # a header row (结果维持 | 结果纠正 …), not figures
    if not values or (not label and not any(values)):
        return None
    return Record(label, values, start, start, start + len(line), explicit=True)


def read_records(text: str) -> list[Record]:
    masked = _mask(text)
    out: list[Record] = []
    pos = 0
    for m in MD_LINE.finditer(text):
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
COMBINATION_LIMIT = 4096  # more combinations of row splits than this: left ambiguous


def trimmed(values: Sequence[str], n: int) -> list[str]:
    out = list(values)
    while len(out) > n and out[-1] == "":
        out.pop()
    return out


def fits_cells(record: Record, n: int) -> bool:
    values = trimmed(record.values, n)
    if len(values) == n:
        return True
    splittable = all(v.isdigit() for v in values) and sum(map(len, values)) >= n
    return not record.explicit and len(values) < n and splittable


PrefixCheck = Callable[[Sequence[int]], bool]


def split_values(
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


def group_check(size: int) -> PrefixCheck:
    """Each completed group of `size` numbers: the first size-1 add up to the last."""

    def check(nums: Sequence[int]) -> bool:
        if len(nums) % size:
            return True
        group = nums[-size:]
        return sum(group[:-1]) == group[-1]

    return check


def row_options(record: Record, n: int, check: PrefixCheck | None) -> list[tuple[str, ...]]:
    values = trimmed(record.values, n)
    if len(values) == n:
        return [tuple(values)]
    if record.explicit or len(values) > n:
        return []
    found = split_values(values, n, check, _SPLIT_LIMIT)
    return [] if len(found) > _SPLIT_LIMIT else found  # too many: left ambiguous


def raw_digits(record: Record) -> str:
    return " ".join(record.values)
