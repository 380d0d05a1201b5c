"""The report of a year as one JSON-ready dict: tables 二, 三, 四, enquiries, checks, differences."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from bot.dialogue.models import QuestionLog
from bot.stats.checks import (
    enquiry_checks,
    negative_check,
    previous_year_checks,
    table3_checks,
    table4_checks,
)
from bot.stats.compute import table3, table4
from bot.stats.layout import AFTER_REVIEW, COLUMNS, DIRECT, LAWSUIT, REVIEW, format_for_year
from bot.stats.models import PublishedReport
from bot.stats.proactive import table2
from bot.stats.render import enquiry_place
from bot.tickets.clock import SHANGHAI
from bot.tickets.codes import Action, Rating, Role, TicketKind
from bot.tickets.models import Ticket, TicketEvent

FIGURE_KEYS = ("table2", "table3", "table4", "enquiries")  # what publishing freezes


def build_report(session: Session, year: int, *, with_checks: bool = True) -> dict[str, Any]:
    """Compute the report of ``year`` from the database (read-only)."""
    report_format = format_for_year(year)
    t3 = table3(session, year, report_format)
    t4 = table4(session, year)
    report: dict[str, Any] = {
        "year": year,
        "format": report_format,
        "table3": {"columns": list(COLUMNS), "rows": [
            {"label": label, "group": group, "values": values} for label, group, _kind, values in t3.rows]},
        "table4": {REVIEW: t4[REVIEW], LAWSUIT: {DIRECT: t4[DIRECT], AFTER_REVIEW: t4[AFTER_REVIEW]}},
        "table2": table2(session, year, report_format),
        "enquiries": enquiries(session, year),
    }
    if with_checks:
        previous = published(session, year - 1)
        report["checks"] = run_checks(report, t3.unmapped, previous)
        report["differences"] = differences(published(session, year), report)
    return report


def run_checks(report: dict[str, Any], unmapped: dict[str, int], previous: dict[str, Any] | None) -> list[Any]:
    return [*table3_checks(report["table3"]["rows"], unmapped), *table4_checks(report["table4"]),
            negative_check(report), *enquiry_checks(report.get("enquiries")),
            *previous_year_checks(report, previous)]


def enquiries(session: Session, year: int) -> dict[str, Any]:
    """Section 一: questions from the question log, enquiries from the tickets, 满意率 from the ratings.

    A figure that cannot be computed is None, never 0: the questions of a year that ended before the
    first logged question (the log did not exist yet), a rate without anything to divide by.
    """
    start, end = date(year, 1, 1), date(year, 12, 31)
    # Times are stored in UTC; the year is the Asia/Shanghai calendar year, as for the tickets.
    since = datetime(year, 1, 1, tzinfo=SHANGHAI).astimezone(UTC)
    until = datetime(year + 1, 1, 1, tzinfo=SHANGHAI).astimezone(UTC)
    received = and_(Ticket.received_on >= start, Ticket.received_on <= end)
    closed = and_(Ticket.closed_on >= start, Ticket.closed_on <= end)
    row = session.execute(
        select(func.sum(case((received, 1), else_=0)),
               func.sum(case((and_(received, Ticket.closed_on <= end), 1), else_=0)),
               func.sum(case((and_(closed, Ticket.outcome == "answered"), 1), else_=0)))
        .where(Ticket.kind == TicketKind.ENQUIRY.value)
    ).one()
    escalated, closed_n, answered = int(row[0] or 0), int(row[1] or 0), int(row[2] or 0)
    asked, by_bot = _questions(session, since, until)
    ratings = [dict(data or {}).get("rating") for data in session.scalars(
        select(TicketEvent.data).where(TicketEvent.action == Action.RATED.value, TicketEvent.at >= since,
                                       TicketEvent.at < until))]
    satisfied = sum(1 for r in ratings if r in (Rating.SATISFIED.value, Rating.MOSTLY.value))
    return {
        "questions_asked": asked,
        "answered_by_bot": by_bot,
        "escalated": escalated,
        "answered_by_staff": answered,
        "closed_rate": round(closed_n / escalated, 4) if escalated else None,  # 办结率
        "satisfaction_rate": round(satisfied / len(ratings), 4) if ratings else None,  # 满意率
    }


def _questions(session: Session, since: datetime, until: datetime) -> tuple[int | None, int | None]:
    """(asked, answered by the bot) in [since, until); (None, None) when the log began after ``until``."""
    first = session.scalar(select(func.min(QuestionLog.asked_at)))
    if first is None or (first if first.tzinfo else first.replace(tzinfo=UTC)) >= until:
        return None, None
    row = session.execute(
        select(func.count(), func.sum(case((QuestionLog.matched, 1), else_=0)))
        .where(QuestionLog.asked_at >= since, QuestionLog.asked_at < until)
    ).one()
    return int(row[0]), int(row[1] or 0)


def published(session: Session, year: int) -> dict[str, Any] | None:
    row = session.get(PublishedReport, year)
    return None if row is None else dict(row.figures)


def publish(session: Session, year: int, *, actor: str, at: datetime) -> dict[str, Any]:
    """Freeze the figures of ``year`` as published (again: replaces the earlier publication)."""
    report = build_report(session, year, with_checks=False)
    figures = {"year": year, "format": report["format"], **{k: report[k] for k in FIGURE_KEYS},
               "published_at": at.isoformat()}
    row = session.get(PublishedReport, year)
    if row is None:
        session.add(PublishedReport(year=year, published_at=at, published_by=actor, figures=figures))
    else:
        row.published_at, row.published_by, row.figures = at, actor, figures
    session.flush()
    return figures


def publish_as(session: Session, year: int, *, actor: str, at: datetime) -> dict[str, Any]:
    """Publishing as staff do it, from the console or the command line: a supervisor's act (a refusal is
    recorded), recorded in the history."""
    from bot.tickets.history import record_event
    from bot.tickets.staff import require_role

    require_role(session, at=at, actor=actor, action=Action.REPORT_PUBLISHED, role=Role.SUPERVISOR)
    figures = publish(session, year, actor=actor, at=at)
    record_event(session, at=at, actor=actor, action=Action.REPORT_PUBLISHED, data={"year": year})
    return figures


def differences(frozen: dict[str, Any] | None, report: dict[str, Any]) -> dict[str, Any] | None:
    """Cells whose value now differs from the published report; None when the year is unpublished.

    A part the snapshot does not hold (the enquiry figures, published before they were frozen) is not
    compared.
    """
    if frozen is None:
        return None
    parts = [key for key in FIGURE_KEYS if key in frozen]
    changes = [{"where": where, "published": old, "now": new}
               for where, old, new in _diff(_flatten(frozen, parts), _flatten(report, parts)) if old != new]
    return {"published_at": frozen.get("published_at"), "cells": changes}


def _flatten(report: dict[str, Any], parts: list[str]) -> dict[str, Any]:
    """Every figure of ``parts`` by its place: "表三/（一）予以公开/自然人", "一、咨询情况/办结率"."""
    flat: dict[str, Any] = {}
    if "table3" in parts:
        for row in report["table3"]["rows"]:
            for column, value in row["values"].items():
                flat[f"表三/{row['label']}/{column}"] = value
    for prefix, key in (("表四", "table4"), ("表二", "table2")):
        if key not in parts:
            continue
        stack = [(prefix, report[key])]
        while stack:
            where, value = stack.pop()
            if isinstance(value, dict):
                stack.extend((f"{where}/{k}", v) for k, v in value.items())
            else:
                flat[where] = value
    if "enquiries" in parts:
        for key, value in report["enquiries"].items():
            flat[enquiry_place(key)] = value
    return flat


def _diff(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    return [(k, old.get(k), new.get(k)) for k in sorted(old.keys() | new.keys())]
