"""What every ticket operation shares: loading, role checks, status moves, events, the due date."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import texts
from bot.errors import IllegalTransition, InvalidInput, RuleViolation, TicketNotFound
from bot.settings import Settings
from bot.tickets.clock import Clock, SystemClock
from bot.tickets.codes import CONSULTATIONS, Action, Role
from bot.tickets.deadlines import compute_due
from bot.tickets.history import record_event
from bot.tickets.models import Ticket, TicketPause
from bot.tickets.numbering import format_number
from bot.tickets.staff import require_role
from bot.tickets.status import TicketStatus, allowed, apply_transition
from bot.workdays import WorkCalendar

E = TypeVar("E", bound=StrEnum)
SYSTEM = "system"  # the actor of what happens by itself (a consultation running out)


def normalize_number(number: str) -> str:
    """Accept ``2026-000123`` and the short ``2026-123``."""
    match = re.fullmatch(r"\s*(\d{4})-(\d{1,6})\s*", number)
    if match is None:
        raise InvalidInput(texts.INVALID_TICKET_NUMBER.format(number=number))
    return format_number(int(match[1]), int(match[2]))


def parse_code(enum: type[E], value: str, what: str) -> E:
    """The member of ``enum`` with this code, or InvalidInput naming the field."""
    try:
        return enum(value)
    except ValueError:
        raise InvalidInput(texts.INVALID_CODE.format(what=what, value=value)) from None


@dataclass
class ServiceBase:
    """Services take a Session per call and never commit: the caller owns the transaction."""

    settings: Settings
    calendar: WorkCalendar
    clock: Clock = field(default_factory=SystemClock)

    def get(self, session: Session, number: str, *, for_update: bool = False) -> Ticket:
        number = normalize_number(number)
        statement = select(Ticket).where(Ticket.number == number)
        if for_update:
            statement = statement.with_for_update()
        ticket = session.scalar(statement)
        if ticket is None:
            raise TicketNotFound(number)
        return ticket

    def _require(self, session: Session, actor: str, action: Action, role: Role = Role.STAFF,
                 ticket: Ticket | None = None) -> None:
        require_role(session, at=self.clock.now(), actor=actor, action=action, role=role, ticket=ticket)

    def _begin(self, session: Session, actor: str, number: str, action: Action,
               role: Role = Role.STAFF, *, catch_up: bool = True) -> Ticket:
        """Load a ticket for change (row-locked on PostgreSQL), check the role, catch up the clock."""
        ticket = self.get(session, number, for_update=True)
        self._require(session, actor, action, role, ticket)
        if catch_up:
            self._expire_consultation(session, ticket)
        return ticket

    @staticmethod
    def _expect(ticket: Ticket, status: TicketStatus) -> None:
        """The operation only makes sense in ``status`` (recording a payment needs a fee notice …)."""
        if ticket.status != status:
            raise RuleViolation(texts.NOT_IN_STATUS.format(
                number=ticket.number, status=texts.STATUS_LABELS[ticket.status], expected=texts.STATUS_LABELS[status]))

    @staticmethod
    def _can(ticket: Ticket, dst: TicketStatus) -> None:
        """Fail before changing anything when the table forbids the move."""
        if dst not in allowed(ticket.kind, ticket.status):
            raise IllegalTransition(ticket.status, dst.value)

    def _event(self, session: Session, ticket: Ticket | None, actor: str, action: Action,
               src: str | None = None, dst: str | None = None, **data: Any) -> None:
        record_event(session, at=self.clock.now(), actor=actor, action=action, ticket=ticket,
                     src=src, dst=dst, data=data)

    def _move(self, session: Session, ticket: Ticket, dst: TicketStatus, actor: str, action: Action,
              **data: Any) -> None:
        """The one way a status changes: apply the table, recompute the clock, write the event."""
        src = apply_transition(ticket, dst)
        if self._refresh_due(ticket) and ticket.due_on is not None:
            data.update(due=ticket.due_on.isoformat(), provisional=ticket.due_provisional)
        self._event(session, ticket, actor, action, src=src.value, dst=dst.value, **data)

    def _refresh_due(self, ticket: Ticket) -> bool:
        """Recompute the stored due date of an open ticket; True when it changed."""
        if ticket.status == TicketStatus.CLOSED:
            return False
        due = compute_due(ticket, self.calendar)
        new = (due.date, due.provisional) if due else (None, False)
        changed = new != (ticket.due_on, ticket.due_provisional)
        ticket.due_on, ticket.due_provisional = new
        return changed

    def _day(self, value: date | None, *, not_before: date) -> date:
        """A date an operation happened on: today by default, never in the future or before ``not_before``."""
        today = self.clock.today()
        day = value or today
        if day > today:
            raise InvalidInput(texts.DATE_IN_FUTURE.format(day=day))
        if day < not_before:
            raise InvalidInput(texts.DATE_TOO_EARLY.format(day=day, earliest=not_before))
        return day

    @staticmethod
    def _open_pause(ticket: Ticket) -> TicketPause | None:
        return next((p for p in ticket.pauses if p.ended_on is None), None)

    @staticmethod
    def _resume_status(ticket: Ticket) -> TicketStatus:
        return TicketStatus.EXTENDED if ticket.extension_days else TicketStatus.RECEIVED

    def _expire_consultation(self, session: Session, ticket: Ticket) -> bool:
        """第三十二条, 第三十四条: the other side has 15 working days; then the pause ends by itself."""
        pause = self._open_pause(ticket)
        if pause is None or pause.kind not in CONSULTATIONS or pause.limit_on >= self.clock.today():
            return False
        pause.ended_on = pause.limit_on
        self._move(session, ticket, self._resume_status(ticket), SYSTEM, Action.CONSULTATION_ENDED,
                   ended=pause.limit_on.isoformat(), expired=True)
        return True
