"""The event log is append-only: the ORM refuses, and so does the database (triggers from migration 0002)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError
from ticket_helpers import STAFF, form, open_db, service_on

from bot.db import Database
from bot.errors import AppendOnlyViolation
from bot.tickets.models import TicketEvent


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = open_db(db_url)
    with database.session() as session:
        service_on(date(2024, 10, 8)).register_request(session, STAFF, channel="post", form=form())
    yield database
    database.dispose()


def _count(db: Database) -> int:
    with db.session() as session:
        return len(session.scalars(select(TicketEvent)).all())


def test_the_orm_refuses_to_change_an_event(db: Database) -> None:
    before = _count(db)
    with pytest.raises(AppendOnlyViolation), db.session() as session:
        event = session.scalars(select(TicketEvent)).first()
        assert event is not None
        event.action = "closed"
    with pytest.raises(AppendOnlyViolation), db.session() as session:
        session.delete(session.scalars(select(TicketEvent)).first())
    assert _count(db) == before


@pytest.mark.parametrize(
    "statement",
    [
        update(TicketEvent).values(action="closed"),
        delete(TicketEvent),
        text("UPDATE ticket_events SET actor = 'someone else'"),
        text("DELETE FROM ticket_events"),
    ],
    ids=["orm-update", "orm-delete", "sql-update", "sql-delete"],
)
def test_the_database_refuses_bulk_and_raw_changes(db: Database, statement: object) -> None:
    before = _count(db)
    with pytest.raises(DBAPIError, match="append-only"), db.session() as session:
        session.execute(statement)  # type: ignore[call-overload]
    assert _count(db) == before


def test_truncate_is_refused_on_postgresql(db: Database) -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no TRUNCATE")
    with pytest.raises(DBAPIError, match="append-only"), db.session() as session:
        session.execute(text("TRUNCATE ticket_events CASCADE"))


def test_appending_still_works(db: Database) -> None:
    before = _count(db)
    with db.session() as session:
        service_on(date(2024, 10, 9)).note(session, STAFF, "2024-000001", text="已电话联系申请人")
    assert _count(db) == before + 1
