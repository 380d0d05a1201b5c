"""All tables, registered on one metadata (knowledge tables come from the knowledge layer)."""

from __future__ import annotations

from bot.accounts import WebSession
from bot.agency import AgencySetting
from bot.dialogue.models import (
    ChatMove,
    DialogueState,
    InboxUpdate,
    OutboxMessage,
    QuestionLog,
    ScheduledRun,
)
from bot.questions import UnansweredQuestion
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
from bot.webchat import AccessCode, RateCount, TranscriptEntry, WebKey
from knowledge.guide_edits import GuideEdit
from knowledge.orm import Base
from knowledge.store import Document, KnowledgeState, Passage

__all__ = [
    "AgencySetting",
    "Base",
    "CalendarDay",
    "CalendarYear",
    "ChatMove",
    "DialogueState",
    "Document",
    "GuideEdit",
    "ImportedRequest",
    "InboxUpdate",
    "KnowledgeState",
    "OutboxMessage",
    "Passage",
    "ProactiveFigure",
    "PublishedReport",
    "QuestionLog",
    "RemedyRecord",
    "RequestDetails",
    "ScheduledRun",
    "Staff",
    "Ticket",
    "TicketCounter",
    "TicketEvent",
    "TicketPause",
    "UnansweredQuestion",
    "AccessCode",
    "RateCount",
    "TranscriptEntry",
    "WebKey",
    "WebSession",
]
