"""Working days across real holidays (国庆, 春节, their 调休 days), year ends, pauses, unknown years."""

from __future__ import annotations

from datetime import date

import pytest
from ticket_helpers import CALENDAR

from bot.errors import HolidayFileError
from bot.workdays import (
    Due,
    Pause,
    WorkCalendar,
    YearSchedule,
    chinese_calendar_schedules,
    parse_holiday_file,
)

D = date.fromisoformat

# (received, working days, expected): expectations counted by hand from the State Council notices.
CASES = [
    # 国庆 2024 (10-01..07 off, 09-29 Sun and 10-12 Sat worked): the example.
    ("2024-09-27", 7, "2024-10-12"),
    ("2024-09-27", 20, "2024-10-30"),
    ("2024-09-27", 40, "2024-11-27"),
    # 春节 2024 (02-10..17 off, 02-04 Sun and 02-18 Sun worked; 除夕 02-09 is a working day).
    ("2024-02-05", 7, "2024-02-20"),
    ("2024-02-05", 20, "2024-03-08"),
    # A year end, then 春节 2025 (01-28..02-04 off, 01-26 Sun and 02-08 Sat worked).
    ("2024-12-20", 20, "2025-01-20"),
    ("2024-12-20", 40, "2025-02-21"),
    # 国庆 and 中秋 2025 (10-01..08 off, 09-28 Sun and 10-11 Sat worked).
    ("2025-09-26", 7, "2025-10-13"),
    ("2025-09-26", 20, "2025-10-30"),
    # Received on a holiday, and the start day itself is never counted.
    ("2024-10-03", 1, "2024-10-08"),
    ("2024-10-12", 1, "2024-10-14"),
    ("2024-09-27", 0, "2024-09-27"),
]


@pytest.mark.parametrize(("received", "days", "expected"), CASES)
def test_due_dates_across_holidays(received: str, days: int, expected: str) -> None:
    due = CALENDAR.add_workdays(D(received), days)
    assert due.date == D(expected)
    assert due.provisional is False


@pytest.mark.parametrize(
    ("pauses", "expected"),
    [
        # Consultation 10-08 → 10-15: 10-09, 10, 11, 12 (调休), 14, 15 do not count.
        ([("2024-10-08", "2024-10-15")], "2024-11-07"),
        # A consultation that ran its full 15 working days (ends by itself on 10-28).
        ([("2024-10-08", "2024-10-28")], "2024-11-20"),
        # Started and ended the same day: nothing paused.
        ([("2024-10-08", "2024-10-08")], "2024-10-30"),
        # Two pauses add up (3 + 2 working days).
        ([("2024-10-08", "2024-10-11"), ("2024-10-21", "2024-10-23")], "2024-11-06"),
    ],
)
def test_pauses_stop_the_clock(pauses: list[tuple[str, str]], expected: str) -> None:
    due = CALENDAR.add_workdays(D("2024-09-27"), 20, [Pause(D(a), D(b)) for a, b in pauses])
    assert due.date == D(expected)


def test_unknown_year_is_counted_on_weekends_and_marked_provisional() -> None:
    due = CALENDAR.add_workdays(D("2026-12-15"), 20)
    assert due == Due(D("2027-01-12"), True)  # 2027-01-01 counted: nobody told us it is off
    assert CALENDAR.add_workdays(D("2026-11-20"), 20).provisional is False


def test_a_loaded_year_replaces_the_guess() -> None:
    new_year = YearSchedule(2027, frozenset({D("2027-01-01"), D("2027-01-02"), D("2027-01-03")}), frozenset())
    calendar = CALENDAR.with_schedules([new_year])
    assert calendar.add_workdays(D("2026-12-15"), 20) == Due(D("2027-01-13"), False)
    assert CALENDAR.knows(2027) is False  # the original is unchanged


def test_provisional_only_when_a_counted_day_is_unknown() -> None:
    calendar = WorkCalendar([])
    assert calendar.add_workdays(D("2024-01-05"), 1).provisional is True
    assert calendar.add_workdays(D("2024-01-05"), 0).provisional is False


