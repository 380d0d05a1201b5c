"""Helpers for the dialogue tests: an app on a test database with a fixed clock, and staff."""

from __future__ import annotations

import io
from datetime import date

from bot.app import App
from bot.dialogue.engine import Engine
from bot.settings import Settings
from bot.tickets.clock import FixedClock
from bot.tickets.staff import add_staff
from handlers.terminal import run_terminal_chat

DAY = date(2026, 3, 2)  # a Monday
STAFF, SUPERVISOR, STRANGER, CITIZEN = "li", "wang", "mallory", "alice"
RESIDENT_ID = "11010519491231002X"  # the GB 11643 sample number
BAD_CHECK_DIGIT = "110105194912310021"


def make_app(db_url: str, clock: FixedClock | None = None, *, staff: str = STAFF, supervisor: str = SUPERVISOR,
             **settings: object) -> App:
    """An App whose engine runs on a fixed clock, with an administrator, one staff member and one supervisor."""
    app = App(Settings.from_env(db=db_url).with_(**settings))
    clock = clock or FixedClock.on(DAY)
    app.__dict__["engine"] = Engine(app.settings, app.db.session, lambda: app.matcher, clock)
    with app.db.session() as session:
        add_staff(session, at=clock.now(), by="admin", name="admin", role="admin")  # the first: an administrator
        add_staff(session, at=clock.now(), by="admin", name=staff, role="staff")
        add_staff(session, at=clock.now(), by="admin", name=supervisor, role="supervisor")
    return app


def session(app: App, lines: list[str], *, user: str | None = None, staff: str | None = None) -> str:
    """One run of `python -m bot chat` fed these lines; returns what it printed."""
    out = io.StringIO()
    status = run_terminal_chat(app, io.StringIO("".join(line + "\n" for line in lines)), out, user=user, staff=staff)
    assert status == 0, out.getvalue()
    return out.getvalue()
