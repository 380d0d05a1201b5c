"""Tables of the dialogue: conversation state, updates seen, the outbox of messages that matter."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Float, Integer, String, Text, UniqueConstraint
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


class SeenUpdate(Base):
    """An update already handled: delivered again, it has no second effect."""

    __tablename__ = "dialogue_seen_updates"

    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    update_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class OutboxMessage(Base):
    """A message that matters (receipt, staff reply, notice), kept until the channel delivers it."""

    __tablename__ = "dialogue_outbox"
    __table_args__ = (UniqueConstraint("event_id", "chat_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(64), index=True)
    ticket_number: Mapped[str | None] = mapped_column(String(11))
    event_id: Mapped[int | None] = mapped_column(Integer)  # the ticket event it tells about
    text: Mapped[str] = mapped_column(Text)
    buttons: Mapped[list[list[str]] | None] = mapped_column(JSON)
    # Files sent with the text, as references (name, a channel's file id or a stored file's path): no bytes.
    documents: Mapped[list[dict[str, str]] | None] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)  # pending, sent, undelivered
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


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
