"""Fixtures of the staff console's tests (a pytest plugin: tests/conftest.py loads it)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.app import App
from bot.tickets.clock import FixedClock
from tests.web_helpers import DAY, console_app


@pytest.fixture
def clock() -> FixedClock:
    """The day the console tests run on (a module may choose another)."""
    return FixedClock.on(DAY)


@pytest.fixture
def app(sqlite_url: str, clock: FixedClock) -> Iterator[App]:
    """A console-ready app on a fresh SQLite file (modules with their own `app` keep theirs)."""
    app = console_app(sqlite_url, clock)
    yield app
    app.close()
