"""Who acted on the command line: `--as` names a staff member, the operating-system login is recorded
beside it on every event the CLI writes (issue 11)."""

from __future__ import annotations

import io
import re
import sys
from typing import Any

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

import bot.settings
from bot.settings import normalize_database_url
from bot.tickets.models import TicketEvent


def _events(url: str) -> list[tuple[str, str, dict[str, Any]]]:
    with Session(create_engine(normalize_database_url(url))) as session:
        return [(e.actor, e.action, dict(e.data or {})) for e in session.scalars(select(TicketEvent).order_by(TicketEvent.id))]


@pytest.fixture
def login(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(bot.settings.getpass, "getuser", lambda: "clerk7")
    monkeypatch.delenv("GONGKAI_STAFF", raising=False)
    return "clerk7"


def test_every_cli_event_carries_the_login_beside_the_staff_name(cli, db_url: str, login: str) -> None:  # type: ignore[no-untyped-def]
    assert cli("--db", db_url, "staff", "add", "zhou")[0] == 0
    assert cli("--db", db_url, "tickets", "new", "--as", "zhou", "--kind", "enquiry", "--channel", "counter",
               "--question", "怎样申请公开？")[0] == 0
    assert cli("--db", db_url, "tickets", "claim", "2026-1", "--as", "zhou")[0] in (0, 1)
    assert cli("--db", db_url, "tickets", "list", "--as", "mallory")[0] == 1
    events = _events(db_url)
    assert {a for _, a, _ in events} >= {"staff_added", "created", "denied"}
    assert all(data.get("os_user") == login for _, _, data in events), events
    assert ("mallory", "denied") in [(actor, action) for actor, action, _ in events]


def test_staff_chat_events_carry_the_login_too(cli, sqlite_url: str, login: str, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    cli("--db", sqlite_url, "staff", "add", "zhou")
    _, out, _ = cli("--db", sqlite_url, "tickets", "new", "--as", "zhou", "--kind", "enquiry", "--channel",
                    "counter", "--question", "怎样申请公开？")
    [number] = re.findall(r"\d{4}-\d{6}", out)
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"/note {number} 已电话联系\n"))
    status, _, err = cli("--db", sqlite_url, "chat", "--staff", "zhou")
    assert status == 0, err
    notes = [(actor, data) for actor, action, data in _events(sqlite_url) if action == "note"]
    assert notes and all(actor == "zhou" and data["os_user"] == login for actor, data in notes)


def test_gongkai_staff_names_the_actor_and_the_refusal_says_so(cli, sqlite_url: str, login: str,  # type: ignore[no-untyped-def]
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GONGKAI_STAFF", "mallory")
    status, _, err = cli("--db", sqlite_url, "tickets", "list")
    assert status == 1 and "“mallory”无权" in err and "取自环境变量 GONGKAI_STAFF" in err
    assert "--as NAME" in err
    [(actor, action, data)] = _events(sqlite_url)
    assert (actor, action, data["os_user"]) == ("mallory", "denied", login)


@pytest.mark.parametrize("failure", [KeyError("uid"), OSError("no login"), ImportError("pwd")])
def test_without_a_login_name_the_cli_still_works(cli, sqlite_url: str, monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
                                                  failure: Exception) -> None:
    def no_login() -> str:
        raise failure

    monkeypatch.setattr(bot.settings.getpass, "getuser", no_login)
    monkeypatch.delenv("GONGKAI_STAFF", raising=False)
    status, _, err = cli("--db", sqlite_url, "tickets", "list")
    assert status == 1 and "“unknown”无权" in err and "取自系统登录名" in err and "Traceback" not in err
    assert [(a, d["os_user"]) for a, _, d in _events(sqlite_url)] == [("unknown", "unknown")]