def test_workdays_between() -> None:
    assert CALENDAR.workdays_between(D("2024-09-27"), D("2024-10-12")) == 7
    assert CALENDAR.workdays_between(D("2024-10-12"), D("2024-10-01")) == 0


def test_the_test_calendar_stops_at_2026() -> None:
    assert CALENDAR.years[-1] == 2026
    assert not CALENDAR.knows(2027)
    assert chinese_calendar_schedules(until=2010)[-1].year == 2010


@pytest.mark.parametrize(
    ("holidays", "workdays"),
    [
        ({"2027-01-04"}, {"2027-01-04"}),  # both at once
        (set(), {"2027-01-05"}),  # a Tuesday cannot be a make-up day
        ({"2028-01-01"}, set()),  # another year
    ],
)
def test_inconsistent_schedules_are_rejected(holidays: set[str], workdays: set[str]) -> None:
    with pytest.raises(ValueError):
        YearSchedule(2027, frozenset(map(D, holidays)), frozenset(map(D, workdays)))


HOLIDAY_FILE = """\
# 2027 年部分节假日安排
year 2027
2027-01-01..2027-01-03 休 元旦
2027-02-06..2027-02-13 休 春节
2027-02-14 班 春节调休（星期日）
2027-02-20 workday
"""


def test_holiday_file_format() -> None:
    [schedule] = parse_holiday_file(HOLIDAY_FILE)
    assert schedule.year == 2027
    assert D("2027-02-10") in schedule.holidays and len(schedule.holidays) == 11
    assert schedule.workdays == {D("2027-02-14"), D("2027-02-20")}


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2027-01-01 休\n", "not_declared"),
        ("year 2027\n2027-01-01 off\n", "bad_line"),
        ("year 2027\n2027-13-01 休\n", "bad_date"),
        ("year 2027\n2027-02-10..2027-02-01 休\n", "bad_range"),
        ("year twenty\n", "bad_year"),
        ("# nothing\n", "no_year"),
        ("year 2027\n2027-01-05 班\n", "not_weekend"),
        ("year 2027\n2027-02-13..2027-02-14 休\n2027-02-14 班\n", "both"),
        ("year 2027\n", "empty_year"),
        ("year 2027\nyear 2028\n2027-01-01 休\n", "empty_year"),
    ],
)
def test_holiday_file_errors(text: str, reason: str) -> None:
    with pytest.raises(HolidayFileError) as caught:
        parse_holiday_file(text)
    assert caught.value.reason == reason
    assert str(caught.value)  # a plain-Chinese message for the administrator


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("year 2027\n\n2027-01-05 班 调休\n", "第 3 行：2027-01-05 是星期二，调休上班日（班）只能是星期六或星期日。"),
        ("year 2027\n2027-02-13..2027-02-14 休\n2027-02-14 班\n",
         "第 3 行：2027-02-14 已在第 2 行列出，一天不能既是休息日（休）又是调休上班日（班）。"),
        ("# 2027\nyear 2027\n", "第 2 行：2027 年没有任何日期行。只有年份行的文件不会载入，否则会清空该年的节假日安排。"),
    ],
)
def test_holiday_file_errors_are_in_chinese_and_name_the_line(text: str, message: str) -> None:
    with pytest.raises(HolidayFileError) as caught:
        parse_holiday_file(text)
    assert str(caught.value) == message


def test_a_holiday_file_with_a_byte_order_mark_is_read() -> None:
    [schedule] = parse_holiday_file("\ufeff" + HOLIDAY_FILE)
    assert schedule.year == 2027 and len(schedule.holidays) == 11


def test_changes_against_a_known_year() -> None:
    [one_line] = parse_holiday_file("year 2024\n2024-10-01 休\n")
    [change] = CALENDAR.changes([one_line])
    assert change.known and not change.empty and not change.holidays_added
    assert D("2024-10-07") in change.holidays_removed and D("2024-10-12") in change.workdays_removed
    [unknown] = CALENDAR.changes(parse_holiday_file(HOLIDAY_FILE))
    assert not unknown.known and len(unknown.holidays_added) == 11
