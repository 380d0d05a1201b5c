"""Working days: weekends and statutory holidays off, 调休 make-up days on.

The regulation counts its periods in working days (第三十条, 第三十二条, 第三十三条) and does not
define them; this module follows the common reading (procedures.md §8): the start day is not
counted, counting begins the next day, only working days count. A year whose schedule is unknown
is counted on weekends alone and every date reached through it is marked provisional.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from bot.errors import HolidayFileError

SATURDAY = 5


@dataclass(frozen=True)
class YearSchedule:
    """One year's published schedule: days off that would be workdays, and 调休 weekend days worked."""

    year: int
    holidays: frozenset[date]
    workdays: frozenset[date]

    def __post_init__(self) -> None:
        for day in self.holidays | self.workdays:
            if day.year != self.year:
                raise ValueError(f"{day} is not in {self.year}")
        for day in self.workdays:
            if day.weekday() < SATURDAY:
                raise ValueError(f"make-up workday {day} is not a weekend day")
        if self.holidays & self.workdays:
            raise ValueError(f"{sorted(self.holidays & self.workdays)[0]} is both a holiday and a workday")


@dataclass(frozen=True)
class ScheduleChange:
    """What loading a year's schedule changes against the calendar's current one for that year."""

    year: int
    known: bool  # the calendar already had a schedule for this year (chinese-calendar or a load)
    holidays_added: frozenset[date]
    holidays_removed: frozenset[date]
    workdays_added: frozenset[date]
    workdays_removed: frozenset[date]

    @property
    def empty(self) -> bool:
        return not (self.holidays_added or self.holidays_removed or self.workdays_added or self.workdays_removed)


@dataclass(frozen=True)
class Pause:
    """A stopped clock (第三十三条第三款): working days after ``start``, up to and including ``end``, do not count."""

    start: date
    end: date

    def covers(self, day: date) -> bool:
        return self.start < day <= self.end


@dataclass(frozen=True)
class Due:
    """A computed date, provisional when some day on the way lies in a year of unknown schedule."""

    date: date
    provisional: bool


class WorkCalendar:
    """Answers whether a day is a working day, from the schedules it was given."""

    def __init__(self, schedules: Iterable[YearSchedule] = ()) -> None:
        self._years: dict[int, YearSchedule] = {s.year: s for s in schedules}

    def with_schedules(self, schedules: Iterable[YearSchedule]) -> WorkCalendar:
        """A calendar where the given schedules replace those of the same years."""
        merged = dict(self._years)
        merged.update({s.year: s for s in schedules})
        return WorkCalendar(merged.values())

    def knows(self, year: int) -> bool:
        return year in self._years

    def changes(self, schedules: Iterable[YearSchedule]) -> list[ScheduleChange]:
        """For each schedule, what it would change in this calendar if it replaced its year."""
        result = []
        for new in schedules:
            old = self._years.get(new.year, YearSchedule(new.year, frozenset(), frozenset()))
            result.append(ScheduleChange(
                new.year, new.year in self._years, new.holidays - old.holidays, old.holidays - new.holidays,
                new.workdays - old.workdays, old.workdays - new.workdays,
            ))
        return result

    @property
    def years(self) -> list[int]:
        return sorted(self._years)

    def is_workday(self, day: date) -> bool:
        schedule = self._years.get(day.year)
        if schedule is not None:
            if day in schedule.workdays:
                return True
            if day in schedule.holidays:
                return False
        return day.weekday() < SATURDAY

    def _counted_days(self, start: date, pauses: Iterable[Pause]) -> Iterator[date]:
        pauses = tuple(pauses)
        day = start
        while True:
            day += timedelta(days=1)
            if self.is_workday(day) and not any(p.covers(day) for p in pauses):
                yield day

    def add_workdays(self, start: date, days: int, pauses: Iterable[Pause] = ()) -> Due:
        """The ``days``-th counted working day after ``start`` (``start`` itself is not counted)."""
        if days < 0:
            raise ValueError("days must not be negative")
        result = start
        counted = self._counted_days(start, pauses)
        for _ in range(days):
            result = next(counted)
        # Every day after start up to the result was looked at: one unknown year makes it a guess.
        return Due(result, days > 0 and self.guessed(start, result))

    def guessed(self, start: date, end: date) -> bool:
        """True when a day after ``start`` up to ``end`` lies in a year whose schedule is unknown."""
        if end <= start:
            return False
        first_year = (start + timedelta(days=1)).year
        return not all(self.knows(y) for y in range(first_year, end.year + 1))

    def workdays_between(self, start: date, end: date) -> int:
        """How many working days lie after ``start`` up to and including ``end`` (0 if end <= start)."""
        count = 0
        day = start
        while day < end:
            day += timedelta(days=1)
            count += self.is_workday(day)
        return count


