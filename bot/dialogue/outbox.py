"""The outbox: messages that matter, written in the transaction that causes them, delivered later.

Ticket events flagged ``notify`` (补正, fee notice, extension, staff reply, closing) become messages to
the chat the ticket came from; new tickets become a message to the staff group when there is one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot import texts
from bot.dialogue.messages import Button, Document, Reply
from bot.dialogue.models import OutboxMessage
from bot.settings import Settings
from bot.tickets.base import SYSTEM
from bot.tickets.codes import CHAT_CHANNELS, Action, Rating
from bot.tickets.history import record_event
from bot.tickets.masking import mask_email, mask_phone
from bot.tickets.models import Ticket, TicketEvent
from bot.tickets.render import due_text
from bot.tickets.replies import closing_reply

PENDING, SENT, UNDELIVERED = "pending", "sent", "undelivered"
_NOTICE_ACTIONS = [Action.CREATED, Action.REPLIED, Action.CORRECTION_REQUESTED, Action.FEE_NOTICE_SENT,
                   Action.EXTENSION_APPROVED, Action.CLOSED]


@dataclass(frozen=True)
class OutboxItem:
    id: int
    channel: str
    chat_id: str
    ticket_number: str | None
    reply: Reply


def put(session: Session, *, channel: str, chat_id: str, reply: Reply, at: datetime,
        ticket_number: str | None = None, event_id: int | None = None) -> None:
    session.add(OutboxMessage(
        channel=channel, chat_id=chat_id, ticket_number=ticket_number, event_id=event_id, text=reply.text,
        buttons=[[b.id, b.label] for b in reply.buttons] or None,
        documents=[d.reference() for d in reply.documents] or None, status=PENDING, attempts=0, created_at=at,
    ))


def collect_notices(session: Session, settings: Settings, at: datetime,
                    attachments: dict[int, tuple[Document, ...]] | None = None) -> int:
    """Turn ticket events not yet told into outbox messages; returns how many were written.

    ``attachments`` maps an event id to the files its message carries (a staff reply with a document).
    """
    session.flush()
    last = session.scalar(select(func.max(OutboxMessage.event_id))) or 0
    events = session.scalars(select(TicketEvent).where(
        TicketEvent.id > last, TicketEvent.action.in_([a.value for a in _NOTICE_ACTIONS])).order_by(TicketEvent.id))
    count = 0
    for event in list(events):
        ticket = session.get(Ticket, event.ticket_id) if event.ticket_id else None
        if ticket is None:
            continue
        data = event.data or {}
        if event.action == Action.CREATED:
            if settings.staff_chat_id:
                put(session, channel="telegram", chat_id=settings.staff_chat_id, reply=staff_card(ticket),
                    at=at, ticket_number=ticket.number, event_id=event.id)
                count += 1
            continue
        if not data.get("notify") or ticket.channel not in CHAT_CHANNELS or not ticket.chat_id:
            continue
        reply = notice(ticket, event, settings)
        if attachments and event.id in attachments:
            reply = Reply(reply.text, reply.buttons, attachments[event.id])
        put(session, channel=ticket.channel, chat_id=ticket.chat_id, reply=reply, at=at,
            ticket_number=ticket.number, event_id=event.id)
        count += 1
    session.flush()
    return count


def provisional_note(*provisional: bool) -> str:
    """The sentence explaining （暂定） to the applicant, when a date of the message is provisional."""
    return texts.PROVISIONAL_NOTE if any(provisional) else ""


def _event_date(data: dict[str, Any], key: str, flag: str) -> tuple[str, bool]:
    """A date of an event as the applicant reads it: marked （暂定） when it lies in a year not yet known."""
    value, provisional = data.get(key), bool(data.get(flag))
    if not value:
        return "", False
    return due_text(date.fromisoformat(value), provisional), provisional


def notice(ticket: Ticket, event: TicketEvent, settings: Settings) -> Reply:
    """The message to the applicant for one notify event."""
    data, number = event.data or {}, ticket.number
    if event.action == Action.REPLIED:
        if not data.get("text"):  # only files
            return Reply(texts.NOTICE_REPLY_FILES.format(number=number))
        return Reply(texts.NOTICE_REPLY.format(number=number, text=data.get("text", "")))
    if event.action == Action.CORRECTION_REQUESTED:
        deadline, provisional = _event_date(data, "deadline", "deadline_provisional")
        return Reply(texts.NOTICE_CORRECTION.format(number=number, matters=data.get("matters", ""),
                                                    deadline=deadline, provisional=provisional_note(provisional)),
                     (Button(f"fix:{number}", texts.BTN_CORRECT),))
    if event.action == Action.FEE_NOTICE_SENT:
        limit, provisional = _event_date(data, "limit", "limit_provisional")
        return Reply(texts.NOTICE_FEE.format(number=number, amount=data.get("amount", ""), limit=limit,
                                             days=data.get("days", settings.fee_payment_days),
                                             provisional=provisional_note(provisional)))
    if event.action == Action.EXTENSION_APPROVED:
        due, provisional = _event_date(data, "due", "provisional")
        if not due:
            due, provisional = due_text(ticket.due_on, ticket.due_provisional), ticket.due_provisional
        return Reply(texts.NOTICE_EXTENSION.format(number=number, days=data.get("days", ""), due=due,
                                                   provisional=provisional_note(provisional)))
    # After the close the applicant can rate the handling (满意率 in the yearly figures).
    return Reply(closing_reply(ticket, settings) + "\n\n" + texts.RATE_PROMPT,
                 tuple(Button(f"rate:{number}:{code}", texts.RATING_LABELS[code]) for code in Rating))


def staff_card(ticket: Ticket) -> Reply:
    """A new ticket for the staff group: identity numbers and phones masked."""
    d = ticket.details
    contact = (mask_phone(d.phone) if d.phone else mask_email(d.email or "")) if d else ""
    text = texts.NEW_TICKET_STAFF.format(
        number=ticket.number, kind=texts.KIND_LABELS[ticket.kind], applicant=d.applicant_name if d else "—",
        contact=contact or "—", subject=ticket.subject, due=due_text(ticket.due_on, ticket.due_provisional))
    return Reply(text, (Button(f"claim:{ticket.number}", texts.ACTION_LABELS["claimed"]),))


def due_items(session: Session, channel: str, chat_id: str | None = None, limit: int = 100) -> list[OutboxItem]:
    """Pending messages of a channel (of one chat when given), oldest first."""
    query = select(OutboxMessage).where(OutboxMessage.channel == channel, OutboxMessage.status == PENDING)
    if chat_id is not None:
        query = query.where(OutboxMessage.chat_id == chat_id)
    rows = session.scalars(query.order_by(OutboxMessage.id).limit(limit))
    return [OutboxItem(r.id, r.channel, r.chat_id, r.ticket_number,
                       Reply(r.text, tuple(Button(i, label) for i, label in (r.buttons or [])),
                             tuple(Document(d["name"], path=d.get("path"), file_id=d.get("file_id"),
                                            channel=d.get("channel")) for d in (r.documents or []))))
            for r in rows]


def mark(session: Session, settings: Settings, item_id: int, status: str, at: datetime) -> None:
    """Record a delivery; an undelivered message is an event on its ticket, and staff are told."""
    row = session.get(OutboxMessage, item_id, with_for_update=True)
    if row is None:
        return
    row.attempts += 1
    row.status = status
    if status == SENT:
        row.sent_at = at
        return
    ticket = session.scalar(select(Ticket).where(Ticket.number == row.ticket_number)) if row.ticket_number else None
    if ticket is not None:
        record_event(session, at=at, actor=SYSTEM, action=Action.UNDELIVERED, ticket=ticket, data={"outbox": row.id})
    if settings.staff_chat_id and row.chat_id != settings.staff_chat_id:
        put(session, channel="telegram", chat_id=settings.staff_chat_id, at=at, ticket_number=row.ticket_number,
            reply=Reply(texts.UNDELIVERED_STAFF.format(number=row.ticket_number or "—")))


def unreachable(ticket: Ticket, documents: tuple[Document, ...]) -> Reply | None:
    """Files that cannot reach the applicant's channel (a Telegram file for a terminal applicant): why."""
    for document in documents:
        if ticket.channel in CHAT_CHANNELS and not document.reaches(ticket.channel):
            return Reply(texts.DOCUMENT_UNREACHABLE.format(name=document.name,
                                                           channel=texts.CHANNEL_LABELS[ticket.channel]))
    return None


def attach(session: Session, settings: Settings, ticket: Ticket, documents: tuple[Document, ...], at: datetime) -> None:
    """The files of the staff reply just recorded go with its message: queue it now, with them."""
    session.flush()
    event_id = session.scalar(select(TicketEvent.id).where(
        TicketEvent.ticket_id == ticket.id, TicketEvent.action == Action.REPLIED.value,
    ).order_by(TicketEvent.id.desc()).limit(1))
    if event_id is not None:
        collect_notices(session, settings, at, attachments={event_id: documents})
