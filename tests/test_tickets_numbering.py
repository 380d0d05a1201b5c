"""Ticket numbers: YYYY-NNNNNN, unique per year, safe when several workers file at the same moment."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

from ticket_helpers import STAFF, form, open_db, service_on

from bot.tickets.base import normalize_number
from bot.tickets.numbering import format_number

WORKERS, EACH = 8, 6


def test_format_and_short_form() -> None:
    assert format_number(2026, 123) == "2026-000123"
    assert normalize_number("2026-123") == normalize_number(" 2026-000123 ") == "2026-000123"


def test_numbers_restart_each_year(db_url: str) -> None:
    db = open_db(db_url)
    service = service_on(date(2025, 1, 3))
    with db.session() as session:
        numbers = [
            service.register_request(session, STAFF, channel="post", form=form(), received_on=day).number
            for day in (date(2024, 12, 30), date(2024, 12, 31), date(2025, 1, 2))
        ]
    assert numbers == ["2024-000001", "2024-000002", "2025-000001"]
    db.dispose()


def test_concurrent_filing_never_repeats_or_skips_a_number(db_url: str) -> None:
    db = open_db(db_url)
    service = service_on(date(2026, 3, 2))
    start = threading.Barrier(WORKERS)

    def worker(_: int) -> list[str]:
        start.wait()  # everyone files at the same moment
        numbers = []
        for _ in range(EACH):
            with db.session() as session:
                numbers.append(service.register_request(session, STAFF, channel="counter", form=form()).number)
        return numbers

    with ThreadPoolExecutor(WORKERS) as pool:
        results = [n for batch in pool.map(worker, range(WORKERS)) for n in batch]
    assert sorted(results) == [format_number(2026, i) for i in range(1, WORKERS * EACH + 1)]
    db.dispose()
