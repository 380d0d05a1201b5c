"""Read-only views: the queue with its filters, one ticket in detail (masked unless revealed)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session, selectinload

from bot import texts
from bot.tickets.base import ServiceBase, parse_code
from bot.tickets.codes import Action, TicketKind
from bot.tickets.deadlines import ClockView, explain_due, is_due_soon, is_overdue
from bot.tickets.masking import mask_email, mask_identity, mask_phone, mask_text
from bot.tickets.models import Ticket
from bot.tickets.status import OPEN_STATUSES, TicketStatus
from bot.workdays import Due


@dataclass(frozen=True)
class Filters:
    open_only: bool = False
    due_soon: bool = False
    overdue: bool = False
    kind: str | None = None
    status: str | None = None
    assignee: str | None = None
    unassigned: bool = False
    statuses: tuple[str, ...] = ()  # any of these (the console's "paused": consultation or fee)


@dataclass(frozen=True)
class TicketRow:
    number: str
    kind: str
    status: str
    channel: str
    assignee: str | None
    received_on: date
    due_on: date | None
    provisional: bool
    overdue: bool
    due_soon: bool
    applicant: str
    contact: str  # masked
    subject: str
    outcome: str | None


@dataclass(frozen=True)
class EventView:
    at: datetime
    actor: str
    action: str
    src: str | None
    dst: str | None
    data: dict[str, Any]
    id: int | None = None


@dataclass(frozen=True)
class PauseView:
    """A consultation or a fee notice as staff see it; its limit is provisional in an unknown year."""

    kind: str
    started_on: date
    limit: Due
    ended_on: date | None


@dataclass(frozen=True)
class TicketDetail:
    row: TicketRow
    revealed: bool
    facts: dict[str, Any] = field(default_factory=dict)  # codes and values, masked unless revealed
    pauses: list[PauseView] = field(default_factory=list)
    remedies: list[Any] = field(default_factory=list)
    events: list[EventView] = field(default_factory=list)
    clock: ClockView | None = None  # how the due date was counted (requests only)


class ViewOps(ServiceBase):
    def list_tickets(self, session: Session, actor: str, filters: Filters | None = None) -> list[TicketRow]:
        """The queue for staff: identity numbers and phones masked."""
        self._require(session, actor, Action.LISTED)
        tickets: list[Ticket] = list(session.scalars(self._query(filters or Filters())))
        return [self._row(t) for t in tickets]

    def queue_page(self, session: Session, actor: str, filters: Filters, *, offset: int = 0,
                   limit: int = 50) -> tuple[list[TicketRow], int]:
        """One page of the queue (sorted by due date) and how many tickets the filter holds."""
        self._require(session, actor, Action.LISTED)
        total = session.scalar(select(func.count(Ticket.id)).where(*self._where(filters))) or 0
        page = session.scalars(self._query(filters).offset(max(offset, 0)).limit(limit))
        return [self._row(t) for t in page], int(total)

    def queue_counts(self, session: Session, actor: str, filters: dict[str, Filters]) -> dict[str, int]:
        """How many tickets each named filter holds (one indexed count each)."""
        self._require(session, actor, Action.LISTED)
        return {name: int(session.scalar(select(func.count(Ticket.id)).where(*self._where(f))) or 0)
                for name, f in filters.items()}

    def queue_rows(self, session: Session, filters: Filters) -> list[TicketRow]:
        """The queue as the system sees it (the staff digest); no actor, so no role check: never show it to a user."""
        return [self._row(t) for t in session.scalars(self._query(filters))]

    def tickets_of_chat(self, session: Session, chat_id: str) -> list[TicketRow]:
        """What a citizen sees of their own tickets in the chat they came from."""
        query = select(Ticket).where(Ticket.chat_id == chat_id).order_by(Ticket.id)
        return [self._row(t, masked=False) for t in session.scalars(query.options(selectinload(Ticket.details)))]

    def detail(self, session: Session, actor: str, number: str, *, reveal: bool = False) -> TicketDetail:
        """One ticket with its history; ``reveal`` shows identity and phone, and is itself an event."""
        ticket = self._begin(session, actor, number, Action.REVEALED if reveal else Action.VIEWED)
        if reveal:
            self._event(session, ticket, actor, Action.REVEALED)
            session.flush()
        session.refresh(ticket, ["events"])
        events = [EventView(e.at, e.actor, e.action, e.from_status, e.to_status,
                            (e.data or {}) if reveal else _masked_data(e.data or {}), e.id)
                  for e in ticket.events]
        pauses = [PauseView(p.kind, p.started_on, self._due(p.started_on, p.limit_on), p.ended_on)
                  for p in ticket.pauses]
        return TicketDetail(self._row(ticket, masked=not reveal), reveal, self._facts(ticket, reveal), pauses,
                            list(ticket.remedies), events, explain_due(ticket, self.calendar))

    def _due(self, start: date, day: date) -> Due:
        """A date counted forward from ``start``, marked provisional when it reaches an unknown year."""
        return Due(day, self.calendar.guessed(start, day))

    def _where(self, filters: Filters) -> list[ColumnElement[bool]]:
        today = self.clock.today()
        where: list[ColumnElement[bool]] = []
        if filters.open_only or filters.due_soon or filters.overdue:
            where.append(Ticket.status.in_([s.value for s in OPEN_STATUSES]))
        if filters.overdue:
            where.append(Ticket.due_on < today)
        if filters.due_soon:
            horizon = self.calendar.add_workdays(today, self.settings.due_soon_days).date
            where += [Ticket.due_on >= today, Ticket.due_on <= horizon]
        if filters.kind:
            where.append(Ticket.kind == parse_code(TicketKind, filters.kind, texts.FIELD_KIND).value)
        if filters.status:
            where.append(Ticket.status == parse_code(TicketStatus, filters.status, texts.FIELD_STATUS).value)
        if filters.statuses:
            where.append(Ticket.status.in_([parse_code(TicketStatus, s, texts.FIELD_STATUS).value
                                            for s in filters.statuses]))
        if filters.assignee:
            where.append(Ticket.assignee == filters.assignee)
        if filters.unassigned:
            where.append(Ticket.assignee.is_(None))
        return where

    def _query(self, filters: Filters) -> Select[Any]:
        query = select(Ticket).options(selectinload(Ticket.details)).where(*self._where(filters))
        # Due date first, none last: the order of index ix_tickets_due_on_number, so a page is an index scan.
        return query.order_by(Ticket.due_on.asc().nulls_last(), Ticket.number)

    def _row(self, ticket: Ticket, *, masked: bool = True) -> TicketRow:
        """A ticket as a list shows it; ``masked``: free text (the subject, the name) with identity numbers,
        phones and e-mail addresses masked, as every staff view shows it."""
        today, details = self.clock.today(), ticket.details
        shown = mask_text if masked else str
        contact = ""
        if details is not None:
            contact = mask_phone(details.phone) if details.phone else mask_email(details.email or "")
        return TicketRow(
            number=ticket.number, kind=ticket.kind, status=ticket.status, channel=ticket.channel,
            assignee=ticket.assignee, received_on=ticket.received_on, due_on=ticket.due_on,
            provisional=ticket.due_provisional, overdue=is_overdue(ticket, today),
            due_soon=is_due_soon(ticket, today, self.calendar, self.settings.due_soon_days),
            applicant=shown(details.applicant_name) if details else "", contact=contact,
            subject=shown(ticket.subject), outcome=ticket.outcome,
        )

    def _facts(self, ticket: Ticket, reveal: bool) -> dict[str, Any]:
        asked, deadline = ticket.correction_asked_on, ticket.correction_deadline_on
        facts: dict[str, Any] = {
            "correction_asked_on": asked,
            "correction_deadline_on": self._due(asked, deadline) if asked and deadline else deadline,
            "corrected_on": ticket.corrected_on,
            "extension_days": ticket.extension_days,
            "extension_requested_days": ticket.extension_requested_days,
            "referred_agency": ticket.referred_agency,
            "closed_on": ticket.closed_on,
            "chat_id": ticket.chat_id,
        }
        d = ticket.details
        if d is not None:
            facts.update(
                applicant_type=d.applicant_type, id_kind=d.id_kind,
                id_number=d.id_number if reveal else mask_identity(d.id_number),
                phone=(d.phone if reveal else mask_phone(d.phone)) if d.phone else None,
                email=(d.email if reveal else mask_email(d.email)) if d.email else None,
                address=d.address, form=d.form, delivery=d.delivery,
            )
        return facts


def _masked_data(data: dict[str, Any]) -> dict[str, Any]:
    """An event's data as staff see it: free text (a correction, a note, a reply) with personal data masked."""
    return {k: mask_text(v) if k in _FREE_TEXT and isinstance(v, str) else v for k, v in data.items()}


_FREE_TEXT = frozenset({"text", "matters", "reason"})  # other values are codes and ISO dates
