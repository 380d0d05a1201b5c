"""Holiday schedules loaded by an administrator, kept in the database so every worker sees them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot import texts
from bot.errors import BotError
from bot.settings import Settings
from bot.tickets.models import CalendarDay, CalendarYear
from bot.workdays import WorkCalendar, YearSchedule, chinese_calendar_schedules


def stored_schedules(session: Session) -> list[YearSchedule]:
    years = list(session.scalars(select(CalendarYear.year)))
    days = list(session.scalars(select(CalendarDay).where(CalendarDay.year.in_(years))))
    return [
        YearSchedule(
            year,
            frozenset(d.day for d in days if d.year == year and not d.workday),
            frozenset(d.day for d in days if d.year == year and d.workday),
        )
        for year in years
    ]


def build_calendar(session: Session, settings: Settings, base: Iterable[YearSchedule] | None = None) -> WorkCalendar:
    """The home calendar: the published years of chinese-calendar, then the loaded years over them."""
    if settings.home_calendar != "CN":
        raise BotError(texts.UNKNOWN_CALENDAR.format(name=settings.home_calendar))
    schedules = chinese_calendar_schedules() if base is None else base
    return WorkCalendar(schedules).with_schedules(stored_schedules(session))


def save_schedules(session: Session, schedules: Iterable[YearSchedule], at: datetime) -> list[int]:
    """Store the schedules, replacing what was loaded before for the same years."""
    years = []
    for schedule in schedules:
        session.execute(delete(CalendarDay).where(CalendarDay.year == schedule.year))
        session.merge(CalendarYear(year=schedule.year, loaded_at=at))
        session.add_all(CalendarDay(day=d, year=schedule.year, workday=False) for d in sorted(schedule.holidays))
        session.add_all(CalendarDay(day=d, year=schedule.year, workday=True) for d in sorted(schedule.workdays))
        years.append(schedule.year)
    session.flush()
    return years
