"""The staff console's accounts and security, through HTTP: sign-in, lockout, sessions, CSRF, headers."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.app import App
from bot.settings import Settings
from bot.tickets.clock import FixedClock
from bot.tickets.models import TicketEvent
from tests.dialogue_helpers import STAFF, STRANGER, SUPERVISOR
from tests.web_helpers import ADMIN, DAY, PASSWORD, client, console_app, csrf, post, sign_in, signed_in


def events(app: App, action: str) -> list[TicketEvent]:
    with app.db.session() as session:
        return list(session.scalars(select(TicketEvent).where(TicketEvent.action == action)))


def test_signing_in_sets_a_session_cookie_that_scripts_cannot_read(app: App, clock: FixedClock) -> None:
    c = client(app, clock)
    page = c.get("/staff/login")
    assert page.status_code == 200 and 'for="name"' in page.text and 'for="password"' in page.text
    response = c.post("/staff/login", data={"csrf": csrf(page.text), "name": STAFF, "password": PASSWORD})
    assert response.status_code == 303 and response.headers["location"] == "/staff/"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/staff" in cookie and "secure" not in cookie
    queue = c.get("/staff/")
    assert queue.status_code == 200 and "待办工单" in queue.text and STAFF in queue.text
    assert [e.actor for e in events(app, "signed_in")] == [STAFF]


def test_behind_a_trusted_proxy_https_makes_the_cookie_secure(sqlite_url: str, clock: FixedClock) -> None:
    from starlette.testclient import TestClient

    from handlers.web.staff.site import create_site

    for trusted, secure in (("127.0.0.1", True), ("", False), ("10.0.0.9", False)):
        app = console_app(sqlite_url, clock, web_trusted_proxies=trusted)
        c = TestClient(create_site(app, clock=clock), client=("127.0.0.1", 50000), follow_redirects=False,
                       headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"})
        page = c.get("/staff/login")
        response = c.post("/staff/login", data={"csrf": csrf(page.text), "name": STAFF, "password": PASSWORD})
        assert ("secure" in response.headers["set-cookie"].lower()) is secure, trusted
        app.close()


def test_a_wrong_password_and_an_unknown_name_get_the_same_answer(app: App, clock: FixedClock) -> None:
    c = client(app, clock)
    for name, password in ((STAFF, "not the password"), (STRANGER, PASSWORD)):
        page = c.get("/staff/login")
        response = c.post("/staff/login", data={"csrf": csrf(page.text), "name": name, "password": password})
        assert response.status_code == 401 and "名称或密码不正确" in response.text
        assert "set-cookie" not in response.headers or "gongkai_staff" not in response.headers["set-cookie"]
    assert [e.actor for e in events(app, "sign_in_failed")] == [STAFF, STRANGER]


def test_five_failures_lock_the_name_for_fifteen_minutes(app: App, clock: FixedClock) -> None:
    c = client(app, clock)
    statuses = [sign_in(c, STAFF, "wrong password!") for _ in range(5)]
    assert statuses == [401, 401, 401, 401, 429]
    page = c.get("/staff/login")
    locked = c.post("/staff/login", data={"csrf": csrf(page.text), "name": STAFF, "password": PASSWORD})
    assert locked.status_code == 429 and "已暂时锁定" in locked.text and "10:15" in locked.text
    assert len(events(app, "sign_in_locked")) == 1
    assert sign_in(c, SUPERVISOR) == 303  # other names are not locked
    clock.current += timedelta(minutes=14)
    assert sign_in(client(app, clock), STAFF) == 429
    clock.current += timedelta(minutes=2)
    assert sign_in(client(app, clock), STAFF) == 303
    # Tries made while locked are not guesses: one more failure after the lock does not lock again.
    assert sign_in(client(app, clock), STAFF, "wrong again!!") == 401


def test_a_session_ends_after_the_idle_period_and_at_sign_out(app: App, clock: FixedClock) -> None:
    c = signed_in(app, clock)
    clock.current += timedelta(hours=7, minutes=50)
    assert c.get("/staff/").status_code == 200  # used: the idle period starts again
    clock.current += timedelta(hours=7, minutes=50)
    assert c.get("/staff/").status_code == 200
    clock.current += timedelta(hours=8, minutes=1)
    expired = c.get("/staff/")
    assert expired.status_code == 303 and expired.headers["location"].startswith("/staff/login")

    c = signed_in(app, clock)
    cookie = c.cookies.get("gongkai_staff")
    out = post(c, "/staff/logout", page="/staff/")
    assert out.status_code == 303 and "ok=signed_out" in out.headers["location"]
    again = client(app, clock)
    again.cookies.set("gongkai_staff", cookie or "", path="/staff")  # the old cookie is worth nothing now
    assert again.get("/staff/").status_code == 303
    assert [e.actor for e in events(app, "signed_out")] == [STAFF]


def test_the_session_idle_period_is_a_setting(sqlite_url: str, clock: FixedClock) -> None:
    app = console_app(sqlite_url, clock, web_session_hours=1)
    c = signed_in(app, clock)
    clock.current += timedelta(minutes=61)
    assert c.get("/staff/").status_code == 303
    app.close()


def test_every_page_needs_a_session(app: App, clock: FixedClock) -> None:
    c = client(app, clock)
    for path in ("/staff/", "/staff/tickets/2026-1", "/staff/report", "/staff/knowledge", "/staff/admin",
                 "/staff/account"):
        response = c.get(path)
        assert response.status_code == 303 and response.headers["location"].startswith("/staff/login?next=")
    assert c.post("/staff/tickets/2026-1/note", data={"text": "x"}).status_code == 303


def test_a_form_without_its_token_is_refused_and_changes_nothing(app: App, clock: FixedClock) -> None:
    c = signed_in(app, clock)
    for data in ({}, {"csrf": "forged"}):
        response = c.post("/staff/account/password", data={**data, "current": PASSWORD, "new": "another long one",
                                                           "again": "another long one"})
        assert response.status_code == 403 and "表单已过期" in response.text
    assert sign_in(client(app, clock), STAFF) == 303  # the password did not change
    login = client(app, clock)
    login.get("/staff/login")
    refused = login.post("/staff/login", data={"csrf": "forged", "name": STAFF, "password": PASSWORD})
    assert refused.status_code == 403 and "gongkai_staff" not in refused.headers.get("set-cookie", "")


def test_pages_carry_the_security_headers_and_assets_come_from_the_package(app: App, clock: FixedClock) -> None:
    c = signed_in(app, clock)
    for response in (c.get("/staff/"), c.get("/staff/login")):
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
        assert response.headers["x-frame-options"] == "DENY" and response.headers["cache-control"] == "no-store"
        assert "<script" not in response.text and " style=" not in response.text and "http" not in \
            response.text.split("<body>")[0].replace('http-equiv', '')
    css = c.get("/staff/static/staff.css")
    assert css.status_code == 200 and "no-store" not in css.headers.get("cache-control", "")


def test_one_changes_ones_own_password(app: App, clock: FixedClock) -> None:
    c = signed_in(app, clock)
    wrong = post(c, "/staff/account/password", {"current": "not mine at all", "new": "a new long password",
                                                "again": "a new long password"}, page="/staff/account")
    assert wrong.status_code == 400 and "当前密码不正确" in wrong.text
    mismatch = post(c, "/staff/account/password", {"current": PASSWORD, "new": "a new long password",
                                                   "again": "a new long passw0rd"}, page="/staff/account")
    assert mismatch.status_code == 400 and "不一致" in mismatch.text
    short = post(c, "/staff/account/password", {"current": PASSWORD, "new": "short", "again": "short"},
                 page="/staff/account")
    assert short.status_code == 400 and "10 至 200 个字符" in short.text
    done = post(c, "/staff/account/password", {"current": PASSWORD, "new": "a new long password",
                                               "again": "a new long password"}, page="/staff/account")
    assert done.status_code == 303 and c.get("/staff/").status_code == 303  # signed out everywhere
    assert sign_in(client(app, clock), STAFF, "a new long password") == 303


def test_staff_passwd_on_the_command_line(cli, sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    clock = FixedClock.on(DAY)
    console_app(sqlite_url, clock).close()
    monkeypatch.setattr("sys.stdin", io.StringIO("a fine long password\n"))
    status, out, err = cli("--db", sqlite_url, "staff", "passwd", STAFF, "--as", STAFF, "--password-stdin")
    assert status == 0 and "已设置 li 的工作台密码" in out
    monkeypatch.setattr("sys.stdin", io.StringIO("a fine long password\n"))
    status, out, err = cli("--db", sqlite_url, "staff", "passwd", SUPERVISOR, "--as", STAFF, "--password-stdin")
    assert status == 1 and "管理员" in err  # only an administrator sets another's password
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    status, out, err = cli("--db", sqlite_url, "staff", "passwd", STAFF, "--as", ADMIN, "--password-stdin")
    assert status == 1 and "10 至 200 个字符" in err
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    status, out, err = cli("--db", sqlite_url, "staff", "passwd", STAFF, "--as", ADMIN, "--password-stdin")
    assert status == 1 and "没有读到密码" in err
    app = App(Settings.from_env(db=sqlite_url))
    assert sign_in(client(app, clock), STAFF, "a fine long password") == 303
    assert [e.data["action"] for e in events(app, "denied")] == ["password_set"]
    app.close()
