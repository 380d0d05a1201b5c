"""The one function that writes a ticket event (events store codes, never display labels)."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.tickets.codes import Action
from bot.tickets.models import Ticket, TicketEvent

log = logging.getLogger(__name__)


def record_event(
    session: Session,
    *,
    at: datetime,
    actor: str,
    action: Action,
    ticket: Ticket | None = None,
    src: str | None = None,
    dst: str | None = None,
    data: dict[str, Any] | None = None,
) -> TicketEvent:
    """Append one event; ``data`` holds codes, numbers and ISO dates only."""
    if ticket is not None and ticket.id is None:
        session.flush()
    event = TicketEvent(
        ticket_id=ticket.id if ticket is not None else None,
        at=at,
        actor=actor,
        action=Action(action).value,
        from_status=src,
        to_status=dst,
        data=data or None,
    )
    session.add(event)
    # Only the ticket number, the action code and the actor: never personal data.
    log.info("ticket %s: %s by %s", ticket.number if ticket is not None else "-", event.action, actor)
    return event
