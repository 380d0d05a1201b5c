"""Computing tables 三 and 四 for a year, with grouped SQL counts over tickets and remedy records."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from bot.stats.layout import (
    CARRIED_IN,
    CARRIED_OUT,
    COLUMN_OF_TYPE,
    COLUMNS,
    GROUP_OF_REMEDY,
    NEW,
    RESULT_COLUMNS,
    RESULT_OF_CODE,
    TOTAL,
    TYPE_COLUMNS,
    row_of_outcome,
    table3_rows,
)
from bot.tickets.codes import RemedyKind, RemedyResult, TicketKind
from bot.tickets.models import RemedyRecord, RequestDetails, Ticket

Values = dict[str, int]


@dataclass
class Table3:
    report_format: str
    rows: list[tuple[str, str | None, str, Values]]  # (label, group, kind, values); header rows: {}
    # requests counted nowhere: "applicant_type" (no or unknown type), "outcome" (closed, unknown outcome)
    unmapped: dict[str, int] = field(default_factory=dict)

    def values(self, label: str) -> Values:
        return next(v for lab, _g, _k, v in self.rows if lab == label)


def _zero() -> Values:
    return dict.fromkeys(COLUMNS, 0)


def table3(session: Session, year: int, report_format: str) -> Table3:
    """Table 三 of ``year`` from disclosure requests by their Asia/Shanghai receipt and closing dates."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    closed_in_year = and_(Ticket.closed_on >= start, Ticket.closed_on <= end)
    is_new = case((Ticket.received_on >= start, 1), else_=0)
    # 第三十条: a 补正 restarts the clock but the request keeps its first receipt date (received_on).
    still_open = case((or_(Ticket.closed_on.is_(None), Ticket.closed_on > end), 1), else_=0)
    outcome = case((closed_in_year, Ticket.outcome), else_=None)
    statement = (
        select(RequestDetails.applicant_type, outcome, func.sum(is_new), func.sum(1 - is_new),
               func.sum(case((closed_in_year, 1), else_=0)), func.sum(still_open))
        .select_from(Ticket).outerjoin(RequestDetails, RequestDetails.ticket_id == Ticket.id)
        .where(Ticket.kind == TicketKind.DISCLOSURE_REQUEST.value, Ticket.received_on <= end,
               or_(Ticket.closed_on.is_(None), Ticket.closed_on >= start))
        .group_by(RequestDetails.applicant_type, outcome)
    )
    cells: dict[str, Values] = defaultdict(_zero)
    unmapped = {"applicant_type": 0, "outcome": 0}
    for applicant_type, code, new, carried, closed, open_at_end in session.execute(statement):
        column = COLUMN_OF_TYPE.get(applicant_type) if applicant_type else None
        target = row_of_outcome(code, report_format) if code else None
        counts = ((NEW, new), (CARRIED_IN, carried), (CARRIED_OUT, open_at_end))
        if column is None:
            unmapped["applicant_type"] += int(new or 0) + int(carried or 0)
            continue
        for label, n in counts:
            cells[label][column] += int(n or 0)
        if closed:
            if target is None:
                unmapped["outcome"] += int(closed)
            else:
                cells[target[1]][column] += int(closed)
    return _assemble(report_format, cells, unmapped)


def _assemble(report_format: str, cells: dict[str, Values], unmapped: dict[str, int]) -> Table3:
    rows: list[tuple[str, str | None, str, Values]] = []
    layout = table3_rows(report_format)
    for row in layout:
        if row.kind == "header":
            rows.append((row.label, row.group, row.kind, {}))
            continue
        if row.kind == "group":
            values = _zero()
            for item in layout:
                if item.group == row.label:
                    for column in TYPE_COLUMNS:
                        values[column] += cells[item.label][column]
        elif row.kind == "total":
            values = _zero()
            for item in layout:
                if item.kind == "leaf" and item.label not in (NEW, CARRIED_IN, CARRIED_OUT):
                    for column in TYPE_COLUMNS:
                        values[column] += cells[item.label][column]
        else:
            values = dict(cells[row.label]) if row.label in cells else _zero()
        values[TOTAL] = sum(values[c] for c in TYPE_COLUMNS)
        rows.append((row.label, row.group, row.kind, values))
    return Table3(report_format, rows, {k: v for k, v in unmapped.items() if v})


def table4(session: Session, year: int) -> dict[str, Values]:
    """Table 四: records filed in ``year``; a result decided after 31 December counts as 尚未审结."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    decided = and_(RemedyRecord.decided_on.is_not(None), RemedyRecord.decided_on <= end)
    result = case((decided, RemedyRecord.result), else_=RemedyResult.PENDING.value)
    statement = (
        select(RemedyRecord.kind, result, func.count())
        .where(RemedyRecord.filed_on >= start, RemedyRecord.filed_on <= end)
        .group_by(RemedyRecord.kind, result)
    )
    groups = {name: dict.fromkeys(RESULT_COLUMNS, 0) for name in GROUP_OF_REMEDY.values()}
    for kind, code, n in session.execute(statement):
        column = RESULT_OF_CODE.get(RemedyResult(code), "尚未审结")
        groups[GROUP_OF_REMEDY[RemedyKind(kind)]][column] += int(n)
    for values in groups.values():
        values[TOTAL] = sum(values[c] for c in RESULT_COLUMNS if c != TOTAL)
    return groups

