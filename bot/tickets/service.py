"""TicketService: every staff operation on tickets, each checking the role and writing its event."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.tickets.calendar_store import save_schedules
from bot.tickets.codes import Action
from bot.tickets.handling import HandlingOps
from bot.tickets.intake import IntakeOps
from bot.tickets.models import Ticket
from bot.tickets.procedure import ProcedureOps
from bot.tickets.status import OPEN_STATUSES
from bot.tickets.views import ViewOps
from bot.workdays import YearSchedule


class TicketService(IntakeOps, HandlingOps, ProcedureOps, ViewOps):
    """One object for the CLI and the chat layer; pass a Session to each call, commit outside."""

    def load_holidays(self, session: Session, actor: str, schedules: Iterable[YearSchedule]) -> list[str]:
        """Store an administrator's schedules and recompute the due dates of open tickets.

        Returns the numbers of the tickets whose due date changed. This service keeps its calendar;
        build a new one (``build_calendar``) for later calls.
        """
        schedules = list(schedules)
        years = save_schedules(session, schedules, self.clock.now())
        self._event(session, None, actor, Action.CALENDAR_LOADED, years=years)
        updated = replace(self, calendar=self.calendar.with_schedules(schedules))
        return updated.recompute_open(session, actor)

    def recompute_open(self, session: Session, actor: str) -> list[str]:
        """Recompute every open ticket's due date with this calendar; one event per change."""
        changed = []
        query = select(Ticket).where(Ticket.status.in_([s.value for s in OPEN_STATUSES])).order_by(Ticket.id)
        for ticket in session.scalars(query.with_for_update()):
            old = (ticket.due_on, ticket.due_provisional)
            if self._refresh_due(ticket):
                self._event(session, ticket, actor, Action.DUE_RECOMPUTED,
                            old=old[0].isoformat() if old[0] else None, old_provisional=old[1],
                            due=ticket.due_on.isoformat() if ticket.due_on else None,
                            provisional=ticket.due_provisional)
                changed.append(ticket.number)
        return changed
