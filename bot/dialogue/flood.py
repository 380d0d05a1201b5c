"""The per-user flood limit, shared by every worker: a counter in the user's state row.

More than ``limit`` updates in a window of ``window`` seconds: the first one over gets one polite
message, the rest silence until the window has passed. The count is taken by the statement that also
reads (and locks, on PostgreSQL) the user's state row, at the start of the update's transaction, so
one user's updates are handled one at a time whatever the number of workers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case
from sqlalchemy.orm import Session

from bot.dialogue.messages import Incoming
from bot.dialogue.models import DialogueState
from bot.dialogue.outbox import dialect_insert

OK, WARN, SILENT = "ok", "warn", "silent"


@dataclass(frozen=True)
class FloodLimit:
    limit: int = 30
    window: int = 60  # seconds


def enter(session: Session, incoming: Incoming, now: datetime, flood: FloodLimit) -> tuple[DialogueState, str]:
    """The user's state row (created on first contact) and whether this update is within the limit."""
    second = int(now.timestamp())
    insert = dialect_insert(session)(DialogueState).values(
        channel=incoming.channel, user_id=incoming.user_id, chat_id=incoming.chat_id, updated_at=now,
        flood_window=second, flood_count=1)
    expired = insert.excluded.flood_window - DialogueState.flood_window >= flood.window
    stmt = insert.on_conflict_do_update(index_elements=["channel", "user_id"], set_={
        "flood_window": case((expired, insert.excluded.flood_window), else_=DialogueState.flood_window),
        "flood_count": case((expired, 1), else_=DialogueState.flood_count + 1),
        "chat_id": insert.excluded.chat_id,
    }).returning(DialogueState)
    state = session.scalars(stmt, execution_options={"populate_existing": True}).one()
    count = state.flood_count
    return state, OK if count <= flood.limit else WARN if count == flood.limit + 1 else SILENT
