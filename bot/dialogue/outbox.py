"""The outbox: every message that matters, written in the transaction that causes it, then delivered.

A message is a row with an idempotency key (``reply:telegram:<update>:<n>``, ``event:<id>``,
``card:<id>``, ``receipt:…``, ``digest:<day>`` …): writing the same message twice is a no-op. Ticket
events flagged ``notify`` (补正, fee notice, extension, staff reply, closing) become messages to the chat
the ticket came from, and new tickets a card for the staff group, in the event's own transaction — a
session listener does it (``install``), whoever wrote the event: the chat, the CLI, the staff console.

Delivery: the worker that wrote a row holds a lease on it and sends it at once; ``claim`` hands the
rows nobody holds (retries, rows written by the CLI, rows left by a worker that died) to a worker,
atomically (PostgreSQL: ``FOR UPDATE SKIP LOCKED``; SQLite: one UPDATE under the write lock);
``record`` writes each outcome (sent, retry later, undelivered, failed).
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import and_, case, delete, exists, func, inspect, null, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, aliased

from bot import texts
from bot.dialogue.messages import Button, Document, Reply
from bot.dialogue.models import ChatMove, DialogueState, OutboxMessage, table
from bot.dialogue.notices import notice, staff_card
from bot.dialogue.notices import provisional_note as provisional_note  # still importable from here
from bot.dialogue.notices import unreachable as unreachable
from bot.settings import Settings, default_data_dir
from bot.tickets.base import SYSTEM
from bot.tickets.codes import CHAT_CHANNELS, Action, Channel
from bot.tickets.history import record_event
from bot.tickets.models import Ticket, TicketEvent

PENDING, SENT, UNDELIVERED, FAILED = "pending", "sent", "undelivered", "failed"
EMAIL = "email"  # the outbox channel of e-mails to web-chat applicants (bot/mail.py)
GENERATED = "generated"  # the attachments sub-folder of files the bot made (report files)
LEASE = timedelta(minutes=2)  # longer than any one delivery (PTB's timeouts are seconds)
BACKOFF_BASE, BACKOFF_CAP = 1.0, 300.0  # seconds: 1, 2, 4 … 300, each with ±50 % jitter
_NOTICE_ACTIONS = {Action.CREATED, Action.REPLIED, Action.CORRECTION_REQUESTED, Action.FEE_NOTICE_SENT,
                   Action.EXTENSION_APPROVED, Action.CLOSED}
# session.info keys
OWNER, NEW, EVENTS, ATTACHMENTS = "outbox_owner", "outbox_new", "outbox_events", "outbox_attachments"


@dataclass(frozen=True)
class OutboxItem:
    id: int
    channel: str
    chat_id: str
    ticket_number: str | None
    reply: Reply
    key: str = ""
    parts_sent: int = 0
    attempts: int = 0
    lease_until: datetime | None = None


@dataclass(frozen=True)
class Owner:
    """The worker a session writes for: it leases the rows of the channels it sends, to send them at once."""

    worker: str
    channels: frozenset[str]
    lease: timedelta = LEASE  # how long its rows are its own (OUTBOX_LEASE_SECONDS)


class Outcome(StrEnum):
    SENT = "sent"
    RETRY = "retry"  # network error, 5xx, 429: again later
    UNDELIVERED = "undelivered"  # 403: the citizen blocked the bot
    FAILED = "failed"  # a 400-class refusal (or a stored file gone): never retried
    RELEASED = "released"  # not tried (its lease was about to run out): due again at once


@dataclass(frozen=True)
class Result:
    """What one delivery attempt came to."""

    outcome: Outcome
    parts_sent: int = 0  # parts delivered so far, this attempt included
    retry_after: float | None = None  # seconds the channel asked for (429)
    unknown: bool = False  # the request left and its answer was lost: it may have arrived
    reason: str = ""  # the channel's description of the error (never personal data)
    moved_to: str | None = None  # the chat's new id (a group that became a supergroup)


# --- writing ---------------------------------------------------------------------------------------

def wall() -> datetime:
    """The time that leases and retries are counted in: the machine's, never the business clock (which
    tests fix, and which dates receipts and events)."""
    return datetime.now(UTC)


def dialect_insert(session: Session) -> Any:
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def put(session: Session, *, key: str, channel: str, chat_id: str, reply: Reply, at: datetime,
        ticket_number: str | None = None, event_id: int | None = None) -> int | None:
    """Queue one message; a key already written is a no-op. Returns the new row's id, else None."""
    owner: Owner | None = session.info.get(OWNER)
    leased = owner is not None and channel in owner.channels
    t = table(OutboxMessage)
    buttons = [[b.id, b.label] for b in reply.buttons] or None
    documents = [keep(d).reference() for d in reply.documents] or None
    row: dict[str, Any] = {
        "key": key[:160], "channel": channel, "chat_id": chat_id, "ticket_number": ticket_number,
        "event_id": event_id, "text": reply.text, "status": PENDING, "attempts": 0, "created_at": at,
        "next_attempt_at": wall(), "lease_until": wall() + owner.lease if leased and owner else None,
        "owner": owner.worker if leased and owner else None, "parts_sent": 0, "unknown": 0,
        # SQL NULL, not the JSON value null, when there are none
        "buttons": buttons if buttons is not None else null(), "documents": documents if documents else null(),
    }
    stmt = dialect_insert(session)(t).values(**row).on_conflict_do_nothing(index_elements=["key"])
    new_id = session.execute(stmt.returning(t.c.id)).scalar()
    if new_id is not None:
        session.info.setdefault(NEW, []).append(
            OutboxItem(new_id, channel, chat_id, ticket_number, _stored_reply(reply.text, buttons, documents),
                       row["key"], 0, 0, row["lease_until"]))
    return new_id


