"""Helpers for the staff console tests: an app with staff who have passwords, a signed-in client."""

from __future__ import annotations

import re
from datetime import date

from starlette.testclient import TestClient

from bot.accounts import set_password
from bot.app import App
from bot.tickets.clock import FixedClock
from handlers.web.staff.site import create_site
from tests.dialogue_helpers import STAFF, SUPERVISOR, make_app

PASSWORD = "correct horse battery"
DAY = date(2026, 3, 2)  # a Monday
ADMIN = "admin"
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def console_app(db_url: str, clock: FixedClock | None = None, **settings: object) -> App:
    """An App with an administrator, a staff member and a supervisor, each with PASSWORD."""
    clock = clock or FixedClock.on(DAY)
    app = make_app(db_url, clock, **settings)
    with app.db.session() as session:
        for name in (ADMIN, STAFF, SUPERVISOR):
            set_password(session, at=clock.now(), by=ADMIN, name=name, password=PASSWORD)
    return app


def client(app: App, clock: FixedClock, *, base_url: str = "http://testserver") -> TestClient:
    return TestClient(create_site(app, clock=clock), base_url=base_url, follow_redirects=False)


def csrf(html: str) -> str:
    found = _CSRF.search(html)
    assert found, html[:2000]
    return found[1]


def sign_in(c: TestClient, name: str, password: str = PASSWORD) -> int:
    page = c.get("/staff/login")
    response = c.post("/staff/login", data={"csrf": csrf(page.text), "name": name, "password": password})
    return response.status_code


def signed_in(app: App, clock: FixedClock, name: str = STAFF) -> TestClient:
    c = client(app, clock)
    assert sign_in(c, name) == 303
    return c


def post(c: TestClient, path: str, data: dict[str, str] | None = None, *, page: str | None = None,
         files: list[tuple[str, tuple[str, bytes, str]]] | None = None):  # type: ignore[no-untyped-def]
    """Post a form of ``page`` (default: the same path's page) with that page's CSRF token."""
    token = csrf(c.get(page or path.rsplit("/", 1)[0]).text)
    return c.post(path, data={"csrf": token, **(data or {})}, files=files)
