"""The statutory clock of real tickets: holidays, year ends, pauses, an extension, a correction."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from ticket_helpers import STAFF, SUPERVISOR, form, open_db, service_on

from bot.db import Database
from bot.errors import RuleViolation
from bot.tickets.clock import FixedClock
from bot.tickets.models import Ticket, TicketEvent
from bot.tickets.service import TicketService
from bot.workdays import YearSchedule

D = date.fromisoformat


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = open_db(db_url)
    yield database
    database.dispose()


def run_steps(db: Database, received: str, steps: list[tuple[str, str, dict[str, Any]]]) -> Ticket:
    """Register a request received on ``received``, then run each (day, method, kwargs) in its own transaction."""
    service = service_on(D(received))
    with db.session() as session:
        number = service.register_request(session, STAFF, channel="counter", form=form(),
                                          received_on=D(received)).number
    for day, method, kwargs in steps:
        service.clock = FixedClock.on(D(day))
        actor = SUPERVISOR if method == "approve_extension" else STAFF
        with db.session() as session:
            if method == "end_expired_consultations":
                service.end_expired_consultations(session)
            else:
                getattr(service, method)(session, actor, number, **kwargs)
    with db.session() as session:
        return service.get(session, number)


CONSULT = ("start_consultation", {"party": "third_party"})
SCENARIOS = {
    "plain, across 国庆 2024": ("2024-09-27", [], "2024-10-30", "received"),
    "consultation pauses the clock": (
        "2024-09-27", [("2024-10-08", *CONSULT), ("2024-10-15", "end_consultation", {})], "2024-11-07", "received"),
    "consultation ends by itself after 15 working days": (
        "2024-09-27", [("2024-10-08", *CONSULT), ("2024-10-29", "end_expired_consultations", {})],
        "2024-11-20", "received"),
    "an end recorded late does not stretch the pause": (
        "2024-09-27", [("2024-10-08", *CONSULT), ("2024-11-04", "end_consultation", {})], "2024-11-20", "received"),
    "fee notice waits for payment": (
        "2024-09-27", [("2024-10-08", "send_fee_notice", {"amount": "30"}), ("2024-10-10", "record_payment", {})],
        "2024-11-01", "received"),
    "an extension of 20 working days": (
        "2024-09-27", [("2024-10-29", "request_extension", {"days": 20, "reason": "需调取档案"}),
                       ("2024-10-30", "approve_extension", {})], "2024-11-27", "extended"),
    "a consultation during an extension": (
        "2024-09-27", [("2024-10-08", "request_extension", {"days": 20, "reason": "需调取档案"}),
                       ("2024-10-08", "approve_extension", {}), ("2024-10-09", *CONSULT),
                       ("2024-10-11", "end_consultation", {})], "2024-11-29", "extended"),
    "the 20 days restart from the correction": (
        "2024-09-27", [("2024-10-08", "ask_correction", {"matters": "请写明文件名称"}),
                       ("2024-10-21", "record_correction", {})], "2024-11-18", "received"),
    "a year end, then 春节 2025": ("2024-12-20", [], "2025-01-20", "received"),
    "a year end, 春节 2025 and an extension": (
        "2024-12-20", [("2025-01-06", "request_extension", {"days": 20, "reason": "需协调"}),
                       ("2025-01-06", "approve_extension", {})], "2025-02-21", "extended"),
    "春节 2024 with its Sunday make-up days": ("2024-02-05", [], "2024-03-08", "received"),
}


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_due_date_scenarios(db: Database, name: str) -> None:
    received, steps, due, status = SCENARIOS[name]
    ticket = run_steps(db, received, steps)
    assert (ticket.due_on, ticket.due_provisional, ticket.status) == (D(due), False, status)


def test_while_awaiting_correction_there_is_no_reply_due(db: Database) -> None:
    ticket = run_steps(db, "2024-09-27", [("2024-10-12", "ask_correction", {"matters": "请写明文号"})])
    assert ticket.due_on is None
    # 15 working days (the default setting) from 10-12: 10-14 … 11-01.
    assert ticket.correction_deadline_on == D("2024-11-01")


def test_correction_limit_is_the_seventh_working_day(db: Database) -> None:
    # 第三十条: received 2024-09-27, the 7th working day is Saturday 2024-10-12 (a 调休 day).
    run_steps(db, "2024-09-27", [("2024-10-12", "ask_correction", {"matters": "请写明文号"})])
    with pytest.raises(RuleViolation) as caught:
        run_steps(db, "2024-09-27", [("2024-10-14", "ask_correction", {"matters": "请写明文号"})])
    assert "2024-10-12" in str(caught.value)


def test_provisional_until_the_year_is_loaded(db: Database) -> None:
    ticket = run_steps(db, "2026-12-15", [])
    assert (ticket.due_on, ticket.due_provisional) == (D("2027-01-12"), True)
    service = service_on(D("2026-12-16"))
    new_year = YearSchedule(2027, frozenset({D("2027-01-01"), D("2027-01-02"), D("2027-01-03")}), frozenset())
    with db.session() as session:
        assert service.load_holidays(session, "admin", [new_year]).recomputed == [ticket.number]
    with db.session() as session:
        reloaded = service.get(session, ticket.number)
        assert (reloaded.due_on, reloaded.due_provisional) == (D("2027-01-13"), False)
        actions = session.scalars(select(TicketEvent.action).where(TicketEvent.ticket_id == reloaded.id)).all()
        assert actions[-1] == "due_recomputed"


def test_a_consultation_that_ran_out_is_ended_by_the_system(db: Database) -> None:
    run_steps(db, "2024-09-27", [("2024-10-08", *CONSULT), ("2024-10-29", "end_expired_consultations", {})])
    with db.session() as session:
        event = session.scalars(select(TicketEvent).where(TicketEvent.action == "consultation_ended")).one()
        assert event.actor == "system" and event.data and event.data["expired"] is True
        assert event.data["ended"] == "2024-10-28"


def test_a_ticket_touched_after_the_limit_catches_up_by_itself(db: Database) -> None:
    ticket = run_steps(db, "2024-09-27", [("2024-10-08", *CONSULT), ("2024-11-05", "note", {"text": "催办"})])
    assert ticket.status == "received" and ticket.due_on == D("2024-11-20")


def test_services_never_commit(db: Database) -> None:
    service: TicketService = service_on(D("2024-09-27"))
    with db.session() as session:
        number = service.register_request(session, STAFF, channel="counter", form=form()).number
        session.rollback()
    with db.session() as session:
        assert session.scalars(select(Ticket).where(Ticket.number == number)).first() is None
