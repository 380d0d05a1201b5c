"""The queue: filters (open, due soon, overdue, kind, status, assignee), masked contacts, detail views."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from ticket_helpers import PHONE, RESIDENT_ID, STAFF, SUPERVISOR, form, open_db, service_on

from bot.db import Database
from bot.tickets.render import render_detail, render_row
from bot.tickets.views import Filters

TODAY = date(2024, 10, 28)


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    """Four tickets seen on 2024-10-28: overdue, due soon, later, an enquiry, and one closed."""
    database = open_db(db_url)
    service = service_on(TODAY)
    with database.session() as s:
        for received in ("2024-09-20", "2024-09-27", "2024-10-21"):  # due 10-23, 10-30, 11-18
            service.register_request(s, STAFF, channel="post", form=form(), received_on=date.fromisoformat(received))
        service.register_enquiry(s, STAFF, channel="counter", question="如何查询？")
        closed = service.register_request(s, STAFF, channel="post", form=form(), received_on=TODAY)
        service.close(s, STAFF, closed.number, outcome="disclosed")
        service.claim(s, SUPERVISOR, "2024-000002")
    yield database
    database.dispose()


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(), ["2024-000001", "2024-000002", "2024-000003", "2024-000005", "2024-000004"]),
        (Filters(open_only=True), ["2024-000001", "2024-000002", "2024-000003", "2024-000004"]),
        (Filters(overdue=True), ["2024-000001"]),
        (Filters(due_soon=True), ["2024-000002"]),  # 3 working days (the default setting)
        (Filters(kind="enquiry"), ["2024-000004"]),
        (Filters(status="closed"), ["2024-000005"]),
        (Filters(assignee=SUPERVISOR), ["2024-000002"]),
        (Filters(open_only=True, kind="disclosure_request", assignee=STAFF), []),
    ],
)
def test_filters(db: Database, filters: Filters, expected: list[str]) -> None:
    with db.session() as s:
        rows = service_on(TODAY).list_tickets(s, STAFF, filters)
    assert [r.number for r in rows] == expected


def test_rows_are_flagged_and_masked(db: Database) -> None:
    with db.session() as s:
        rows = {r.number: r for r in service_on(TODAY).list_tickets(s, STAFF, Filters(open_only=True))}
    assert rows["2024-000001"].overdue and not rows["2024-000001"].due_soon
    assert rows["2024-000002"].due_soon and not rows["2024-000002"].overdue
    assert not rows["2024-000003"].due_soon
    lines = "\n".join(render_row(r) for r in rows.values())
    assert "【已逾期】" in lines and "【即将到期】" in lines
    assert PHONE not in lines and RESIDENT_ID not in lines and "138****5678" in lines


def test_detail_masks_unless_revealed(db: Database) -> None:
    with db.session() as s:
        masked = "\n".join(render_detail(service_on(TODAY).detail(s, STAFF, "2024-000001")))
        revealed = "\n".join(render_detail(service_on(TODAY).detail(s, STAFF, "2024-000001", reveal=True)))
    assert RESIDENT_ID not in masked and PHONE not in masked
    assert RESIDENT_ID in revealed and PHONE in revealed and "本次查看已记录" in revealed
    assert "查看完整身份信息" in revealed  # the reveal is in the history it shows


def test_a_citizen_sees_only_their_chat(db: Database) -> None:
    service = service_on(TODAY)
    with db.session() as s:
        service.file_from_chat(s, channel="terminal", chat_id="local-1", form=form())
        assert [r.channel for r in service.tickets_of_chat(s, "local-1")] == ["terminal"]
        assert service.tickets_of_chat(s, "local-2") == []
