"""`python -m bot web`: the site around the console, /healthz, the command and its settings."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import create_engine
from starlette.testclient import TestClient

from bot.tickets.clock import FixedClock
from handlers.web.staff.site import create_site
from tests.dialogue_helpers import CITIZEN
from tests.dialogue_helpers import session as chat
from tests.web_helpers import DAY, console_app


def test_healthz_answers_with_the_database(sqlite_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    clock = FixedClock.on(DAY)
    app = console_app(sqlite_url, clock)
    c = TestClient(create_site(app, clock=clock))
    assert c.get("/healthz").status_code == 200 and c.get("/healthz").text == "ok"
    assert "gongkai_visitor=" in c.get("/").headers["set-cookie"]  # / is the citizens' web chat
    missing = c.get("/staff/nothing-here")
    assert missing.status_code == 404 and "找不到页面" in missing.text and missing.headers["x-frame-options"] == "DENY"
    app.db.engine = create_engine(f"sqlite:///{tmp_path}/no/such/folder/db.sqlite3")  # the database is gone
    assert c.get("/healthz").status_code == 503
    app.close()


def test_the_web_command_serves_the_site_on_the_address_given(cli, sqlite_url: str,  # type: ignore[no-untyped-def]
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    served: dict[str, Any] = {}

    def fake_run(site: Any, **options: Any) -> None:
        served.update(options, health=TestClient(site).get("/healthz").status_code)

    monkeypatch.setattr("uvicorn.run", fake_run)
    status, _out, err = cli("--db", sqlite_url, "web", "--port", "8099")
    assert status == 0 and "http://127.0.0.1:8099/staff/" in err
    assert served["host"] == "127.0.0.1" and served["port"] == 8099 and served["proxy_headers"] is False
    assert served["health"] == 200 and served["ssl_certfile"] is None


def test_the_web_command_serves_https_itself_given_a_certificate_and_its_key(  # type: ignore[no-untyped-def]
        cli, sqlite_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    served: dict[str, Any] = {}
    monkeypatch.setattr("uvicorn.run", lambda _site, **options: served.update(options))
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert.write_text("-----BEGIN CERTIFICATE-----\n")
    key.write_text("-----BEGIN PRIVATE KEY-----\n")
    status, _out, err = cli("--db", sqlite_url, "web", "--port", "8443", "--ssl-certfile", str(cert),
                            "--ssl-keyfile", str(key))
    assert status == 0 and "https://127.0.0.1:8443/staff/" in err
    assert served["ssl_certfile"] == str(cert) and served["ssl_keyfile"] == str(key)
    served.clear()
    status, _out, err = cli("--db", sqlite_url, "web", "--ssl-certfile", str(cert))  # no key
    assert status == 1 and "须同时给出" in err and served == {}
    status, _out, err = cli("--db", sqlite_url, "web", "--ssl-certfile", str(cert), "--ssl-keyfile",
                            str(tmp_path / "nowhere.pem"))
    assert status == 1 and "找不到文件" in err and "nowhere.pem" in err and served == {}


def test_the_privacy_notice_states_that_unanswered_questions_are_kept(sqlite_url: str) -> None:
    app = console_app(sqlite_url, FixedClock.on(DAY))
    notice = chat(app, ["/privacy"], user=CITIZEN)
    assert "机器人没能回答的问题" in notice and "最长保存 90 天" in notice and "遮盖" in notice
    app.close()