def chinese_calendar_schedules(until: int | None = None) -> list[YearSchedule]:
    """The years the installed chinese-calendar release knows (up to ``until``, when given)."""
    from chinese_calendar import constants

    holidays: dict[int, set[date]] = {}
    workdays: dict[int, set[date]] = {}
    for day in constants.holidays:
        holidays.setdefault(day.year, set()).add(day)
    for day in constants.workdays:
        workdays.setdefault(day.year, set()).add(day)
    years = sorted(y for y in holidays if until is None or y <= until)
    return [YearSchedule(y, frozenset(holidays[y]), frozenset(workdays.get(y, set()))) for y in years]


def parse_holiday_file(text: str) -> list[YearSchedule]:
    """Read the small holiday file format (docs/tickets.md): a ``year`` line, then dated lines.

    Every error names its line, in Chinese. A declared year with no dated line is refused: loading it
    would wipe that year's schedule.
    """
    years: dict[int, tuple[set[date], set[date]]] = {}
    declared: dict[int, int] = {}  # year -> the line that declared it
    listed: dict[date, tuple[str, int]] = {}  # day -> its kind and the line that listed it
    for number, raw in enumerate(text.removeprefix("\ufeff").splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if parts[0].lower() in ("year", "年份"):
            year = _parse_year(parts, number)
            declared.setdefault(year, number)
            years.setdefault(year, (set(), set()))
            continue
        first, last, kind = _parse_entry(parts, number)
        for day in _days(first, last):
            _check_day(day, kind, number, years, listed)
            off, on = years[day.year]
            (off if kind == "holiday" else on).add(day)
            listed.setdefault(day, (kind, number))
    if not years:
        raise HolidayFileError(0, "no_year", "")
    for year, (off, on) in years.items():
        if not off and not on:
            raise HolidayFileError(declared[year], "empty_year", str(year))
    return [YearSchedule(y, frozenset(off), frozenset(on)) for y, (off, on) in sorted(years.items())]


def _check_day(day: date, kind: str, number: int, years: dict[int, tuple[set[date], set[date]]],
               listed: dict[date, tuple[str, int]]) -> None:
    """The checks YearSchedule makes, here with the line number for the person fixing the file."""
    if day.year not in years:
        raise HolidayFileError(number, "not_declared", str(day.year))
    if kind == "workday" and day.weekday() < SATURDAY:
        raise HolidayFileError(number, "not_weekend", day.isoformat(), weekday=day.weekday())
    other = listed.get(day)
    if other is not None and other[0] != kind:
        raise HolidayFileError(number, "both", day.isoformat(), other=other[1])


_KINDS = {"休": "holiday", "holiday": "holiday", "班": "workday", "workday": "workday"}


def _parse_year(parts: list[str], number: int) -> int:
    if len(parts) != 2 or not parts[1].isdigit() or not 2000 <= int(parts[1]) <= 2100:
        raise HolidayFileError(number, "bad_year", " ".join(parts))
    return int(parts[1])


def _parse_entry(parts: list[str], number: int) -> tuple[date, date, str]:
    if len(parts) < 2 or parts[1].lower() not in _KINDS:
        raise HolidayFileError(number, "bad_line", " ".join(parts))
    first_text, _, last_text = parts[0].partition("..")
    try:
        first = date.fromisoformat(first_text)
        last = date.fromisoformat(last_text) if last_text else first
    except ValueError:
        raise HolidayFileError(number, "bad_date", parts[0]) from None
    if last < first or (last - first).days > 30:
        raise HolidayFileError(number, "bad_range", parts[0])
    return first, last, _KINDS[parts[1].lower()]


def _days(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)
