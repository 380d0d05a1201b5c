"""What one handled message carries through the core: the session, the services, the user's state."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.dialogue.messages import Incoming
from bot.dialogue.models import DialogueState
from bot.settings import Settings
from bot.tickets.service import TicketService
from knowledge.matcher import Matcher


@dataclass
class Context:
    session: Session
    incoming: Incoming
    state: DialogueState
    make_service: Callable[[], TicketService]
    settings: Settings
    matcher: Callable[[], Matcher]
    now: datetime
    _service: TicketService | None = field(default=None, init=False)

    @property
    def service(self) -> TicketService:
        """Built on first use: a plain question needs no calendar."""
        if self._service is None:
            self._service = self.make_service()
        return self._service

    @property
    def data(self) -> dict[str, Any]:
        return dict(self.state.data or {})

    def set(self, flow: str | None = None, step: str | None = None, data: dict[str, Any] | None = None) -> None:
        """Replace the conversation state (a new dict, so the JSON column sees the change)."""
        self.state.flow, self.state.step, self.state.data = flow, step, dict(data or {})
        self.state.updated_at = self.now

    def clear(self) -> None:
        self.set()
