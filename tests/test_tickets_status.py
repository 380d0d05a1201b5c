"""Every status pair through the transition table, for both kinds of ticket."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

import pytest

from bot.errors import IllegalTransition
from bot.texts import STATUS_LABELS
from bot.tickets.status import OPEN_STATUSES, TRANSITIONS, TicketStatus, allowed, apply_transition

# What the regulation's procedure allows, written out independently of the code's table.
EXPECTED = {
    "received": {"awaiting_correction", "in_consultation", "awaiting_fee", "extended", "closed"},
    "awaiting_correction": {"received", "closed"},
    "in_consultation": {"received", "extended", "closed"},
    "awaiting_fee": {"received", "extended", "closed"},
    "extended": {"in_consultation", "awaiting_fee", "closed"},
    "closed": set(),
}
ENQUIRY_EXPECTED = {"received": {"closed"}}


@dataclass
class FakeTicket:
    kind: str
    status: str


PAIRS = list(product(TicketStatus, TicketStatus))


@pytest.mark.parametrize(("src", "dst"), PAIRS, ids=[f"{a}->{b}" for a, b in PAIRS])
@pytest.mark.parametrize("kind", ["disclosure_request", "enquiry"])
def test_every_status_pair(kind: str, src: TicketStatus, dst: TicketStatus) -> None:
    table = EXPECTED if kind == "disclosure_request" else ENQUIRY_EXPECTED
    legal = dst.value in table.get(src.value, set())
    ticket = FakeTicket(kind, src.value)
    if legal:
        assert apply_transition(ticket, dst) is src
        assert ticket.status == dst.value
        return
    with pytest.raises(IllegalTransition) as caught:
        apply_transition(ticket, dst)
    assert ticket.status == src.value  # unchanged
    message = str(caught.value)
    assert STATUS_LABELS[src] in message and STATUS_LABELS[dst] in message
    assert src.value in message and dst.value in message
    assert (caught.value.src, caught.value.dst) == (src.value, dst.value)


def test_the_table_covers_every_status_and_closed_is_final() -> None:
    assert set(TRANSITIONS) == set(TicketStatus)
    assert TRANSITIONS[TicketStatus.CLOSED] == frozenset()
    assert set(TicketStatus) - {TicketStatus.CLOSED} == OPEN_STATUSES
    # Every open status can be closed (withdrawal is always possible).
    assert all(TicketStatus.CLOSED in allowed("disclosure_request", s) for s in OPEN_STATUSES)


def test_every_status_has_a_label() -> None:
    assert set(STATUS_LABELS) == {s.value for s in TicketStatus}
