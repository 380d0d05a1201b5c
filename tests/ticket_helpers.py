"""Helpers shared by the ticket tests: a fixed clock, a calendar that stops at 2026, sample data."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from bot.db import Database
from bot.settings import Settings
from bot.tickets.clock import FixedClock
from bot.tickets.intake import RequestForm
from bot.tickets.service import TicketService
from bot.tickets.staff import add_staff
from bot.workdays import WorkCalendar, chinese_calendar_schedules

# Bounded, so the tests do not change when a newer chinese-calendar release covers 2027.
CALENDAR = WorkCalendar(chinese_calendar_schedules(until=2026))
SETTINGS = Settings.from_env({}, db="sqlite://")

RESIDENT_ID = "11010519491231002X"  # the GB 11643 sample number
PHONE = "13812345678"
EMAIL = "zhang.san@example.com"
STAFF, SUPERVISOR, STRANGER, ADMIN = "li", "wang", "mallory", "admin"


def form(**changes: Any) -> RequestForm:
    base = RequestForm(
        applicant_name="张三", applicant_type="natural_person", id_kind="resident_id",
        id_number=RESIDENT_ID, description="2023年鹤城区财政预算执行情况", phone=PHONE, email=EMAIL,
        address="怀化市鹤城区迎丰西路 1 号",
    )
    return replace(base, **changes)


def service_on(day: date, calendar: WorkCalendar = CALENDAR) -> TicketService:
    return TicketService(SETTINGS, calendar, FixedClock.on(day))


def open_db(url: str, *, staff: bool = True) -> Database:
    """A migrated database with an administrator, one staff member and one supervisor."""
    db = Database(url)
    if staff:
        clock = FixedClock.on(date(2024, 1, 2))
        with db.session() as session:
            add_staff(session, at=clock.now(), by=ADMIN, name=ADMIN, role="admin")  # the first: an administrator
            add_staff(session, at=clock.now(), by=ADMIN, name=STAFF, role="staff")
            add_staff(session, at=clock.now(), by=ADMIN, name=SUPERVISOR, role="supervisor")
    return db
