"""Questions the bot could not answer, kept as masked text for a set period so staff can teach the guide.

The question log (``question_log``, section 一 of the report) keeps no text. Staff need the text of
what went unanswered, so each unanswered question is also kept here — with identity numbers, phone
numbers and e-mail addresses masked before it is stored, without any user or chat id, and only for
``QUESTION_RETENTION_DAYS`` (90 at most, as the privacy notice says). Older rows are deleted whenever
a new one is stored and whenever staff look at the list.

The dialogue core writes a ``QuestionLog`` row for every question and keeps the question itself in the
user's state row, both in one flush; ``capture`` turns that pair into a row here. Registered once per
process by the composition root (``install``), it needs no change in the dialogue core.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import DateTime, Float, Integer, String, Text, delete, event, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot.dialogue.models import DialogueState, QuestionLog
from bot.tickets.masking import mask_text
from knowledge.orm import Base

MAX_LENGTH = 2000
DEFAULT_RETENTION = timedelta(days=90)


class UnansweredQuestion(Base):
    """A question the bot could not answer: masked text, channel, when; no user, no chat."""

    __tablename__ = "unanswered_questions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    asked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)  # UTC
    text: Mapped[str] = mapped_column(Text)  # masked before it is stored
    score: Mapped[float] = mapped_column(Float)


def record(session: Session, *, channel: str, text: str, at: datetime, score: float = 0.0,
           retention: timedelta = DEFAULT_RETENTION) -> UnansweredQuestion | None:
    """Keep an unanswered question (masked); also forget those older than the retention period."""
    masked = mask_text(text.strip())[:MAX_LENGTH]
    purge(session, at=at, retention=retention)
    if not masked:
        return None
    row = UnansweredQuestion(channel=channel, asked_at=at, text=masked, score=score)
    session.add(row)
    return row


def purge(session: Session, *, at: datetime, retention: timedelta) -> None:
    # A Core statement: it may run inside a flush (``capture``) without flushing again.
    session.connection().execute(delete(UnansweredQuestion.__table__).where(  # type: ignore[arg-type]
        UnansweredQuestion.asked_at < at - retention))


def recent(session: Session, *, at: datetime, retention: timedelta, limit: int = 200) -> list[UnansweredQuestion]:
    """The questions still kept, newest first."""
    purge(session, at=at, retention=retention)
    return list(session.scalars(select(UnansweredQuestion).order_by(UnansweredQuestion.id.desc()).limit(limit)))


def forget(session: Session, question_id: int) -> UnansweredQuestion | None:
    """Delete one question's text (dismissed by staff, or turned into a guide phrasing)."""
    row = session.get(UnansweredQuestion, question_id)
    if row is not None:
        session.delete(row)
    return row


# --- capture from the dialogue core ---------------------------------------------------------------

_RETENTION: dict[str, timedelta] = {"value": DEFAULT_RETENTION}


def _utc(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def capture(session: Session, _context: Any, _instances: Any) -> None:
    """Before a flush: each new unanswered ``QuestionLog`` row, paired with the state row that holds
    the question (same channel, same moment), is kept as masked text."""
    logs = [o for o in session.new if isinstance(o, QuestionLog) and not o.matched]
    if not logs:
        return
    states = [o for o in (*session.new, *session.dirty) if isinstance(o, DialogueState)]
    for log in logs:
        state = next((s for s in states if s.channel == log.channel and s.updated_at is not None
                      and _utc(s.updated_at) == _utc(log.asked_at) and (s.data or {}).get("question")), None)
        if state is not None:
            record(session, channel=log.channel, text=str((state.data or {})["question"]), at=_utc(log.asked_at),
                   score=float(log.score or 0.0), retention=_RETENTION["value"])


def install(retention_days: int) -> None:
    """Keep unanswered questions from every session of this process (idempotent)."""
    _RETENTION["value"] = timedelta(days=retention_days)
    if not event.contains(Session, "before_flush", capture):
        event.listen(Session, "before_flush", capture)
