"""All tables, registered on one metadata (knowledge tables come from the knowledge layer)."""

from __future__ import annotations

from bot.dialogue.models import DialogueState, OutboxMessage, QuestionLog, SeenUpdate
from bot.stats.models import ImportedRequest, ProactiveFigure, PublishedReport
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
    "DialogueState",
    "Document",
    "ImportedRequest",
    "KnowledgeState",
    "OutboxMessage",
    "Passage",
    "ProactiveFigure",
    "PublishedReport",
    "QuestionLog",
    "RemedyRecord",
    "RequestDetails",
    "SeenUpdate",
    "Staff",
    "Ticket",
    "TicketCounter",
    "TicketEvent",
    "TicketPause",
]
