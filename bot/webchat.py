"""The citizens' web chat, what the bot keeps for it: the visitor's key, the transcript, access codes, limits.

A visitor is a random id in a signed cookie; their conversation state is the ``dialogue_states`` row of
channel ``web`` keyed by it, like any chat. The transcript (the visitor's messages, masked, and the
bot's replies) is what a reload or a return visit shows; it is pruned after ``WEB_TRANSCRIPT_DAYS``.
A request filed in the web chat gets an access code: its number and the code show its progress from any
browser (only the code's hash is stored). Limits are counters in the database, shared by all processes.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import JSON, BigInteger, DateTime, Integer, String, Text, case, delete, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot import texts
from bot.dialogue import outbox
from bot.dialogue.messages import Button, Reply
from bot.dialogue.models import OutboxMessage
from bot.settings import Settings
from bot.tickets.masking import mask_text
from bot.tickets.models import Ticket
from bot.tickets.render import due_text
from knowledge.orm import Base

CHANNEL = "web"
MAX_MESSAGE = 2000  # characters: a longer message is refused, with the limit named
VISITOR, BOT = "visitor", "bot"
# No 0/O, 1/I/L: read off a receipt and typed again.
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10


class WebKey(Base):
    """The key that signs visitor cookies and CSRF tokens: made once, shared by every process."""

    __tablename__ = "web_chat_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    secret: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class TranscriptEntry(Base):
    """One line of a visitor's conversation as shown again: their message (masked) or a reply."""

    __tablename__ = "web_transcript"

    id: Mapped[int] = mapped_column(primary_key=True)
    visitor_id: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    speaker: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text)
    buttons: Mapped[list[list[str]] | None] = mapped_column(JSON)
    # Files sent with a reply (a staff reply's attachments), as the outbox keeps them: name and stored path.
    documents: Mapped[list[dict[str, str]] | None] = mapped_column(JSON)


