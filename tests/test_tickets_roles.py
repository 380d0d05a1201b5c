"""Roles: every staff operation checks the actor's role, and a refusal is itself an event."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from ticket_helpers import STAFF, STRANGER, SUPERVISOR, form, open_db, service_on

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
        add_staff(session, at=now, by="admin", name="zhao", role="staff")
        add_staff(session, at=now, by="admin", name="zhao", role="supervisor")  # a role change
        assert [(m.name, m.role) for m in list_staff(session)] == [
            ("wang", "supervisor"), ("zhao", "supervisor"), ("li", "staff")]
        remove_staff(session, at=now, by="admin", name="zhao")
        with pytest.raises(InvalidInput):
            remove_staff(session, at=now, by="admin", name="zhao")
        with pytest.raises(InvalidInput):
            add_staff(session, at=now, by="admin", name="two words", role="staff")
    with db.session() as session:
        assert session.scalars(select(Staff.name).order_by(Staff.name)).all() == ["li", "wang"]
        actions = session.scalars(select(TicketEvent.action).where(TicketEvent.ticket_id.is_(None))).all()
        assert actions.count("staff_added") == 4 and actions.count("staff_removed") == 1


def test_a_removed_member_loses_access(db: Database) -> None:
    service = service_on(DAY)
    with db.session() as session:
        remove_staff(session, at=service.clock.now(), by="admin", name=STAFF)
    with db.session() as session, pytest.raises(PermissionDenied):
        service.claim(session, STAFF, NUMBER)
