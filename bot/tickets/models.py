"""Tables of the ticket layer, on the shared declarative Base."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.errors import AppendOnlyViolation
from bot.tickets.codes import Channel, PauseKind, RemedyKind, RemedyResult, Role, TicketKind
from bot.tickets.status import TicketStatus
from knowledge.orm import Base


def _in(column: str, values: Any) -> str:
    return f"{column} IN ({', '.join(repr(str(v)) for v in values)})"


class TicketCounter(Base):
    """The last ticket number handed out in a year (one row a year, updated atomically)."""

    __tablename__ = "ticket_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(Integer)


class Ticket(Base):
    __tablename__ = "tickets"
    __table_args__ = (
        CheckConstraint(_in("kind", TicketKind), name="kind"),
        CheckConstraint(_in("status", TicketStatus), name="status"),
        CheckConstraint(_in("channel", Channel), name="channel"),
        CheckConstraint("extension_days BETWEEN 0 AND 20", name="extension_days"),
        # The queue's order (bot/tickets/views.py): a page of 50 by due date is read from this index.
        Index("ix_tickets_due_on_number", "due_on", "number"),
        # … and the counts of its filters (open, mine, unassigned, by kind) from this one, without the rows.
        Index("ix_tickets_queue", "status", "assignee", "kind", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(11), unique=True)  # YYYY-NNNNNN
    kind: Mapped[str] = mapped_column(String(24))
    status: Mapped[str] = mapped_column(String(24), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str | None] = mapped_column(String(64), index=True)
    assignee: Mapped[str | None] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(Text)  # the question, or the description of the information
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    received_on: Mapped[date] = mapped_column(Date)  # 第三十一条
    # The clock: stored facts; due_on is recomputed from them (and from the calendar) on every change.
    due_on: Mapped[date | None] = mapped_column(Date, index=True)
    due_provisional: Mapped[bool] = mapped_column(default=False)
    correction_asked_on: Mapped[date | None] = mapped_column(Date)
    correction_deadline_on: Mapped[date | None] = mapped_column(Date)
    corrected_on: Mapped[date | None] = mapped_column(Date)
    extension_requested_days: Mapped[int | None] = mapped_column(Integer)
    extension_days: Mapped[int] = mapped_column(Integer, default=0)
    outcome: Mapped[str | None] = mapped_column(String(40))
    referred_agency: Mapped[str | None] = mapped_column(String(300))
    closed_on: Mapped[date | None] = mapped_column(Date)

    details: Mapped[RequestDetails | None] = relationship(back_populates="ticket", uselist=False)
    pauses: Mapped[list[TicketPause]] = relationship(order_by="TicketPause.id")
    remedies: Mapped[list[RemedyRecord]] = relationship(order_by="RemedyRecord.id", back_populates="ticket")
    events: Mapped[list[TicketEvent]] = relationship(order_by="TicketEvent.id", viewonly=True)


class RequestDetails(Base):
    """What 第二十九条第二款 asks of a disclosure request, besides the description (on the ticket)."""

    __tablename__ = "request_details"

    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), primary_key=True)
    applicant_name: Mapped[str] = mapped_column(String(200))
    applicant_type: Mapped[str] = mapped_column(String(24))
    id_kind: Mapped[str] = mapped_column(String(32))
    id_number: Mapped[str] = mapped_column(String(32))
    phone: Mapped[str | None] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(254))
    address: Mapped[str | None] = mapped_column(String(300))
    form: Mapped[str] = mapped_column(String(16))
    delivery: Mapped[str] = mapped_column(String(16))

    ticket: Mapped[Ticket] = relationship(back_populates="details")


class TicketPause(Base):
    """A consultation (第三十二条, 第三十四条) or a fee notice: the clock stops from started_on."""

    __tablename__ = "ticket_pauses"
    __table_args__ = (CheckConstraint(_in("kind", PauseKind), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    started_on: Mapped[date] = mapped_column(Date)
    limit_on: Mapped[date] = mapped_column(Date)  # the other side's 15 working days, or the payment deadline
    ended_on: Mapped[date | None] = mapped_column(Date)
    fee_amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))


class TicketEvent(Base):
    """One change, append-only: never updated, never deleted (guards below and database triggers)."""

    __tablename__ = "ticket_events"
    # Sign-in attempts are looked up by the name tried (bot/accounts.py: the lockout is derived from them).
    __table_args__ = (Index("ix_ticket_events_actor_action", "actor", "action"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))  # UTC
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(40))
    from_status: Mapped[str | None] = mapped_column(String(24))
    to_status: Mapped[str | None] = mapped_column(String(24))
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class Staff(Base):
    __tablename__ = "staff"
    __table_args__ = (CheckConstraint(_in("role", Role), name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)  # a Telegram user id or a local name
    role: Mapped[str] = mapped_column(String(16))
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # The staff console's password (Argon2id, bot/accounts.py); None: cannot sign in to the console.
    password_hash: Mapped[str | None] = mapped_column(String(200))
    password_set_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class RemedyRecord(Base):
    """A 行政复议 or 行政诉讼 about a ticket, for table 四."""

    __tablename__ = "remedy_records"
    __table_args__ = (
        CheckConstraint(_in("kind", RemedyKind), name="kind"),
        CheckConstraint(_in("result", RemedyResult), name="result"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    filed_on: Mapped[date] = mapped_column(Date)
    decided_on: Mapped[date | None] = mapped_column(Date)
    result: Mapped[str] = mapped_column(String(16), default=RemedyResult.PENDING.value)

    ticket: Mapped[Ticket] = relationship(back_populates="remedies")


class CalendarDay(Base):
    """A day of a holiday schedule loaded by an administrator (``holidays load``)."""

    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    workday: Mapped[bool] = mapped_column()  # True: a 调休 weekend day worked; False: a day off


class CalendarYear(Base):
    """A year whose schedule was loaded (it may have no rows in calendar_days only in theory)."""

    __tablename__ = "calendar_years"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def _refuse(_mapper: object, _connection: object, target: TicketEvent) -> None:
    raise AppendOnlyViolation(f"ticket event {target.id} is append-only")


event.listen(TicketEvent, "before_update", _refuse)
event.listen(TicketEvent, "before_delete", _refuse)
