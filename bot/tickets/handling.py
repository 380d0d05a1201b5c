"""Handling a ticket: claim, assign, notes, replies, closing with an outcome, review and lawsuit records."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy.orm import Session

from bot import texts
from bot.errors import InvalidInput, RuleViolation
from bot.tickets.base import ServiceBase, parse_code
from bot.tickets.codes import Action, PauseKind, Rating, RemedyKind, RemedyResult, TicketKind
from bot.tickets.intake import chat_actor
from bot.tickets.models import RemedyRecord, Ticket
from bot.tickets.outcomes import ENQUIRY_OUTCOMES, OUTCOMES
from bot.tickets.replies import closing_reply
from bot.tickets.staff import find_staff
from bot.tickets.status import TicketStatus


class HandlingOps(ServiceBase):
    def claim(self, session: Session, actor: str, number: str) -> Ticket:
        ticket = self._begin(session, actor, number, Action.CLAIMED)
        if ticket.assignee not in (None, actor):
            raise RuleViolation(texts.ALREADY_ASSIGNED.format(assignee=ticket.assignee))
        ticket.assignee = actor
        self._event(session, ticket, actor, Action.CLAIMED, assignee=actor)
        return ticket

    def assign(self, session: Session, actor: str, number: str, *, to: str) -> Ticket:
        ticket = self._begin(session, actor, number, Action.ASSIGNED)
        if find_staff(session, to) is None:
            raise InvalidInput(texts.STAFF_NOT_FOUND.format(name=to))
        previous, ticket.assignee = ticket.assignee, to
        self._event(session, ticket, actor, Action.ASSIGNED, assignee=to, previous=previous)
        return ticket

    def note(self, session: Session, actor: str, number: str, *, text: str) -> Ticket:
        """An internal note: staff see it, the applicant does not."""
        ticket = self._begin(session, actor, number, Action.NOTE)
        self._event(session, ticket, actor, Action.NOTE, text=_required(text))
        return ticket

    def reply(self, session: Session, actor: str, number: str, *, text: str, files: Sequence[str] = ()) -> str:
        """A message to the applicant (the chat layer sends it; the event says it must be).

        ``files`` are the names of documents sent with it (the text may then be empty): one
        ``document_sent`` event each, recorded after the reply; the history keeps the name only.
        """
        ticket = self._begin(session, actor, number, Action.REPLIED)
        if ticket.status == TicketStatus.CLOSED:
            raise RuleViolation(texts.TICKET_CLOSED.format(number=ticket.number))
        text = text.strip() if files else _required(text)
        self._event(session, ticket, actor, Action.REPLIED, text=text or None, notify=True)
        for name in files:
            self._event(session, ticket, actor, Action.DOCUMENT_SENT, file=name)
        return text

    def close(self, session: Session, actor: str, number: str, *, outcome: str,
              agency: str | None = None, on: date | None = None) -> str:
        """Close with an outcome (a reply code); return the reply to the applicant."""
        ticket = self._begin(session, actor, number, Action.CLOSED)
        return self._close(session, ticket, actor, outcome, agency, on)

    def withdraw_from_chat(self, session: Session, number: str, *, chat_id: str) -> str:
        """The applicant withdraws in the chat the ticket came from: outcome （六）3 其他."""
        ticket = self.get(session, number, for_update=True)
        if ticket.chat_id != chat_id:
            raise InvalidInput(texts.NOT_YOUR_TICKET.format(number=ticket.number))
        return self._close(session, ticket, chat_actor(chat_id), "withdrawn", None, None)

    def rate_from_chat(self, session: Session, number: str, *, chat_id: str, rating: str) -> Ticket:
        """The applicant rates a closed ticket from its chat; one rating, the first one counts."""
        ticket = self.get(session, number, for_update=True)
        if ticket.chat_id != chat_id:
            raise InvalidInput(texts.NOT_YOUR_TICKET.format(number=ticket.number))
        self._expect(ticket, TicketStatus.CLOSED)
        value = parse_code(Rating, rating, texts.FIELD_RATING).value
        if any(e.action == Action.RATED for e in ticket.events):
            raise RuleViolation(texts.ALREADY_RATED.format(number=ticket.number))
        self._event(session, ticket, chat_actor(chat_id), Action.RATED, rating=value)
        return ticket

    def rated(self, session: Session, number: str) -> bool:
        """Whether the applicant has rated the ticket (only the first rating counts)."""
        return any(e.action == Action.RATED for e in self.get(session, number).events)

    def _close(self, session: Session, ticket: Ticket, actor: str, outcome: str,
               agency: str | None, on: date | None) -> str:
        self._can(ticket, TicketStatus.CLOSED)
        day = self._day(on, not_before=ticket.received_on)
        agency = self._check_outcome(ticket, outcome, agency, day)
        ticket.outcome, ticket.referred_agency, ticket.closed_on = outcome, agency, day
        pause = self._open_pause(ticket)
        if pause is not None:
            pause.ended_on = max(day, pause.started_on)
        self._move(session, ticket, TicketStatus.CLOSED, actor, Action.CLOSED, outcome=outcome,
                   closed=day.isoformat(), notify=True)
        return closing_reply(ticket, self.settings)

    def _check_outcome(self, ticket: Ticket, outcome: str, agency: str | None, day: date) -> str | None:
        if ticket.kind == TicketKind.ENQUIRY:
            if outcome not in ENQUIRY_OUTCOMES:
                raise InvalidInput(texts.UNKNOWN_OUTCOME.format(code=outcome))
            return None
        spec = OUTCOMES.get(outcome)
        if spec is None:
            raise InvalidInput(texts.UNKNOWN_OUTCOME.format(code=outcome))
        waiting = {TicketStatus.AWAITING_CORRECTION.value: "correction_overdue",
                   TicketStatus.AWAITING_FEE.value: "fee_unpaid"}
        if ticket.status in waiting and outcome not in (waiting[ticket.status], "withdrawn"):
            raise RuleViolation(texts.OUTCOME_WHILE_WAITING)
        # 第三十条: (六)1 only once the applicant's deadline has passed (staff judge 无正当理由).
        deadline = ticket.correction_deadline_on
        if outcome == "correction_overdue" and (deadline is None or day <= deadline):
            raise RuleViolation(texts.CORRECTION_NOT_OVERDUE)
        pause = self._open_pause(ticket)
        if outcome == "fee_unpaid" and (pause is None or pause.kind != PauseKind.FEE or day <= pause.limit_on):
            raise RuleViolation(texts.FEE_NOT_OVERDUE)
        if outcome == "still_unclear" and ticket.corrected_on is None:
            raise RuleViolation(texts.STILL_UNCLEAR_NEEDS_CORRECTION)
        if spec.names_agency:
            # 第三十六条第（五）项: name the agency responsible, with its contact details.
            return _required(agency or "", texts.AGENCY_REQUIRED)
        return None

    def add_remedy(self, session: Session, actor: str, number: str, *, kind: str, filed_on: date,
                   decided_on: date | None = None, result: str = RemedyResult.PENDING.value) -> RemedyRecord:
        """Attach a 行政复议 or 行政诉讼 record (table 四) to a ticket."""
        ticket = self._begin(session, actor, number, Action.REMEDY_RECORDED)
        record = RemedyRecord(kind=parse_code(RemedyKind, kind, texts.FIELD_REMEDY_KIND).value,
                              filed_on=self._day(filed_on, not_before=ticket.received_on))
        self._decide(record, decided_on, result)  # checks everything before the record joins the session
        ticket.remedies.append(record)
        session.flush()
        self._event(session, ticket, actor, Action.REMEDY_RECORDED, record=record.id, kind=record.kind,
                    filed=record.filed_on.isoformat(), result=record.result)
        return record

    def decide_remedy(self, session: Session, actor: str, record_id: int, *, decided_on: date,
                      result: str) -> RemedyRecord:
        record = session.get(RemedyRecord, record_id, with_for_update=True)
        if record is None:
            raise InvalidInput(texts.REMEDY_NOT_FOUND.format(id=record_id))
        ticket = self._begin(session, actor, record.ticket.number, Action.REMEDY_DECIDED)
        self._decide(record, decided_on, result)
        self._event(session, ticket, actor, Action.REMEDY_DECIDED, record=record.id, result=record.result,
                    decided=decided_on.isoformat())
        return record

    def _decide(self, record: RemedyRecord, decided_on: date | None, result: str) -> None:
        result = parse_code(RemedyResult, result, texts.FIELD_REMEDY_RESULT).value
        if (decided_on is None) != (result == RemedyResult.PENDING):
            raise InvalidInput(texts.REMEDY_RESULT_RULE)
        if decided_on is not None:
            decided_on = self._day(decided_on, not_before=record.filed_on)
        record.decided_on, record.result = decided_on, result


def _required(text: str, message: str | None = None) -> str:
    text = text.strip()
    if not text:
        raise InvalidInput(message or texts.TEXT_REQUIRED)
    return text
