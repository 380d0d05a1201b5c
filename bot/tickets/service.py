"""TicketService: every staff operation on tickets, each checking the role and writing its event."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.tickets.calendar_store import save_schedules
from bot.tickets.codes import Action, Role
from bot.tickets.handling import HandlingOps
from bot.tickets.intake import IntakeOps
from bot.tickets.models import Ticket
from bot.tickets.procedure import ProcedureOps
from bot.tickets.status import OPEN_STATUSES
from bot.tickets.views import ViewOps
from bot.workdays import ScheduleChange, YearSchedule


@dataclass(frozen=True)
class HolidayLoad:
    """The outcome of ``load_holidays``: what each year changes, whether it was stored, what moved."""

    changes: list[ScheduleChange]
    loaded: bool
    recomputed: list[str]  # numbers of the open tickets whose due date changed

    @property
    def blocked(self) -> list[int]:
        """Years the calendar already had that the file would change: they need ``replace``."""
        return [c.year for c in self.changes if c.known and not c.empty]


class TicketService(IntakeOps, HandlingOps, ProcedureOps, ViewOps):
    """One object for the CLI and the chat layer; pass a Session to each call, commit outside."""

    def load_holidays(self, session: Session, actor: str, schedules: Iterable[YearSchedule], *,
                      replace_known: bool = False) -> HolidayLoad:
        """Store an administrator's schedules and recompute the due dates of open tickets.

        A schedule for a year the calendar already has (from chinese-calendar or an earlier load)
        replaces that whole year, so it is stored only with ``replace_known`` unless it changes
        nothing; otherwise nothing is stored and the changes are returned for the administrator to
        check. This service keeps its calendar; build a new one (``build_calendar``) for later calls.
        """
        self._require(session, actor, Action.CALENDAR_LOADED, Role.ADMIN)
        schedules = list(schedules)
        result = HolidayLoad(self.calendar.changes(schedules), False, [])
        if result.blocked and not replace_known:
            return result
        years = save_schedules(session, schedules, self.clock.now())
        replaced: dict[str, Any] = {"replaced": result.blocked} if result.blocked else {}
        self._event(session, None, actor, Action.CALENDAR_LOADED, years=years, **replaced)
        updated = replace(self, calendar=self.calendar.with_schedules(schedules))
        return HolidayLoad(result.changes, True, updated.recompute_open(session, actor))

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
