"""Table 二 (主动公开): figures staff enter per year; never derived, never defaulted to 0."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import texts
from bot.errors import InvalidInput
from bot.stats.models import ProactiveFigure

# (item code, printed item, ((field code, printed column), …)) in the template's order.
LAYOUT_2021 = (
    ("regulations", "规章", (("issued", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数"))),
    ("normative_documents", "行政规范性文件",
     (("issued", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数"))),
    ("licensing", "行政许可", (("decisions", "本年处理决定数量"),)),
    ("penalty", "行政处罚", (("decisions", "本年处理决定数量"),)),
    ("coercion", "行政强制", (("decisions", "本年处理决定数量"),)),
    ("fees", "行政事业性收费", (("amount", "本年收费金额（单位：万元）"),)),
)
_COUNTS = (("previous", "上一年项目数量"), ("change", "本年增/减"), ("decisions", "处理决定数量"))
LAYOUT_2019 = (
    ("regulations", "规章", (("made", "本年新制作数量"), ("published", "本年新公开数量"), ("total", "对外公开总数量"))),
    ("normative_documents", "规范性文件",
     (("made", "本年新制作数量"), ("published", "本年新公开数量"), ("total", "对外公开总数量"))),
    ("licensing", "行政许可", _COUNTS),
    ("other_services", "其他对外管理服务事项", _COUNTS),
    ("penalty", "行政处罚", _COUNTS),
    ("coercion", "行政强制", _COUNTS),
    ("fees", "行政事业性收费", (("previous", "上一年项目数量"), ("change", "本年增/减"))),
    ("procurement", "政府集中采购", (("projects", "采购项目数量"), ("amount", "采购总金额"))),
)
# The article of 第二十条 each item is published under: the section headings of table 二.
SECTION_OF_ITEM = {
    "regulations": "（一）", "normative_documents": "（一）", "licensing": "（五）", "other_services": "（五）",
    "penalty": "（六）", "coercion": "（六）", "fees": "（八）", "procurement": "（九）",
}
MONEY_FIELDS = {("fees", "amount"), ("procurement", "amount")}
SIGNED_FIELDS = {"change"}


def layout(report_format: str) -> tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...]:
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