def keep(document: Document) -> Document:
    """A document made by the bot (``/report`` files: bytes, no reference) stored under the data folder,
    so the outbox can keep its path instead of its bytes (``generated/``: pruned by the housekeeping)."""
    if document.path is not None or document.file_id is not None:
        return document
    folder = default_data_dir() / "attachments" / GENERATED / hashlib.sha256(document.content).hexdigest()[:16]
    path = folder / (Path(document.name).name or "attachment")
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        path.write_bytes(document.content)
    return Document(document.name, path=str(path))


def written_in(info: dict[Any, Any]) -> list[OutboxItem]:
    """The messages a session's transaction wrote (``session.info`` after the commit): to send at once."""
    return list(info.get(NEW, []))


def attach_to_reply(session: Session, ticket_number: str, documents: tuple[Document, ...]) -> None:
    """The files the next staff reply on this ticket carries (its message is written at commit)."""
    session.info.setdefault(ATTACHMENTS, {})[ticket_number] = documents


def install(db: Any, settings: Settings) -> None:
    """Write the messages of ticket events in the events' own transaction, on every session of ``db``."""

    def collect(session: Session, _context: Any) -> None:
        for obj in session.new:
            if isinstance(obj, TicketEvent) and obj.action in _NOTICE_ACTIONS:
                session.info.setdefault(EVENTS, []).append(obj)

    def before_commit(session: Session) -> None:
        session.flush()  # events added since the last flush are collected too
        events = [e for e in session.info.pop(EVENTS, []) if inspect(e).persistent]  # not rolled back
        for event in sorted(events, key=lambda e: e.id):
            queue_event(session, settings, event)

    db.listen("after_flush", collect)
    db.listen("before_commit", before_commit)


def queue_event(session: Session, settings: Settings, event: TicketEvent) -> None:
    """The message one ticket event causes, if any: a staff card, or a notice to the applicant."""
    ticket = session.get(Ticket, event.ticket_id) if event.ticket_id else None
    if ticket is None:
        return
    if event.action == Action.CREATED:
        if settings.staff_chat_id:
            put(session, key=f"card:{event.id}", channel="telegram", chat_id=settings.staff_chat_id,
                reply=staff_card(ticket), at=event.at, ticket_number=ticket.number, event_id=event.id)
        return
    if not (event.data or {}).get("notify") or not reaches_applicant(ticket):
        return
    reply = notice(ticket, event, settings)
    files = session.info.get(ATTACHMENTS, {}).pop(ticket.number, ()) if event.action == Action.REPLIED else ()
    if files:
        reply = Reply(reply.text, reply.buttons, files)
    assert ticket.chat_id is not None
    put(session, key=f"event:{event.id}", channel=ticket.channel, chat_id=ticket.chat_id, reply=reply, at=event.at,
        ticket_number=ticket.number, event_id=event.id)
    if ticket.channel == Channel.WEB and settings.smtp_url and ticket.details is not None and ticket.details.email:
        # The same notice by e-mail too (the web chat shows it only on the next visit). The row keeps no
        # address: its "chat" is the ticket number, and the sender reads the address from the ticket when it
        # sends (bot/mail.py). So the address stays in one place, under the ticket's masking and reveal
        # rules, out of the outbox, its errors and the digest; a corrected address is used by a retry; and
        # one ticket's e-mails go out in order.
        put(session, key=f"email:{event.id}", channel=EMAIL, chat_id=ticket.number, reply=reply, at=event.at,
            ticket_number=ticket.number, event_id=event.id)


