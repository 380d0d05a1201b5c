"""All tables, registered on one metadata (knowledge tables come from the knowledge layer)."""

from __future__ import annotations

from bot.tickets.models import (
    CalendarDay,
    CalendarYear,
    RemedyRecord,
    RequestDetails,
    Staff,
    Ticket,
    TicketCounter,
    TicketEvent,
    TicketPause,
)
from knowledge.orm import Base
from knowledge.store import Document, KnowledgeState, Passage

__all__ = [
    "Base",
    "CalendarDay",
    "CalendarYear",
    "Document",
    "KnowledgeState",
    "Passage",
    "RemedyRecord",
    "RequestDetails",
    "Staff",
    "Ticket",
    "TicketCounter",
    "TicketEvent",
    "TicketPause",
]
