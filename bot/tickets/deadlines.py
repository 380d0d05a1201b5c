"""The statutory clock of one ticket, computed from its stored facts and a working-day calendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.tickets.codes import CONSULTATIONS, TicketKind
from bot.tickets.models import Ticket, TicketPause
from bot.tickets.status import TicketStatus
from bot.workdays import Due, Pause, WorkCalendar

REPLY_DAYS = 20  # 第三十三条第二款: reply within 20 working days of receipt
MAX_EXTENSION_DAYS = 20  # 第三十三条第二款: one extension of at most 20 working days
CORRECTION_ASK_DAYS = 7  # 第三十条: 补正 asked within 7 working days of receipt, once
CONSULTATION_DAYS = 15  # 第三十二条, 第三十四条: the other side answers within 15 working days


def clock_start(ticket: Ticket) -> date:
    """第三十条: after a correction the reply period counts from the day it arrived."""
    return ticket.corrected_on or ticket.received_on


def pause_end(pause: TicketPause) -> date:
    """The last day a pause covers: when it ended, or its limit if it has not (yet) ended.

    A consultation ends by itself when the other side's 15 working days run out, so it never
    covers days after its limit even if its end is recorded late.
    """
    if pause.kind in CONSULTATIONS:
        return min(pause.ended_on or pause.limit_on, pause.limit_on)
    return pause.ended_on or pause.limit_on


def pauses(ticket: Ticket) -> list[Pause]:
    """第三十三条第三款: consultation time does not count; a fee notice waits for payment the same way.

    The fee pause has no article: the regulation and 国办函〔2020〕109号 (as far as its text is known) do
    not say the clock stops; a provincial notice does (fees-2020.txt, D1). It is a local reading.
    """
    return [Pause(p.started_on, pause_end(p)) for p in ticket.pauses]


def compute_due(ticket: Ticket, calendar: WorkCalendar) -> Due | None:
    """The reply due date, or None where there is no running clock (an enquiry, a pending 补正)."""
    if ticket.kind == TicketKind.ENQUIRY or ticket.status == TicketStatus.AWAITING_CORRECTION:
        return None
    days = REPLY_DAYS + ticket.extension_days
    return calendar.add_workdays(clock_start(ticket), days, pauses(ticket))


@dataclass(frozen=True)
class PausedSpan:
    kind: str
    start: date
    end: date  # the last day it covers (its limit while it runs)
    workdays: int  # working days not counted
    running: bool


@dataclass(frozen=True)
class ClockView:
    """How a request's due date was counted, for staff to check (the console's ticket page)."""

    received: date
    start: date  # the day counting starts after: receipt, or the corrected request (第三十条)
    restarted: bool
    days: int  # 第三十三条: 20
    extension_days: int
    pauses: list[PausedSpan]
    due: Due | None  # None while waiting for a correction


def explain_due(ticket: Ticket, calendar: WorkCalendar) -> ClockView | None:
    """The parts of the due date: start, working days, extension, pauses; None for an enquiry."""
    if ticket.kind == TicketKind.ENQUIRY:
        return None
    spans = [PausedSpan(p.kind, p.started_on, pause_end(p), calendar.workdays_between(p.started_on, pause_end(p)),
                        p.ended_on is None) for p in ticket.pauses]
    return ClockView(ticket.received_on, clock_start(ticket), ticket.corrected_on is not None, REPLY_DAYS,
                     ticket.extension_days, spans, compute_due(ticket, calendar))


def correction_ask_limit(ticket: Ticket, calendar: WorkCalendar) -> Due:
    """第三十条: the last day on which 补正 may be asked."""
    return calendar.add_workdays(ticket.received_on, CORRECTION_ASK_DAYS)


def is_overdue(ticket: Ticket, today: date) -> bool:
    return ticket.status != TicketStatus.CLOSED and ticket.due_on is not None and ticket.due_on < today


def is_due_soon(ticket: Ticket, today: date, calendar: WorkCalendar, within: int) -> bool:
    """Open, not overdue, and due within ``within`` working days from today."""
    if ticket.status == TicketStatus.CLOSED or ticket.due_on is None or ticket.due_on < today:
        return False
    return calendar.workdays_between(today, ticket.due_on) <= within
