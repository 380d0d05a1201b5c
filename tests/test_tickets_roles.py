"""Roles: every staff operation checks the actor's role, and a refusal is itself an event."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from ticket_helpers import ADMIN, STAFF, STRANGER, SUPERVISOR, form, open_db, service_on

from bot.cli import main
from bot.db import Database
from bot.errors import InvalidInput, PermissionDenied
from bot.tickets.models import Staff, TicketEvent
from bot.tickets.staff import add_staff, list_staff, remove_staff
from bot.tickets.views import Filters

DAY = date(2024, 10, 8)
NUMBER = "2024-000001"

# Every operation staff perform on an existing ticket, with arguments that would otherwise succeed or
# fail for another reason: the role check comes first.
OPERATIONS: list[tuple[str, dict[str, Any]]] = [
    ("claim", {}),
    ("assign", {"to": STAFF}),
    ("note", {"text": "内部备注"}),
    ("reply", {"text": "您好"}),
    ("ask_correction", {"matters": "请写明文号"}),
    ("record_correction", {}),
    ("start_consultation", {"party": "third_party"}),
    ("end_consultation", {}),
    ("send_fee_notice", {"amount": "20"}),
    ("record_payment", {}),
    ("request_extension", {"days": 10, "reason": "需调档"}),
    ("approve_extension", {}),
    ("close", {"outcome": "disclosed"}),
    ("add_remedy", {"kind": "review", "filed_on": DAY}),
    ("detail", {}),
    ("detail", {"reveal": True}),
]


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = open_db(db_url)
    with database.session() as session:
        service_on(DAY).register_request(session, STAFF, channel="counter", form=form(), received_on=DAY)
    yield database
    database.dispose()


def _denied_events(db: Database) -> list[TicketEvent]:
    with db.session() as session:
        return list(session.scalars(select(TicketEvent).where(TicketEvent.action == "denied")))


@pytest.mark.parametrize(("method", "kwargs"), OPERATIONS, ids=[f"{m}{'-reveal' if k.get('reveal') else ''}"
                                                               for m, k in OPERATIONS])
def test_a_stranger_is_refused_and_the_refusal_recorded(db: Database, method: str, kwargs: dict[str, Any]) -> None:
    service = service_on(DAY)
    # The caller commits the refusal event, as bot.cli_tickets.run does.
    with db.session() as session, pytest.raises(PermissionDenied) as caught:
        getattr(service, method)(session, STRANGER, NUMBER, **kwargs)
    assert STRANGER in str(caught.value)
    [event] = _denied_events(db)
    assert event.actor == STRANGER and event.ticket_id is not None
    assert event.data is not None and event.data["role"] in ("staff", "supervisor")
    if method == "detail":
        assert event.data["action"] == ("revealed" if kwargs else "viewed")


def test_registering_and_listing_need_the_staff_role(db: Database) -> None:
    service = service_on(DAY)
    with db.session() as session:
        with pytest.raises(PermissionDenied):
            service.register_request(session, STRANGER, channel="post", form=form())
        with pytest.raises(PermissionDenied):
            service.register_enquiry(session, STRANGER, channel="post", question="?")
        with pytest.raises(PermissionDenied):
            service.list_tickets(session, STRANGER, Filters())
    assert [(e.ticket_id, e.data and e.data["action"]) for e in _denied_events(db)] == [
        (None, "created"), (None, "created"), (None, "listed")]


def test_only_a_supervisor_approves_an_extension(db: Database) -> None:
    service = service_on(DAY)
    with db.session() as session:
        service.request_extension(session, STAFF, NUMBER, days=10, reason="需调档")
    with db.session() as session, pytest.raises(PermissionDenied):
        service.approve_extension(session, STAFF, NUMBER)
    with db.session() as session:
        assert service.approve_extension(session, SUPERVISOR, NUMBER).status == "extended"
    [event] = _denied_events(db)
    assert event.actor == STAFF and event.data == {"action": "extension_approved", "role": "supervisor"}


def test_a_supervisor_can_do_what_staff_can(db: Database) -> None:
    with db.session() as session:
        assert service_on(DAY).claim(session, SUPERVISOR, NUMBER).assignee == SUPERVISOR


def test_staff_add_remove_list(db: Database) -> None:
    now = service_on(DAY).clock.now()
    with db.session() as session:
        add_staff(session, at=now, by=ADMIN, name="zhao", role="staff")
        add_staff(session, at=now, by=ADMIN, name="zhao", role="supervisor")  # a role change
        assert [(m.name, m.role) for m in list_staff(session)] == [
            ("admin", "admin"), ("wang", "supervisor"), ("zhao", "supervisor"), ("li", "staff")]
        remove_staff(session, at=now, by=ADMIN, name="zhao")
        with pytest.raises(InvalidInput):
            remove_staff(session, at=now, by=ADMIN, name="zhao")
        with pytest.raises(InvalidInput):
            add_staff(session, at=now, by=ADMIN, name="two words", role="staff")
    with db.session() as session:
        assert session.scalars(select(Staff.name).order_by(Staff.name)).all() == ["admin", "li", "wang"]
        actions = session.scalars(select(TicketEvent.action).where(TicketEvent.ticket_id.is_(None))).all()
        assert actions.count("staff_added") == 5 and actions.count("staff_removed") == 1


def test_a_removed_member_loses_access(db: Database) -> None:
    service = service_on(DAY)
    with db.session() as session:
        remove_staff(session, at=service.clock.now(), by=ADMIN, name=STAFF)
    with db.session() as session, pytest.raises(PermissionDenied):
        service.claim(session, STAFF, NUMBER)


def _denied(url: str) -> list[tuple[str, dict[str, Any] | None]]:
    """The refusals the CLI recorded, each without the login name it carries (asserted here)."""
    database = Database(url)
    try:
        with database.session() as session:
            events = session.scalars(select(TicketEvent).where(TicketEvent.action == "denied")).all()
            assert all(e.data and e.data.get("os_user") for e in events)
            return [(e.actor, {k: v for k, v in (e.data or {}).items() if k != "os_user"}) for e in events]
    finally:
        database.dispose()


def _roles(url: str) -> dict[str, str]:
    database = Database(url)
    try:
        with database.session() as session:
            return {m.name: m.role for m in list_staff(session)}
    finally:
        database.dispose()


def test_the_first_staff_add_creates_an_administrator_and_says_so(cli, sqlite_url: str) -> None:  # type: ignore[no-untyped-def]
    status, out, _ = cli("--db", sqlite_url, "staff", "add", "zhou", "--role", "supervisor", "--as", "nobody")
    assert status == 0
    assert "已保存：zhou（管理员）。数据库中原来没有管理员，第一位添加的即为管理员（而不是所写的“负责人”）。" in out
    assert _roles(sqlite_url) == {"zhou": "admin"}
    status, out, _ = cli("--db", sqlite_url, "staff", "add", "li", "--as", "zhou")
    assert (status, out.strip()) == (0, "已保存：li（工作人员）。")


def test_only_an_administrator_adds_removes_or_changes_staff(cli, sqlite_url: str) -> None:  # type: ignore[no-untyped-def]
    cli("--db", sqlite_url, "staff", "add", "zhou")
    cli("--db", sqlite_url, "staff", "add", "li", "--as", "zhou")
    cli("--db", sqlite_url, "staff", "add", "wang", "--role", "supervisor", "--as", "zhou")
    attempts = [
        ["staff", "add", "x", "--role", "supervisor", "--as", "nobody"],  # not staff at all
        ["staff", "add", "li", "--role", "supervisor", "--as", "li"],  # staff promoting themselves
        ["staff", "add", "x", "--as", "wang"],  # a supervisor is not an administrator
        ["staff", "remove", "li", "--as", "wang"],
    ]
    for args in attempts:
        status, out, err = cli("--db", sqlite_url, *args)
        assert status == 1 and out == "", args
        assert f"“{args[-1]}”无权进行此操作（需要管理员身份）。已记录本次尝试。" in err
    assert _roles(sqlite_url) == {"zhou": "admin", "wang": "supervisor", "li": "staff"}
    assert _denied(sqlite_url) == [
        ("nobody", {"action": "staff_added", "role": "admin"}), ("li", {"action": "staff_added", "role": "admin"}),
        ("wang", {"action": "staff_added", "role": "admin"}), ("wang", {"action": "staff_removed", "role": "admin"})]
    assert cli("--db", sqlite_url, "staff", "add", "wang", "--role", "admin", "--as", "zhou")[0] == 0
    assert cli("--db", sqlite_url, "staff", "remove", "li", "--as", "wang")[0] == 0
    assert _roles(sqlite_url) == {"zhou": "admin", "wang": "admin"}


def test_the_last_administrator_stays(cli, sqlite_url: str) -> None:  # type: ignore[no-untyped-def]
    cli("--db", sqlite_url, "staff", "add", "zhou")
    for args in (["remove", "zhou"], ["add", "zhou", "--role", "staff"]):
        status, _, err = cli("--db", sqlite_url, "staff", *args, "--as", "zhou")
        assert status == 1 and "“zhou”是唯一的管理员" in err
    assert _roles(sqlite_url) == {"zhou": "admin"}


def test_loading_holidays_is_administrator_work(cli, sqlite_url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli("--db", sqlite_url, "staff", "add", "zhou")
    cli("--db", sqlite_url, "staff", "add", "wang", "--role", "supervisor", "--as", "zhou")
    schedule = tmp_path / "2099.txt"
    schedule.write_text("year 2099\n2099-12-24 休\n", encoding="utf-8")
    status, out, err = cli("--db", sqlite_url, "holidays", "load", str(schedule), "--as", "wang")
    assert status == 1 and out == "" and "需要管理员身份" in err
    assert _denied(sqlite_url) == [("wang", {"action": "calendar_loaded", "role": "admin"})]
    assert cli("--db", sqlite_url, "holidays", "load", str(schedule), "--as", "zhou")[0] == 0


@pytest.mark.parametrize(("args", "codes"), [
    (["staff", "add", "x", "--role", "boss"], "staff、supervisor、admin"),
    (["tickets", "new", "--channel", "pigeon"], "telegram、terminal、counter"),
])
def test_an_invalid_choice_lists_plain_codes(args: list[str], codes: str, capsys: pytest.CaptureFixture[str],
                                             tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--db", str(tmp_path / "d.sqlite3"), *args])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert "<" not in err and "Role." not in err and "Channel." not in err
    assert codes in err and "可选" in err and "invalid choice" not in err