def reaches_applicant(ticket: Ticket) -> bool:
    """Whether a message can reach the applicant in a chat (a request by post or at the counter cannot)."""
    return ticket.channel in CHAT_CHANNELS and bool(ticket.chat_id)


# --- delivery --------------------------------------------------------------------------------------

def _stored_reply(text: str, buttons: list[list[str]] | None, documents: list[dict[str, str]] | None) -> Reply:
    return Reply(text, tuple(Button(i, label) for i, label in (buttons or [])),
                 tuple(Document(d["name"], path=d.get("path"), file_id=d.get("file_id"), channel=d.get("channel"))
                       for d in (documents or [])))


def utc(at: datetime | None) -> datetime | None:
    """A stored timestamp as an aware UTC datetime (SQLite gives them back without their zone)."""
    if at is None or at.tzinfo is not None:
        return at
    return at.replace(tzinfo=UTC)


def item_of(row: Any) -> OutboxItem:
    return OutboxItem(row.id, row.channel, row.chat_id, row.ticket_number,
                      _stored_reply(row.text, row.buttons, row.documents), row.key, row.parts_sent, row.attempts,
                      utc(row.lease_until))


def delivered_prompts(session: Session, channel: str, chat_id: str, limit: int = 20) -> list[Reply]:
    """The last messages with buttons delivered to a chat (a 补正 notice, a closing reply to rate), newest
    first: a channel that shows buttons only while it runs (the terminal) offers them again from here."""
    query = (select(OutboxMessage).where(OutboxMessage.channel == channel, OutboxMessage.chat_id == chat_id,
                                         OutboxMessage.status == SENT, OutboxMessage.buttons.is_not(None))
             .order_by(OutboxMessage.id.desc()).limit(limit))
    return [_stored_reply(r.text, r.buttons, None) for r in session.scalars(query) if r.buttons]


def due_items(session: Session, channel: str, chat_id: str | None = None, limit: int = 100) -> list[OutboxItem]:
    """Pending messages of a channel (of one chat when given), oldest first (the terminal reads these)."""
    query = select(OutboxMessage).where(OutboxMessage.channel == channel, OutboxMessage.status == PENDING)
    if chat_id is not None:
        query = query.where(OutboxMessage.chat_id == chat_id)
    return [item_of(r) for r in session.scalars(query.order_by(OutboxMessage.id).limit(limit))]


def claim(session: Session, channels: Iterable[str], worker: str, limit: int = 50,
          lease: timedelta = LEASE) -> list[OutboxItem]:
    """Lease the due rows nobody holds, oldest first, at most one chat's head each: one statement.

    Due: pending, its next attempt has come, no lease or an expired one, and no older pending row for
    the same chat (messages reach a chat in order). A row whose lease ran out while a worker held it
    may have been sent: that try's outcome is unknown, and counted.
    """
    t, now = table(OutboxMessage), wall()
    older = aliased(OutboxMessage)
    head = ~exists().where(older.chat_id == t.c.chat_id, older.channel == t.c.channel,
                           older.status == PENDING, older.id < t.c.id)
    due = (select(t.c.id)
           .where(t.c.status == PENDING, t.c.channel.in_(list(channels)), t.c.next_attempt_at <= now,
                  or_(t.c.lease_until.is_(None), t.c.lease_until < now), head)
           .order_by(t.c.id).limit(limit).with_for_update(skip_locked=True))
    stmt = (update(t).where(t.c.id.in_(due.scalar_subquery()))
            .values(lease_until=now + lease, owner=worker,
                    unknown=t.c.unknown + case((t.c.owner.is_not(None), 1), else_=0))
            .returning(*t.c))
    return sorted((item_of(r) for r in session.execute(stmt)), key=lambda i: i.id)


def next_due(session: Session, channels: Iterable[str]) -> datetime | None:
    """The soonest next attempt among pending rows of these channels that nobody holds."""
    t, now = table(OutboxMessage), wall()
    return utc(session.scalar(select(func.min(t.c.next_attempt_at)).where(
        t.c.status == PENDING, t.c.channel.in_(list(channels)), or_(t.c.lease_until.is_(None), t.c.lease_until < now))))


def backoff(attempts: int, rng: random.Random | None = None) -> float:
    """Seconds before the next try after ``attempts`` failed ones: exponential, capped, with jitter."""
    delay = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** max(0, attempts - 1))
    return delay * (rng or random).uniform(0.5, 1.5)


