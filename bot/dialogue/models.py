"""Tables of the dialogue: conversation state, the inbox of updates, the outbox of messages that matter,
the runs of the daily jobs."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import JSON, BigInteger, Boolean, Date, DateTime, Float, Index, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column

from knowledge.orm import Base


class DialogueState(Base):
    """Where a user's conversation is (flow, step, collected fields), so a restart continues it."""

    __tablename__ = "dialogue_states"

    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    chat_id: Mapped[str] = mapped_column(String(64))
    flow: Mapped[str | None] = mapped_column(String(32))
    step: Mapped[str | None] = mapped_column(String(32))
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # The request form being filled (or the last one submitted): its submit button carries this id, so a
    # second press of 确认提交 finds the first receipt instead of filing again.
    form_id: Mapped[str | None] = mapped_column(String(16))
    # The flood limit, shared by every worker: updates counted in the window that began at flood_window
    # (seconds since the epoch).
    flood_window: Mapped[int] = mapped_column(BigInteger, default=0)
    flood_count: Mapped[int] = mapped_column(Integer, default=0)


class InboxUpdate(Base):
    """An update received from a channel, keyed by its update id: stored before it is acknowledged.

    ``done`` once handled (in the transaction of its effects; the payload is then dropped); ``pending``
    when it is waiting to be processed again (its first try failed); ``failed`` after the last try.
    Processed rows older than INBOX_RETENTION_DAYS are pruned by the daily job.
    """

    __tablename__ = "dialogue_inbox"
    __table_args__ = (Index("ix_dialogue_inbox_status_received_at", "status", "received_at"),)

    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    chat_id: Mapped[str | None] = mapped_column(String(64))  # whose update: one user's are handled in order
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(String(200))  # the kind of error, never personal data


class OutboxMessage(Base):
    """A message that matters, kept until the channel delivers it: every message to a citizen or to staff
    over an API channel, the direct answer to a question included.

    ``key`` is the message's idempotency key (a resend never creates a second row). A worker owns a row
    while ``lease_until`` is in the future; ``parts_sent`` counts the parts (text pieces, then files)
    already delivered, so a retry sends only what is missing; ``unknown`` counts the tries whose outcome
    could not be known (the request left, the answer was lost), the only cases that may duplicate.
    """

    __tablename__ = "dialogue_outbox"
    __table_args__ = (Index("ix_dialogue_outbox_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(160), unique=True)
    channel: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(64), index=True)
    ticket_number: Mapped[str | None] = mapped_column(String(11))
    event_id: Mapped[int | None] = mapped_column(Integer)  # the ticket event it tells about
    text: Mapped[str] = mapped_column(Text)
    buttons: Mapped[list[list[str]] | None] = mapped_column(JSON)
    # Files sent with the text, as references (name, a channel's file id or a stored file's path): no bytes.
    documents: Mapped[list[dict[str, str]] | None] = mapped_column(JSON)
    # pending, sent, undelivered (403: the citizen blocked the bot), failed (a 400-class refusal)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    owner: Mapped[str | None] = mapped_column(String(64))  # the worker holding the lease
    parts_sent: Mapped[int] = mapped_column(Integer, default=0)
    unknown: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(String(300))  # why it failed or was not delivered
    reported_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # named in a digest


class ScheduledRun(Base):
    """A daily job done for a day (the digest, the pause sweep, the housekeeping): one row, whatever the
    number of workers; the row is written in the transaction of the job's work."""

    __tablename__ = "scheduled_runs"

    job: Mapped[str] = mapped_column(String(32), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    worker: Mapped[str] = mapped_column(String(64))


class ChatMove(Base):
    """A group chat that became a supergroup (Telegram's ChatMigrated): messages go to the new id."""

    __tablename__ = "dialogue_chat_moves"

    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    old_chat_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    new_chat_id: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class QuestionLog(Base):
    """One question a citizen asked in a chat, for the yearly figures (section 一).

    Deliberately without the question text and without the user or chat id: only the channel, when
    (UTC), whether the bot answered it and the matcher's score.
    """

    __tablename__ = "question_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    asked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)  # UTC
    matched: Mapped[bool] = mapped_column(Boolean)
    score: Mapped[float] = mapped_column(Float)


def table(model: type[Base]) -> Table:
    """A model's Table, typed as one (for Core statements: upserts, claims, bulk updates)."""
    return cast(Table, model.__table__)
