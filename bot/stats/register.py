"""The office register (登记台账) as rows: reading CSV/.xlsx, validating, writing.

Columns (Chinese or English headers): 登记编号/register_no (optional), 收到日期/received_on,
申请人类型/applicant_type, 申请内容/subject, 办结日期/closed_on, 办理结果/outcome.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from bot import texts
from bot.errors import InvalidInput
from bot.stats.cells import restore, sheet_value, xlsx_value
from bot.stats.layout import COLUMN_OF_TYPE
from bot.tickets.codes import ApplicantType
from bot.tickets.outcomes import OUTCOMES

FIELDS = ("register_no", "received_on", "applicant_type", "subject", "closed_on", "outcome")
REQUIRED = ("received_on", "applicant_type", "subject")
EARLIEST = date(2008, 5, 1)  # the regulation's first version took effect


@dataclass(frozen=True)
class RegisterRow:
    line: int
    register_no: str | None
    received_on: date
    applicant_type: str  # an ApplicantType code
    subject: str
    closed_on: date | None
    outcome: str | None  # an outcome code

    def content_key(self, occurrence: int) -> str:
        """The identity of a row without a register number: its whole content and its occurrence."""
        text = "\x1f".join(str(v or "") for v in (self.received_on, self.applicant_type, self.subject,
                                                   self.closed_on, self.outcome_row, occurrence))
        return hashlib.sha256(text.encode()).hexdigest()

    @property
    def outcome_row(self) -> str | None:
        return None if self.outcome is None else OUTCOMES[self.outcome].row


@dataclass(frozen=True)
class RowError:
    line: int
    reason: str

    def __str__(self) -> str:
        return texts.IMPORT_LINE_ERROR.format(line=self.line, reason=self.reason)


def _short(label: str) -> str:
    """（二）部分公开（区分处理的，…） → 部分公开; 1.属于国家秘密 → 属于国家秘密."""
    label = re.sub(r"^（[一二三四五六七]）|^\d+\.", "", label)
    return re.sub(r"（.*）$", "", label)


def _outcome_names() -> dict[str, str]:
    """Every accepted spelling of an outcome → its code (the first listed for a row shared by two)."""
    names: dict[str, str] = {}
    # 予以公开 reads as "disclosed" (第三十六条第（二）项) rather than "already public".
    for code, outcome in sorted(OUTCOMES.items(), key=lambda item: item[0] != "disclosed"):
        names.setdefault(code, code)
        if outcome.row == outcome.group:
            spellings = [outcome.group, _short(outcome.group)]
        else:
            spellings = [f"{g}{sep}{i}" for g in (outcome.group, _short(outcome.group))
                         for i in (outcome.row, _short(outcome.row)) for sep in ("：", ":")]
        for spelling in spellings:
            names.setdefault(spelling, code)
    return names


OUTCOME_NAMES = _outcome_names()
PRINTED_OUTCOME = {code: (_short(o.group) if o.row == o.group else f"{_short(o.group)}：{_short(o.row)}")
                   for code, o in OUTCOMES.items()}
TYPE_NAMES = {**{label: code.value for code, label in COLUMN_OF_TYPE.items()},
              **{f"法人或其他组织：{label}": code.value for code, label in COLUMN_OF_TYPE.items()},
              **{code.value: code.value for code in ApplicantType}}
HEADER_NAMES = {**{f: f for f in FIELDS}, **{label: f for f, label in texts.REGISTER_HEADERS.items()}}


def _date(value: Any, field: str, today: date) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    else:
        try:
            day = date.fromisoformat(str(value).strip())
        except ValueError:
            raise InvalidInput(texts.IMPORT_BAD_DATE.format(field=field, value=value)) from None
    if day > today:
        raise InvalidInput(texts.IMPORT_FUTURE_DATE.format(field=field, value=day))
    if day < EARLIEST:
        raise InvalidInput(texts.IMPORT_BAD_DATE.format(field=field, value=day))
    return day


def _text(value: Any) -> str:
    # NUL has no place in a register (a damaged export) and PostgreSQL cannot store it in text.
    return "" if value is None else str(value).replace("\x00", "").strip()


def parse_row(line: int, raw: dict[str, Any], today: date) -> RegisterRow:
    """Validate one row; raise InvalidInput with the reason."""
    labels = texts.REGISTER_HEADERS
    received = _date(raw.get("received_on"), labels["received_on"], today)
    if received is None:
        raise InvalidInput(texts.IMPORT_BAD_DATE.format(field=labels["received_on"], value=""))
    kind = TYPE_NAMES.get(_text(raw.get("applicant_type")))
    if kind is None:
        raise InvalidInput(texts.IMPORT_BAD_TYPE.format(value=_text(raw.get("applicant_type"))))
    subject = _text(raw.get("subject"))
    if not subject:
        raise InvalidInput(texts.IMPORT_EMPTY_SUBJECT)
    closed = _date(raw.get("closed_on"), labels["closed_on"], today)
    outcome_text = _text(raw.get("outcome"))
    outcome = OUTCOME_NAMES.get(outcome_text) if outcome_text else None
    if outcome_text and outcome is None:
        raise InvalidInput(texts.IMPORT_BAD_OUTCOME.format(value=outcome_text))
    if closed is not None and outcome is None:
        raise InvalidInput(texts.IMPORT_CLOSED_WITHOUT_OUTCOME)
    if outcome is not None and closed is None:
        raise InvalidInput(texts.IMPORT_OUTCOME_WITHOUT_CLOSED)
    if closed is not None and closed < received:
        raise InvalidInput(texts.IMPORT_CLOSED_BEFORE_RECEIVED)
    return RegisterRow(line, _text(raw.get("register_no")) or None, received, kind, subject, closed, outcome)


@dataclass(frozen=True)
class RawRow:
    """A data row as read: its line, {field: raw value}, and why it cannot be read, if it cannot."""

    line: int
    values: dict[str, Any]
    problem: str | None = None


def read_rows(path: Path) -> Iterator[RawRow]:
    """Each non-empty row, headers mapped to field names; a row whose cells do not fit the header is a problem.

    A cell neutralised by an export (``'=…``, see ``bot.stats.cells``) reads as the text it was.
    """
    try:
        records = _xlsx_records(path) if path.suffix.lower() == ".xlsx" else _csv_records(path)
        header_line, header = next(records, (1, []))
    except (OSError, UnicodeDecodeError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        raise InvalidInput(texts.IMPORT_BAD_FILE.format(path=path, reason=exc)) from None
    names = [_text(h).lstrip("\ufeff") for h in header]
    unknown = [n for n in names if n and n not in HEADER_NAMES]
    if unknown:
        raise InvalidInput(texts.IMPORT_UNKNOWN_HEADER.format(names="、".join(unknown)))
    fields = [HEADER_NAMES.get(n) for n in names]
    missing = [texts.REGISTER_HEADERS[f] for f in REQUIRED if f not in fields]
    if missing:
        raise InvalidInput(texts.IMPORT_MISSING_HEADER.format(names="、".join(missing)))
    for line, values in records:
        if all(_text(v) == "" for v in values):
            continue
        if len(values) != len(fields):
            problem = texts.IMPORT_CELL_COUNT.format(cells=len(values), columns=len(fields))
            yield RawRow(line, {}, problem + ("" if path.suffix.lower() == ".xlsx" else texts.IMPORT_CELL_COUNT_CSV))
            continue
        yield RawRow(line, {f: restore(v) if isinstance(v, str) else v
                            for f, v in zip(fields, values, strict=True) if f is not None})


def _csv_records(path: Path) -> Iterator[tuple[int, list[Any]]]:
    text = path.read_text(encoding="utf-8-sig")  # with or without BOM
    reader = csv.reader(io.StringIO(text, newline=""))
    line = 1
    for record in reader:
        yield line, record
        line = reader.line_num + 1


def _xlsx_records(path: Path) -> Iterator[tuple[int, list[Any]]]:
    """Rows of the first sheet, without the empty cells at their end (a sheet has no row length of its own).

    A row that is longer than the header therefore has text beyond the header's last column.
    """
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        width: int | None = None
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = _trimmed(list(values))
            if width is None:
                width = len(cells)
            elif len(cells) < width:
                cells += [None] * (width - len(cells))  # empty trailing cells: the row is not short
            yield number, cells
    finally:
        workbook.close()


def _trimmed(values: list[Any]) -> list[Any]:
    while values and _text(values[-1]) == "":
        values.pop()
    return values


def write_rows(path: Path, rows: list[dict[str, Any]]) -> None:
    """Write the register with the Chinese headers (csv with a BOM for spreadsheet programs, or xlsx).

    Text that a spreadsheet would run as a formula is neutralised, and characters an .xlsx cannot hold
    are left out (``bot.stats.cells``).
    """
    header = [texts.REGISTER_HEADERS[f] for f in FIELDS]
    cells = [["" if r.get(f) is None else str(r[f]) for f in FIELDS] for r in rows]
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.append(header)
        for row in cells:
            sheet.append([xlsx_value(v) for v in row])
        workbook.save(path)
        return
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows([sheet_value(v) for v in row] for row in cells)
