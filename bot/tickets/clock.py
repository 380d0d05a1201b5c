"""The clock services read: today's date in Asia/Shanghai (for the law's dates) and now in UTC."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Protocol

# China has kept UTC+8 without daylight saving since 1991: a fixed offset needs no tz database.
SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")


class Clock(Protocol):
    def today(self) -> date: ...

    def now(self) -> datetime: ...


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return self.now().astimezone(SHANGHAI).date()


@dataclass
class FixedClock:
    """A clock that says what it is told (tests, replays); ``advance`` moves it on."""

    current: datetime

    @classmethod
    def on(cls, day: date, hour: int = 10) -> FixedClock:
        """A clock at ``hour`` o'clock Shanghai time on ``day``."""
        return cls(datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI).astimezone(UTC))

    def now(self) -> datetime:
        return self.current

    def today(self) -> date:
        return self.current.astimezone(SHANGHAI).date()

    def advance(self, *, days: int = 0, hours: int = 0) -> None:
        self.current += timedelta(days=days, hours=hours)
