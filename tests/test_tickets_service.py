"""Staff operations: the procedure's rules, closing, chat intake, review and lawsuit records."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import select
from ticket_helpers import STAFF, SUPERVISOR, form, open_db, service_on

from bot import texts
from bot.db import Database
from bot.errors import IllegalTransition, InvalidInput, RuleViolation
from bot.tickets.clock import FixedClock
from bot.tickets.codes import Action
from bot.tickets.models import RemedyRecord, TicketEvent
from bot.tickets.service import TicketService
from bot.tickets.status import TicketStatus

DAY = date(2024, 9, 27)  # due 2024-10-30
N = "2024-000001"


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = open_db(db_url)
    with database.session() as session:
        service_on(DAY).register_request(session, STAFF, channel="post", form=form(), received_on=DAY)
    yield database
    database.dispose()


def at(day: str) -> TicketService:
    return service_on(date.fromisoformat(day))


def test_claim_and_assign(db: Database) -> None:
    with db.session() as s:
        at("2024-09-29").claim(s, STAFF, N)
        with pytest.raises(RuleViolation):
            at("2024-09-29").claim(s, SUPERVISOR, N)
        with pytest.raises(InvalidInput):
            at("2024-09-29").assign(s, STAFF, N, to="nobody")
        assert at("2024-09-29").assign(s, STAFF, N, to=SUPERVISOR).assignee == SUPERVISOR


def test_correction_is_asked_once(db: Database) -> None:
    with db.session() as s:
        at("2024-10-08").ask_correction(s, STAFF, N, matters="请写明文号", days=5)
        at("2024-10-10").record_correction(s, STAFF, N)
    with db.session() as s, pytest.raises(RuleViolation, match="一次"):
        at("2024-10-11").ask_correction(s, STAFF, N, matters="还不清楚")


def test_recording_without_a_pending_step_is_refused(db: Database) -> None:
    for method in ("record_correction", "end_consultation", "record_payment"):
        with db.session() as s, pytest.raises(RuleViolation, match="当前为“已收到”"):
            getattr(at("2024-10-08"), method)(s, STAFF, N)


@pytest.mark.parametrize(
    ("steps", "error"),
    [
        # A second request, after the first was approved.
        ([("request", "2024-10-08"), ("approve", "2024-10-08"), ("request", "2024-10-09")], RuleViolation),
        # A second request while the first waits.
        ([("request", "2024-10-08"), ("request", "2024-10-09")], RuleViolation),
        # Requested after the due date (2024-10-30).
        ([("request", "2024-10-31")], RuleViolation),
        # Requested in time, approved too late.
        ([("request", "2024-10-29"), ("approve", "2024-10-31")], RuleViolation),
        # Approval without a request.
        ([("approve", "2024-10-08")], RuleViolation),
        # Not while waiting for a correction.
        ([("correction", "2024-10-08"), ("request", "2024-10-09")], IllegalTransition),
        # Not while the clock is paused for a consultation: end it first.
        ([("request", "2024-10-08"), ("consult", "2024-10-09"), ("approve", "2024-10-10")], RuleViolation),
    ],
)
def test_one_extension_before_the_due_date(db: Database, steps: list[tuple[str, str]], error: type) -> None:
    with pytest.raises(error):
        for step, day in steps:
            with db.session() as s:
                if step == "request":
                    at(day).request_extension(s, STAFF, N, days=20, reason="需调档")
                elif step == "approve":
                    at(day).approve_extension(s, SUPERVISOR, N)
                elif step == "consult":
                    at(day).start_consultation(s, STAFF, N, party="third_party")
                else:
                    at(day).ask_correction(s, STAFF, N, matters="请写明文号")


@pytest.mark.parametrize("days", [0, 21])
def test_extension_length(db: Database, days: int) -> None:
    with db.session() as s, pytest.raises(InvalidInput):
        at("2024-10-08").request_extension(s, STAFF, N, days=days, reason="需调档")


@pytest.mark.parametrize(
    ("prepare", "outcome", "agency", "error"),
    [
        (None, "no_such_code", None, InvalidInput),
        (None, "answered", None, InvalidInput),  # an enquiry's outcome
        (None, "not_this_agency", None, InvalidInput),  # must name the agency
        (None, "still_unclear", None, RuleViolation),  # no correction was received
        ("correction", "correction_overdue", None, RuleViolation),  # the deadline has not passed
        ("correction", "disclosed", None, RuleViolation),  # not while waiting for the applicant
        ("fee", "fee_unpaid", None, RuleViolation),  # the payment deadline has not passed
        ("closed", "disclosed", None, IllegalTransition),  # closed is final
    ],
)
def test_closing_rules(db: Database, prepare: str | None, outcome: str, agency: str | None, error: type) -> None:
    with db.session() as s:
        if prepare == "correction":
            at("2024-10-08").ask_correction(s, STAFF, N, matters="请写明文号")
        if prepare == "fee":
            at("2024-10-08").send_fee_notice(s, STAFF, N, amount="50")
        if prepare == "closed":
            at("2024-10-08").close(s, STAFF, N, outcome="withdrawn")
    with db.session() as s, pytest.raises(error):
        at("2024-10-10").close(s, STAFF, N, outcome=outcome, agency=agency)


def test_close_after_the_correction_deadline(db: Database) -> None:
    with db.session() as s:
        at("2024-10-08").ask_correction(s, STAFF, N, matters="请写明文号", days=2)  # deadline 2024-10-10
    with db.session() as s:
        reply = at("2024-10-11").close(s, STAFF, N, outcome="correction_overdue")
    assert "2024年10月8日" in reply and "2024年10月10日" in reply
    with db.session() as s:
        ticket = at("2024-10-11").get(s, N)
        assert (ticket.status, ticket.outcome, ticket.closed_on) == ("closed", "correction_overdue", date(2024, 10, 11))
        assert ticket.due_on is None  # closed while the clock stood still


def test_enquiries_are_off_the_clock(db: Database) -> None:
    with db.session() as s:
        enquiry = at("2024-10-08").register_enquiry(s, STAFF, channel="counter", question="怎么申请？")
        assert enquiry.due_on is None and enquiry.number == "2024-000002"
        with pytest.raises(IllegalTransition):
            at("2024-10-08").ask_correction(s, STAFF, enquiry.number, matters="?")
        reply = at("2024-10-08").close(s, STAFF, enquiry.number, outcome="answered")
    assert texts.ENQUIRY_OUTCOMES["answered"] in reply


def test_chat_intake_and_withdrawal(db: Database) -> None:
    service = at("2024-10-08")
    with db.session() as s:
        ticket = service.file_from_chat(s, channel="telegram", chat_id="42", form=form())
        assert ticket.received_on == date(2024, 10, 8)  # 第三十一条: the day the bot confirms receipt
        with pytest.raises(InvalidInput):
            service.withdraw_from_chat(s, ticket.number, chat_id="43")
        service.withdraw_from_chat(s, ticket.number, chat_id="42")
        assert [r.outcome for r in service.tickets_of_chat(s, "42")] == ["withdrawn"]
        closed = s.scalars(select(TicketEvent).where(TicketEvent.action == "closed")).one()
        assert closed.actor == "chat:42"


@pytest.mark.parametrize(
    ("channel", "chat_id", "received"),
    [("telegram", None, None), ("post", "42", None), ("post", None, date(2024, 10, 9)), ("pigeon", None, None)],
)
def test_registration_checks(db: Database, channel: str, chat_id: str | None, received: date | None) -> None:
    with db.session() as s, pytest.raises(InvalidInput):
        at("2024-10-08").register_request(s, STAFF, channel=channel, form=form(), chat_id=chat_id,
                                          received_on=received)


@pytest.mark.parametrize(
    "changes",
    [
        {"applicant_type": "commercial"},  # an organisation with a personal document
        {"phone": None, "email": None, "address": None},  # no contact at all
        {"email": None},  # delivery by e-mail without an address
        {"applicant_name": "  "},
        {"description": ""},
        {"id_number": "110105194912310021"},
    ],
)
def test_request_form_checks(db: Database, changes: dict[str, object]) -> None:
    with db.session() as s, pytest.raises(InvalidInput):
        at("2024-10-08").register_request(s, STAFF, channel="post", form=form(**changes))


def test_review_and_lawsuit_records(db: Database) -> None:
    with db.session() as s:
        at("2024-10-20").close(s, STAFF, N, outcome="state_secret")
    with db.session() as s:
        review = at("2024-11-01").add_remedy(s, STAFF, N, kind="review", filed_on=date(2024, 11, 1))
        with pytest.raises(InvalidInput):
            at("2024-11-01").add_remedy(s, STAFF, N, kind="review", filed_on=date(2024, 11, 1), result="upheld")
    with db.session() as s:
        at("2024-12-20").decide_remedy(s, STAFF, review.id, decided_on=date(2024, 12, 20), result="upheld")
        at("2024-12-30").add_remedy(s, STAFF, N, kind="lawsuit_after_review", filed_on=date(2024, 12, 30))
    with db.session() as s:
        rows = s.scalars(select(RemedyRecord).order_by(RemedyRecord.id)).all()
        assert [(r.kind, r.result, r.decided_on) for r in rows] == [
            ("review", "upheld", date(2024, 12, 20)), ("lawsuit_after_review", "pending", None)]


def test_events_store_codes_never_labels(db: Database) -> None:
    service = at("2024-10-08")
    with db.session() as s:
        service.claim(s, STAFF, N)
        service.start_consultation(s, STAFF, N, party="agency")
        service.clock = FixedClock.on(date(2024, 10, 9))
        service.end_consultation(s, STAFF, N)
        service.close(s, STAFF, N, outcome="partly_disclosed")
    labels = {*texts.STATUS_LABELS.values(), *texts.PAUSE_LABELS.values(), *texts.ACTION_LABELS.values(),
              *texts.CHANNEL_LABELS.values(), *texts.KIND_LABELS.values()}
    with db.session() as s:
        events = s.scalars(select(TicketEvent).where(TicketEvent.ticket_id.is_not(None))).all()
    assert [e.action for e in events] == ["created", "claimed", "consultation_started", "consultation_ended", "closed"]
    for event in events:
        assert event.action in {a.value for a in Action}
        assert {event.from_status, event.to_status} <= {None, *(s.value for s in TicketStatus)}
        assert not any(str(v) in labels for v in (event.data or {}).values())
    assert events[-1].data == {"outcome": "partly_disclosed", "closed": "2024-10-09", "notify": True}
