"""Migration 0002 and the ticket models agree; it downgrades and upgrades cleanly on both backends."""

from __future__ import annotations

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from bot.db import Database, alembic_config
from bot.models import Base

TICKET_TABLES = {
    "tickets", "request_details", "ticket_events", "ticket_pauses", "ticket_counters", "staff",
    "remedy_records", "calendar_days", "calendar_years",
}


def _table_of(diff: object) -> str | None:
    item = diff[0] if isinstance(diff, list) else diff
    for part in item[1:] if isinstance(item, tuple) else ():
        name = getattr(part, "name", None) if not isinstance(part, str) else part
        table = getattr(part, "table", None)
        if table is not None:
            return str(table.name)
        if name in TICKET_TABLES:
            return str(name)
    return None


def test_models_and_migrations_agree(db_url: str) -> None:
    db = Database(db_url)
    with db.engine.connect() as connection:
        diffs = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert [d for d in diffs if _table_of(d) in TICKET_TABLES] == []
    assert set(inspect(db.engine).get_table_names()) >= TICKET_TABLES
    db.dispose()


def test_downgrade_and_upgrade_again(db_url: str) -> None:
    db = Database(db_url)
    url = db.engine.url.render_as_string(hide_password=False)
    for target, present in (("0001", False), ("head", True)):
        with db.engine.begin() as connection:
            config = alembic_config(url)
            config.attributes["connection"] = connection
            (command.downgrade if target == "0001" else command.upgrade)(config, target)
        tables = set(inspect(db.engine).get_table_names())
        assert (tables >= TICKET_TABLES) is present
        assert not (TICKET_TABLES & tables) or present
    db.dispose()


def test_migration_0007_makes_supervisors_administrators(db_url: str) -> None:
    db = Database(db_url)
    url = db.engine.url.render_as_string(hide_password=False)
    with db.engine.begin() as connection:
        config = alembic_config(url)
        config.attributes["connection"] = connection
        command.downgrade(config, "0006")
        connection.execute(text("INSERT INTO staff (name, role, added_at) VALUES "
                                "('wang', 'supervisor', '2024-01-02 00:00:00'), ('li', 'staff', '2024-01-02 00:00:00')"))
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    with db.engine.connect() as connection:
        roles = {name: role for name, role in connection.execute(text("SELECT name, role FROM staff"))}
        events = [tuple(row) for row in connection.execute(text("SELECT actor, action FROM ticket_events"))]
    assert roles == {"wang": "admin", "li": "staff"}
    assert events == [("system", "staff_added")]
    with db.engine.begin() as connection, pytest.raises(IntegrityError):
        connection.execute(text("INSERT INTO staff (name, role, added_at) VALUES ('x', 'boss', '2024-01-02')"))
    db.dispose()
