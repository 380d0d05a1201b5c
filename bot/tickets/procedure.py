"""Operations on the statutory clock: 补正, consultations, fee notices, the extension."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import texts
from bot.errors import InvalidInput, RuleViolation
from bot.tickets.base import ServiceBase, parse_code
from bot.tickets.codes import CONSULTATIONS, Action, PauseKind, Role
from bot.tickets.deadlines import CONSULTATION_DAYS, MAX_EXTENSION_DAYS, correction_ask_limit
from bot.tickets.intake import chat_actor
from bot.tickets.models import Ticket, TicketPause
from bot.tickets.status import TicketStatus


class ProcedureOps(ServiceBase):
    def ask_correction(self, session: Session, actor: str, number: str, *, matters: str,
                       days: int | None = None, on: date | None = None) -> Ticket:
        """第三十条: ask once, within 7 working days of receipt, with a deadline for the applicant."""
        ticket = self._begin(session, actor, number, Action.CORRECTION_REQUESTED)
        self._can(ticket, TicketStatus.AWAITING_CORRECTION)
        day = self._day(on, not_before=ticket.received_on)
        if ticket.correction_asked_on is not None:
            raise RuleViolation(texts.CORRECTION_ONCE)
        limit = correction_ask_limit(ticket, self.calendar)
        if day > limit.date:
            raise RuleViolation(texts.CORRECTION_TOO_LATE.format(limit=limit.date))
        if not matters.strip():
            raise InvalidInput(texts.CORRECTION_MATTERS_REQUIRED)
        days = days or self.settings.correction_days
        deadline = self.calendar.add_workdays(day, days)
        ticket.correction_asked_on, ticket.correction_deadline_on = day, deadline.date
        self._move(session, ticket, TicketStatus.AWAITING_CORRECTION, actor, Action.CORRECTION_REQUESTED,
                   matters=matters.strip(), days=days, deadline=deadline.date.isoformat(),
                   deadline_provisional=deadline.provisional, notify=True)
        return ticket

    def record_correction(self, session: Session, actor: str, number: str, *, on: date | None = None) -> Ticket:
        """第三十条: the reply period restarts from the day the corrected request arrives."""
        ticket = self._begin(session, actor, number, Action.CORRECTION_RECEIVED)
        self._expect(ticket, TicketStatus.AWAITING_CORRECTION)
        day = self._day(on, not_before=ticket.correction_asked_on or ticket.received_on)
        ticket.corrected_on = day
        late = ticket.correction_deadline_on is not None and day > ticket.correction_deadline_on
        self._move(session, ticket, TicketStatus.RECEIVED, actor, Action.CORRECTION_RECEIVED,
                   received=day.isoformat(), late=late)
        return ticket

    def correct_from_chat(self, session: Session, number: str, *, chat_id: str, channel: str, text: str) -> Ticket:
        """The applicant answers a 补正 in the chat the request came from (第三十条: the clock restarts)."""
        ticket = self.get(session, number, for_update=True)
        if ticket.chat_id != chat_id or ticket.channel != channel:
            raise InvalidInput(texts.NOT_YOUR_TICKET.format(number=ticket.number))
        self._expect(ticket, TicketStatus.AWAITING_CORRECTION)
        if not text.strip():
            raise InvalidInput(texts.TEXT_REQUIRED)
        day = self.clock.today()
        ticket.corrected_on = day
        late = ticket.correction_deadline_on is not None and day > ticket.correction_deadline_on
        self._move(session, ticket, TicketStatus.RECEIVED, chat_actor(chat_id), Action.CORRECTION_RECEIVED,
                   received=day.isoformat(), late=late, text=text.strip())
        return ticket

    def start_consultation(self, session: Session, actor: str, number: str, *, party: str,
                           on: date | None = None) -> Ticket:
        """第三十二条 (third party), 第三十四条 (other agency): the clock stops; they have 15 working days."""
        kind = parse_code(PauseKind, party, texts.FIELD_PARTY)
        if kind not in CONSULTATIONS:
            raise InvalidInput(texts.INVALID_CODE.format(what=texts.FIELD_PARTY, value=party))
        ticket = self._begin(session, actor, number, Action.CONSULTATION_STARTED)
        self._can(ticket, TicketStatus.IN_CONSULTATION)
        day = self._day(on, not_before=ticket.received_on)
        limit = self.calendar.add_workdays(day, CONSULTATION_DAYS)
        self._pause(ticket, kind, day, limit.date)
        self._move(session, ticket, TicketStatus.IN_CONSULTATION, actor, Action.CONSULTATION_STARTED,
                   party=kind.value, started=day.isoformat(), limit=limit.date.isoformat(),
                   limit_provisional=limit.provisional)
        return ticket

    def end_consultation(self, session: Session, actor: str, number: str, *, on: date | None = None) -> Ticket:
        ticket = self._begin(session, actor, number, Action.CONSULTATION_ENDED, catch_up=False)
        if self._expire_consultation(session, ticket):
            return ticket  # it had already run out: ended by itself on its limit, not later
        self._expect(ticket, TicketStatus.IN_CONSULTATION)
        return self._end_pause(session, ticket, actor, Action.CONSULTATION_ENDED, on, "ended")

    def send_fee_notice(self, session: Session, actor: str, number: str, *, amount: str,
                        on: date | None = None) -> Ticket:
        """A fee notice: the clock waits until the applicant pays, within the set working days.

        第四十二条 allows a 信息处理费 and 国办函〔2020〕109号 sets it; neither says the clock stops or how long
        the applicant has to pay. Both come from a provincial notice (fees-2020.txt, D1: 20 working days),
        a local reading that the notice to the applicant names as such.
        """
        try:
            fee = Decimal(amount).quantize(Decimal("0.01"))
        except InvalidOperation:
            raise InvalidInput(texts.INVALID_AMOUNT) from None
        if fee <= 0:
            raise InvalidInput(texts.INVALID_AMOUNT)
        ticket = self._begin(session, actor, number, Action.FEE_NOTICE_SENT)
        self._can(ticket, TicketStatus.AWAITING_FEE)
        day = self._day(on, not_before=ticket.received_on)
        days = self.settings.fee_payment_days
        limit = self.calendar.add_workdays(day, days)
        self._pause(ticket, PauseKind.FEE, day, limit.date).fee_amount = fee
        self._move(session, ticket, TicketStatus.AWAITING_FEE, actor, Action.FEE_NOTICE_SENT,
                   amount=str(fee), days=days, limit=limit.date.isoformat(), limit_provisional=limit.provisional,
                   notify=True)
        return ticket

    def record_payment(self, session: Session, actor: str, number: str, *, on: date | None = None) -> Ticket:
        ticket = self._begin(session, actor, number, Action.FEE_PAID)
        self._expect(ticket, TicketStatus.AWAITING_FEE)
        return self._end_pause(session, ticket, actor, Action.FEE_PAID, on, "paid")

    def _end_pause(self, session: Session, ticket: Ticket, actor: str, action: Action, on: date | None,
                   key: str) -> Ticket:
        """Close the open pause on `on` (today by default) and let the clock run again."""
        pause = self._open_pause(ticket)
        assert pause is not None
        pause.ended_on = self._day(on, not_before=pause.started_on)
        self._move(session, ticket, self._resume_status(ticket), actor, action,
                   **{key: pause.ended_on.isoformat()})
        return ticket

    def request_extension(self, session: Session, actor: str, number: str, *, days: int, reason: str) -> Ticket:
        """第三十三条第二款: one extension of at most 20 working days, asked before the due date."""
        ticket = self._begin(session, actor, number, Action.EXTENSION_REQUESTED)
        self._check_extension(ticket)
        if ticket.extension_requested_days is not None:
            raise RuleViolation(texts.EXTENSION_ONCE)
        if not 1 <= days <= MAX_EXTENSION_DAYS:
            raise InvalidInput(texts.EXTENSION_DAYS.format(max=MAX_EXTENSION_DAYS))
        if not reason.strip():
            raise InvalidInput(texts.EXTENSION_REASON_REQUIRED)
        ticket.extension_requested_days = days
        self._event(session, ticket, actor, Action.EXTENSION_REQUESTED, days=days, reason=reason.strip())
        return ticket

    def approve_extension(self, session: Session, actor: str, number: str) -> Ticket:
        """第三十三条第二款: the head of the disclosure office approves; the applicant is told."""
        ticket = self._begin(session, actor, number, Action.EXTENSION_APPROVED, role=Role.SUPERVISOR)
        self._check_extension(ticket)
        if ticket.extension_requested_days is None:
            raise RuleViolation(texts.EXTENSION_NOT_REQUESTED)
        ticket.extension_days, ticket.extension_requested_days = ticket.extension_requested_days, None
        self._move(session, ticket, TicketStatus.EXTENDED, actor, Action.EXTENSION_APPROVED,
                   days=ticket.extension_days, notify=True)
        return ticket

    def _check_extension(self, ticket: Ticket) -> None:
        if ticket.extension_days:
            raise RuleViolation(texts.EXTENSION_ONCE)
        self._can(ticket, TicketStatus.EXTENDED)
        # Not while the clock is paused: the pause must end first (in_consultation → extended is the
        # table's way back from a consultation during an extension, not a way to grant one).
        self._expect(ticket, TicketStatus.RECEIVED)
        if ticket.due_on is not None and self.clock.today() > ticket.due_on:
            raise RuleViolation(texts.EXTENSION_TOO_LATE.format(due=ticket.due_on))

    def end_expired_consultations(self, session: Session) -> list[str]:
        """End every consultation whose 15 working days have run out; return the ticket numbers."""
        tickets = session.scalars(
            select(Ticket).where(Ticket.status == TicketStatus.IN_CONSULTATION.value).with_for_update()
        )
        return [t.number for t in tickets if self._expire_consultation(session, t)]

    @staticmethod
    def _pause(ticket: Ticket, kind: PauseKind, day: date, limit: date) -> TicketPause:
        pause = TicketPause(kind=kind.value, started_on=day, limit_on=limit)
        ticket.pauses.append(pause)
        return pause
