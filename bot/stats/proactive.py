"""Table 二 (主动公开): figures staff enter per year; never derived, never defaulted to 0."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import texts
from bot.errors import InvalidInput
from bot.stats.models import ProactiveFigure
from knowledge import template_labels as labels

# The codes staff type (`report set ITEM FIELD`) for each row and column of table 二, in the order of
# the template's rows (``knowledge.template_labels``, which gives the printed labels).
_CODES_2021 = (
    ("regulations", ("issued", "repealed", "in_force")),
    ("normative_documents", ("issued", "repealed", "in_force")),
    ("licensing", ("decisions",)),
    ("penalty", ("decisions",)),
    ("coercion", ("decisions",)),
    ("fees", ("amount",)),
)
_COUNTS = ("previous", "change", "decisions")
_CODES_2019 = (
    ("regulations", ("made", "published", "total")),
    ("normative_documents", ("made", "published", "total")),
    ("licensing", _COUNTS),
    ("other_services", _COUNTS),
    ("penalty", _COUNTS),
    ("coercion", _COUNTS),
    ("fees", _COUNTS[:2]),
    ("procurement", ("projects", "amount")),
)
Layout = tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...]


def _layout(codes: tuple[tuple[str, tuple[str, ...]], ...], rows: tuple[labels.T2Row, ...]) -> Layout:
    """(item code, printed item, ((field code, printed column), …)) in the template's order."""
    return tuple((item, row.label, tuple(zip(fields, row.columns, strict=True)))
                 for (item, fields), row in zip(codes, rows, strict=True))


LAYOUT_2021 = _layout(_CODES_2021, labels.T2_2021)
LAYOUT_2019 = _layout(_CODES_2019, labels.T2_2019)
# The item of 第二十条 each row is published under: the section headings of table 二.
SECTION_OF_ITEM = {item: row.item for (item, _), row in (*zip(_CODES_2019, labels.T2_2019, strict=True),
                                                          *zip(_CODES_2021, labels.T2_2021, strict=True))}
MONEY_FIELDS = {("fees", "amount"), ("procurement", "amount")}
SIGNED_FIELDS = {"change"}  # 2019 format: 本年增/减 may be negative


def layout(report_format: str) -> Layout:
    """Table 二 of ``report_format`` with the codes of its cells."""
    return LAYOUT_2021 if report_format == "2021" else LAYOUT_2019


def parse_value(report_format: str, item: str, field: str, raw: str) -> Decimal:
    """Check that ``item``/``field`` is a cell of table 二 and ``raw`` a value it may hold."""
    fields = {code: dict(columns) for code, _label, columns in layout(report_format)}
    if field not in fields.get(item, {}):
        raise InvalidInput(texts.TABLE2_UNKNOWN_CELL.format(item=item, field=field))
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise InvalidInput(texts.TABLE2_BAD_VALUE.format(value=raw)) from None
    money = (item, field) in MONEY_FIELDS
    if (not money and value != value.to_integral_value()) or (value < 0 and field not in SIGNED_FIELDS):
        raise InvalidInput(texts.TABLE2_BAD_VALUE.format(value=raw))
    return value


def set_figure(session: Session, *, year: int, report_format: str, item: str, field: str, raw: str,
               actor: str, at: datetime) -> Decimal:
    """Enter (or correct) one cell of table 二 for ``year``."""
    value = parse_value(report_format, item, field, raw)
    row = session.get(ProactiveFigure, (year, item, field))
    if row is None:
        session.add(ProactiveFigure(year=year, item=item, field=field, value=value, entered_by=actor, entered_at=at))
    else:
        row.value, row.entered_by, row.entered_at = value, actor, at
    session.flush()
    return value


def table2(session: Session, year: int, report_format: str) -> dict[str, dict[str, int | float | None]]:
    """Table 二 as printed labels; a cell nobody entered is None (printed empty, checks uncertain)."""
    stored = {(f.item, f.field): f.value for f in session.scalars(
        select(ProactiveFigure).where(ProactiveFigure.year == year))}
    result: dict[str, dict[str, int | float | None]] = {}
    for item, label, columns in layout(report_format):
        result[label] = {}
        for field, column in columns:
            value = stored.get((item, field))
            result[label][column] = None if value is None else (
                float(value) if (item, field) in MONEY_FIELDS else int(value))
    return result
