"""The status machine as data: one transitions table, one function that applies it."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Protocol

from bot.errors import IllegalTransition
from bot.tickets.codes import TicketKind


class TicketStatus(StrEnum):
    RECEIVED = "received"
    AWAITING_CORRECTION = "awaiting_correction"  # 第三十条: 补正
    IN_CONSULTATION = "in_consultation"  # 第三十二条, 第三十四条: the clock is paused
    AWAITING_FEE = "awaiting_fee"  # 信息处理费 notice sent; the clock waits (a local reading, not 第四十二条)
    EXTENDED = "extended"  # 第三十三条第二款: the one extension was approved
    CLOSED = "closed"


S = TicketStatus

TRANSITIONS: Mapping[TicketStatus, frozenset[TicketStatus]] = {
    S.RECEIVED: frozenset({S.AWAITING_CORRECTION, S.IN_CONSULTATION, S.AWAITING_FEE, S.EXTENDED, S.CLOSED}),
    S.AWAITING_CORRECTION: frozenset({S.RECEIVED, S.CLOSED}),
    S.IN_CONSULTATION: frozenset({S.RECEIVED, S.EXTENDED, S.CLOSED}),
    S.AWAITING_FEE: frozenset({S.RECEIVED, S.EXTENDED, S.CLOSED}),
    S.EXTENDED: frozenset({S.IN_CONSULTATION, S.AWAITING_FEE, S.CLOSED}),
    S.CLOSED: frozenset(),
}

# An enquiry is not on the statutory clock: it is open, then closed.
KIND_STATUSES: Mapping[TicketKind, frozenset[TicketStatus]] = {
    TicketKind.ENQUIRY: frozenset({S.RECEIVED, S.CLOSED}),
    TicketKind.DISCLOSURE_REQUEST: frozenset(TicketStatus),
}

OPEN_STATUSES = frozenset(TicketStatus) - {S.CLOSED}
PAUSED_STATUSES = frozenset({S.IN_CONSULTATION, S.AWAITING_FEE})


class HasStatus(Protocol):
    kind: str
    status: str


def allowed(kind: str, src: str) -> frozenset[TicketStatus]:
    """The statuses a ticket of this kind may move to from ``src`` (the UI asks this for its buttons)."""
    statuses = KIND_STATUSES[TicketKind(kind)]
    source = TicketStatus(src)
    return TRANSITIONS[source] & statuses if source in statuses else frozenset()


def apply_transition(ticket: HasStatus, dst: TicketStatus) -> TicketStatus:
    """Move ``ticket`` to ``dst``; raise IllegalTransition naming both states. Returns the old status."""
    src = TicketStatus(ticket.status)
    if dst not in allowed(ticket.kind, src):
        raise IllegalTransition(src.value, dst.value)
    ticket.status = dst.value
    return src
