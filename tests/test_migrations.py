"""Alembic: a fresh database reaches the latest migration, and the migrations match the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from bot.db import Database, alembic_config
from bot.models import Base


def test_migrations_create_every_table_and_match_the_models(db_url: str) -> None:
    db = Database(db_url)
    try:
        with db.engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"render_as_batch": True})
            head = ScriptDirectory.from_config(alembic_config(db_url)).get_current_head()
            assert ctx.get_current_revision() == head
            assert compare_metadata(ctx, Base.metadata) == []
        assert set(Base.metadata.tables) <= set(inspect(db.engine).get_table_names())
    finally:
        db.dispose()


def test_migrating_twice_changes_nothing(db_url: str) -> None:
    Database(db_url).dispose()
    db = Database(db_url)  # the second start finds the schema current
    db.dispose()


def test_the_fast_head_check_agrees_with_alembic() -> None:
    from bot.db import head_revision

    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head_revision() == head