def record(session: Session, settings: Settings, item: OutboxItem, result: Result, at: datetime) -> None:
    """Write one attempt's outcome; a message that cannot be delivered is an event on its ticket, and
    staff are told (in the staff group when the message belongs to a ticket, in the digest always)."""
    t = table(OutboxMessage)
    values: dict[str, Any] = {"parts_sent": result.parts_sent, "lease_until": None, "owner": None}
    if result.outcome is not Outcome.RELEASED:
        values["attempts"] = t.c.attempts + 1
    if result.unknown:
        values["unknown"] = t.c.unknown + 1
    if result.moved_to:
        move_chat(session, item.channel, item.chat_id, result.moved_to, at)
        values["chat_id"] = result.moved_to
    if result.outcome is Outcome.SENT:
        values.update(status=SENT, sent_at=at)
    elif result.outcome in (Outcome.RETRY, Outcome.RELEASED):
        delay = 0.0 if result.outcome is Outcome.RELEASED else (
            result.retry_after * random.uniform(1.0, 1.1) if result.retry_after else backoff(item.attempts + 1))
        values.update(next_attempt_at=wall() + timedelta(seconds=delay), error=result.reason[:300] or None)
    else:
        values.update(status=result.outcome.value, error=result.reason[:300] or None)
    changed = session.execute(update(t).where(t.c.id == item.id, t.c.status == PENDING)
                              .values(**values).returning(t.c.id)).scalar() is not None
    if changed and result.outcome in (Outcome.UNDELIVERED, Outcome.FAILED):
        _tell_staff(session, settings, item, result, at)


def _tell_staff(session: Session, settings: Settings, item: OutboxItem, result: Result, at: datetime) -> None:
    if item.ticket_number is None:
        return  # a message outside any ticket (an answer to a question): counted in the digest only
    ticket = session.scalar(select(Ticket).where(Ticket.number == item.ticket_number))
    data: dict[str, Any] = {"outbox": item.id}
    if result.outcome is Outcome.FAILED:
        data.update(result="failed", reason=result.reason[:200])
    if ticket is not None:
        record_event(session, at=at, actor=SYSTEM, action=Action.UNDELIVERED, ticket=ticket, data=data)
    if settings.staff_chat_id and item.chat_id != settings.staff_chat_id:
        failed = texts.MAIL_FAILED_STAFF if item.channel == EMAIL else texts.FAILED_STAFF
        text = (failed.format(number=item.ticket_number, reason=result.reason or "—")
                if result.outcome is Outcome.FAILED else texts.UNDELIVERED_STAFF.format(number=item.ticket_number))
        put(session, key=f"told:{item.id}", channel="telegram", chat_id=settings.staff_chat_id, reply=Reply(text),
            at=at, ticket_number=item.ticket_number)


def move_chat(session: Session, channel: str, old: str, new: str, at: datetime) -> None:
    """A group became a supergroup: its stored id is replaced everywhere, and the move is remembered
    (the staff group's id comes from a setting: later messages to it are sent to the new id)."""
    t = table(ChatMove)
    session.execute(dialect_insert(session)(t).values(channel=channel, old_chat_id=old, new_chat_id=new, at=at)
                    .on_conflict_do_update(index_elements=["channel", "old_chat_id"], set_={"new_chat_id": new}))
    rows = table(OutboxMessage)
    session.execute(update(rows).where(rows.c.channel == channel, rows.c.chat_id == old,
                                       rows.c.status == PENDING).values(chat_id=new))
    session.execute(update(table(Ticket)).where(Ticket.channel == channel, Ticket.chat_id == old)
                    .values(chat_id=new))
    session.execute(update(table(DialogueState)).where(
        and_(DialogueState.channel == channel, DialogueState.chat_id == old)).values(chat_id=new))


def chat_moves(session: Session, channel: str) -> dict[str, str]:
    """Old chat id → new chat id, for the chats of a channel that moved."""
    rows = session.execute(select(ChatMove.old_chat_id, ChatMove.new_chat_id).where(ChatMove.channel == channel))
    return {old: new for old, new in rows}


def prune_conversation(session: Session, before: datetime) -> int:
    """Forget the chat's own replies (answers, form prompts: ``reply:…`` rows) written before ``before``, once
    they are no longer waiting; messages about tickets stay with the tickets' history."""
    t = table(OutboxMessage)
    stmt = delete(t).where(t.c.key.like("reply:%"), t.c.status != PENDING, t.c.created_at < before)
    return len(session.execute(stmt.returning(t.c.id)).all())


def unreported_failures(session: Session) -> list[OutboxMessage]:
    """Messages that failed or were not delivered and no digest has named yet, oldest first."""
    return list(session.scalars(select(OutboxMessage).where(
        OutboxMessage.status.in_([FAILED, UNDELIVERED]), OutboxMessage.reported_at.is_(None)).order_by(OutboxMessage.id)))
