"""The inbox: updates from a channel, stored (keyed by update id) before they are acknowledged.

An update is normally handled at once, and recorded ``done`` in the transaction of its effects (its
state, its outbox rows), so the same update delivered again — to this worker or another — has no
second effect. An update whose handling failed is stored ``pending`` with its payload and handled
again later by whichever worker claims it; one user's pending updates are handled in order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, exists, null, or_, select, update
from sqlalchemy.orm import Session, aliased

from bot.dialogue.models import InboxUpdate, table
from bot.dialogue.outbox import backoff, dialect_insert, wall

DONE, PENDING, FAILED = "done", "pending", "failed"
MAX_ATTEMPTS = 5  # then the update is given up (``failed``) and the user asked to send it again
LEASE = timedelta(minutes=2)


@dataclass(frozen=True)
class Stored:
    """A pending update claimed for handling."""

    channel: str
    update_id: int
    chat_id: str | None
    payload: dict[str, Any]
    attempts: int


def mark_done(session: Session, channel: str, update_id: int, chat_id: str | None, now: datetime,
              claimed: bool = False) -> bool:
    """Record the update as handled; False when it already was (by this worker or another).

    The first statement of the update's transaction: on PostgreSQL a second worker handling the same
    update waits here for the first to commit, then finds it done.
    """
    t = table(InboxUpdate)
    if claimed:  # a stored update this worker claimed: pending → done (its payload is no longer needed)
        stmt = (update(t).where(t.c.channel == channel, t.c.update_id == update_id,
                                    t.c.status == PENDING)
                .values(status=DONE, payload=null(), lease_until=None, error=None).returning(t.c.update_id))
    else:
        stmt = (dialect_insert(session)(t).values(channel=channel, update_id=update_id, chat_id=chat_id, status=DONE,
                                               received_at=now, attempts=1)
                .on_conflict_do_nothing(index_elements=["channel", "update_id"]).returning(t.c.update_id))
    return session.execute(stmt).scalar() is not None


def defer(session: Session, channel: str, update_id: int, chat_id: str | None, payload: dict[str, Any],
          now: datetime, error: str) -> bool:
    """Store an update whose handling failed, to be handled again shortly; False when it was known."""
    t = table(InboxUpdate)
    stmt = (dialect_insert(session)(t).values(channel=channel, update_id=update_id, chat_id=chat_id, payload=payload,
                                           status=PENDING, received_at=now, attempts=1, error=error[:200],
                                           lease_until=wall() + timedelta(seconds=backoff(1)))
            .on_conflict_do_nothing(index_elements=["channel", "update_id"]).returning(t.c.update_id))
    return session.execute(stmt).scalar() is not None


def claim(session: Session, channel: str, limit: int = 20, lease: timedelta = LEASE) -> list[Stored]:
    """Lease pending updates whose time has come, the oldest of each chat only (one user's in order)."""
    t, now = table(InboxUpdate), wall()
    older = aliased(InboxUpdate)
    head = ~exists().where(older.channel == t.c.channel, older.chat_id == t.c.chat_id,
                           older.status == PENDING, older.update_id < t.c.update_id)
    due = (select(t.c.update_id)
           .where(t.c.channel == channel, t.c.status == PENDING,
                  or_(t.c.lease_until.is_(None), t.c.lease_until < now), head)
           .order_by(t.c.update_id).limit(limit).with_for_update(skip_locked=True))
    stmt = (update(t).where(t.c.channel == channel, t.c.update_id.in_(due.scalar_subquery()))
            .values(lease_until=now + lease, attempts=t.c.attempts + 1)
            .returning(t.c.update_id, t.c.chat_id, t.c.payload, t.c.attempts))
    rows = session.execute(stmt).all()
    return sorted((Stored(channel, r.update_id, r.chat_id, dict(r.payload or {}), r.attempts) for r in rows),
                  key=lambda s: s.update_id)


def failed_again(session: Session, stored: Stored, error: str) -> bool:
    """A claimed update failed once more: retried after a backoff, or given up after the last try.
    True when it was given up."""
    t = table(InboxUpdate)
    give_up = stored.attempts >= MAX_ATTEMPTS
    values: dict[str, Any] = {"error": error[:200]}
    if give_up:
        values.update(status=FAILED, payload=null(), lease_until=None)
    else:
        values["lease_until"] = wall() + timedelta(seconds=backoff(stored.attempts + 1))
    session.execute(update(t).where(t.c.channel == stored.channel, t.c.update_id == stored.update_id,
                                        t.c.status == PENDING).values(**values))
    return give_up


def prune(session: Session, before: datetime) -> int:
    """Forget handled (and given-up) updates received before ``before``: returns how many."""
    t = table(InboxUpdate)
    stmt = delete(t).where(t.c.status.in_([DONE, FAILED]), t.c.received_at < before).returning(t.c.update_id)
    return len(session.execute(stmt).all())