class AccessCode(Base):
    """The access code of a request filed in the web chat: its SHA-256 only."""

    __tablename__ = "web_access_codes"

    ticket_number: Mapped[str] = mapped_column(String(11), primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RateCount(Base):
    """Messages counted in the window that began at ``window`` (seconds since the epoch), per key."""

    __tablename__ = "web_rate_limits"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    window: Mapped[int] = mapped_column(BigInteger)
    count: Mapped[int] = mapped_column(Integer)


# --- the key, cookies, CSRF ----------------------------------------------------------------------------

def signing_key(session: Session, at: datetime) -> bytes:
    """The shared key (made by the first process that needs it)."""
    insert = outbox.dialect_insert(session)(WebKey).values(id=1, secret=secrets.token_hex(32), created_at=at)
    session.execute(insert.on_conflict_do_nothing(index_elements=["id"]))
    return bytes.fromhex(session.scalars(select(WebKey.secret).where(WebKey.id == 1)).one())


def new_visitor() -> str:
    return secrets.token_hex(16)


def _mac(key: bytes, purpose: str, value: str) -> str:
    return hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()[:32]


def sign(key: bytes, visitor: str) -> str:
    return f"{visitor}.{_mac(key, 'visitor', visitor)}"


def unsign(key: bytes, cookie: str) -> str | None:
    """The visitor id of a cookie this site signed, else None."""
    visitor, _, mac = cookie.partition(".")
    if len(visitor) != 32 or not hmac.compare_digest(mac, _mac(key, "visitor", visitor)):
        return None
    return visitor


def csrf_token(key: bytes, visitor: str) -> str:
    """Bound to the visitor: a form from another site cannot carry it."""
    return _mac(key, "csrf", visitor)


def csrf_ok(key: bytes, visitor: str, given: str) -> bool:
    return hmac.compare_digest(csrf_token(key, visitor), given)


# --- limits --------------------------------------------------------------------------------------------

def within_limit(session: Session, key: str, now: datetime, limit: int, window: int = 60) -> bool:
    """Count one message for ``key``; False once more than ``limit`` came in the current window."""
    second = int(now.timestamp())
    insert = outbox.dialect_insert(session)(RateCount).values(key=key[:80], window=second, count=1)
    expired = insert.excluded.window - RateCount.window >= window
    stmt = insert.on_conflict_do_update(index_elements=["key"], set_={
        "window": case((expired, insert.excluded.window), else_=RateCount.window),
        "count": case((expired, 1), else_=RateCount.count + 1),
    }).returning(RateCount.count)
    return int(session.execute(stmt).scalar_one()) <= limit


# --- the transcript ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Line:
    id: int
    speaker: str
    text: str
    buttons: tuple[Button, ...]
    at: datetime
    files: tuple[str, ...] = ()  # names of the files the visitor can download from this line


def add(session: Session, visitor: str, speaker: str, reply: Reply, at: datetime) -> None:
    """One line; a visitor's own text is masked (identity numbers, phones, e-mail addresses) first. A file
    the bot holds (a staff reply's attachment) is offered for download; one it does not (a Telegram
    file) is named, with where to get it."""
    text = mask_text(reply.text) if speaker == VISITOR else reply.text
    held = [outbox.keep(d) for d in reply.documents if d.file_id is None]
    elsewhere = "".join("\n" + texts.WEB_CHAT_DOCUMENT.format(name=d.name) for d in reply.documents
                        if d.file_id is not None)
    session.add(TranscriptEntry(visitor_id=visitor, at=at, speaker=speaker, text=text + elsewhere,
                                buttons=[[b.id, b.label] for b in reply.buttons] or None,
                                documents=[{"name": d.name, "path": str(d.path)} for d in held] or None))


def lines(session: Session, visitor: str, settings: Settings, now: datetime) -> list[Line]:
    """The conversation so far (lines older than WEB_TRANSCRIPT_DAYS are deleted first, everyone's)."""
    cutoff = now - timedelta(days=settings.web_transcript_days)
    session.execute(delete(TranscriptEntry).where(TranscriptEntry.at < cutoff))
    rows = session.scalars(select(TranscriptEntry).where(TranscriptEntry.visitor_id == visitor)
                           .order_by(TranscriptEntry.id))
    return [Line(r.id, r.speaker, r.text, tuple(Button(b[0], b[1]) for b in r.buttons or ()), r.at,
                 tuple(d["name"] for d in r.documents or ())) for r in rows]


def held_file(session: Session, visitor: str, line: int, n: int) -> tuple[str, Path] | None:
    """The n-th file of one of this visitor's lines, if it is still kept (None: not theirs, or gone)."""
    entry = session.get(TranscriptEntry, line)
    return _kept(entry.documents, n) if entry is not None and entry.visitor_id == visitor else None


def _kept(documents: list[dict[str, str]] | None, n: int) -> tuple[str, Path] | None:
    """The name and path of the n-th of these stored files while the file is still there."""
    if not 0 <= n < len(documents or ()) or not (documents or [])[n].get("path"):
        return None
    document = (documents or [])[n]
    path = Path(document["path"])
    return (document["name"], path) if path.is_file() else None


def button_label(session: Session, visitor: str, button: str) -> str | None:
    """The label of a button of the latest reply that had buttons (None: not offered)."""
    rows = session.scalars(select(TranscriptEntry.buttons).where(
        TranscriptEntry.visitor_id == visitor, TranscriptEntry.speaker == BOT, TranscriptEntry.buttons.is_not(None))
        .order_by(TranscriptEntry.id.desc()).limit(1)).all()
    for pair in (rows[0] or []) if rows else []:
        if pair[0] == button:
            return str(pair[1])
    return None


def deliver(session: Session, settings: Settings, visitor: str, now: datetime, *, earlier_only: bool = False) -> int:
    """Move the messages waiting in the outbox for this visitor (receipts, staff replies, notices) into
    the transcript: "delivered" is "stored for the visitor". ``earlier_only``: not those this session's
    transaction wrote (they follow the message that caused them)."""
    written = {item.id for item in outbox.written_in(session.info)} if earlier_only else set()
    items = [item for item in outbox.due_items(session, CHANNEL, visitor) if item.id not in written]
    for item in items:
        add(session, visitor, BOT, item.reply, now)
        outbox.record(session, settings, item,
                      outbox.Result(outbox.Outcome.SENT, parts_sent=len(item.reply.documents) + 1), now)
    return len(items)


# --- access codes and lookup ---------------------------------------------------------------------------

def _hash(code: str) -> str:
    return hashlib.sha256(code.strip().upper().replace("-", "").replace(" ", "").encode()).hexdigest()


def issue_code(session: Session, ticket_number: str, at: datetime) -> str:
    """A new access code for a ticket filed in the web chat; only its hash is kept."""
    code = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(CODE_LENGTH))
    session.add(AccessCode(ticket_number=ticket_number, code_hash=_hash(code), created_at=at))
    return f"{code[:5]}-{code[5:]}"


@dataclass(frozen=True)
class Progress:
    number: str
    status: str  # a code of TicketStatus
    received_on: str
    due: str
    # every message sent to the applicant, oldest first: when, its text, and (its id, the files' names)
    messages: tuple[tuple[datetime, str, int, tuple[str, ...]], ...]


def _ticket_of(session: Session, number: str, code: str) -> Ticket | None:
    row = session.get(AccessCode, number.strip())
    if row is None or not hmac.compare_digest(row.code_hash, _hash(code)):
        return None
    return session.scalar(select(Ticket).where(Ticket.number == row.ticket_number))


def _sent(session: Session, ticket: Ticket) -> list[OutboxMessage]:
    return list(session.scalars(select(OutboxMessage).where(
        OutboxMessage.ticket_number == ticket.number, OutboxMessage.channel == ticket.channel,
        OutboxMessage.chat_id == ticket.chat_id).order_by(OutboxMessage.id)))


def lookup(session: Session, number: str, code: str) -> Progress | None:
    """A ticket's progress when its number and access code match (else None: neither is told apart)."""
    ticket = _ticket_of(session, number, code)
    if ticket is None:
        return None
    return Progress(ticket.number, ticket.status, ticket.received_on.isoformat(),
                    due_text(ticket.due_on, ticket.due_provisional) if ticket.due_on else "",
                    tuple((m.created_at, m.text, m.id, tuple(d["name"] for d in m.documents or ()))
                          for m in _sent(session, ticket)))


def lookup_file(session: Session, number: str, code: str, message: int, n: int) -> tuple[str, Path] | None:
    """The n-th file of a message sent on the ticket that the number and access code open, if still kept."""
    ticket = _ticket_of(session, number, code)
    if ticket is None:
        return None
    found = next((m for m in _sent(session, ticket) if m.id == message), None)
    return _kept(found.documents, n) if found is not None else None
