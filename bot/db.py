"""Engine, sessions and schema migrations (Alembic, applied automatically on start)."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError, OperationalError, ProgrammingError
from sqlalchemy.orm import Session, sessionmaker

from bot.errors import DatabaseBusy, DatabaseUnavailable, SchemaMismatch
from bot.locks import hold, sqlite_transactions

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).with_name("migrations")
# How long a SQLite connection waits for another process's lock before giving up (seconds).
BUSY_TIMEOUT = 10.0
# SQLite's messages for a lock it could not get; PostgreSQL's SQLSTATEs for lock_not_available, deadlock.
_SQLITE_BUSY = ("database is locked", "database table is locked", "database is busy")
_POSTGRES_BUSY = ("55P03", "40P01")
_SQLITE_SCHEMA = ("no such table", "no such column", "has no column named")
_POSTGRES_SCHEMA = ("42P01", "42703")  # undefined table, undefined column


class _NoResultRows(logging.Filter):
    """Drop SQLAlchemy's DEBUG records: they print result rows, with identity numbers and phones."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.INFO


logging.getLogger("sqlalchemy.engine.Engine").addFilter(_NoResultRows())


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT * 1000)}")
    cursor.close()


def unavailable(engine: Engine, exc: DatabaseError) -> DatabaseUnavailable:
    """The error to report for a database error: busy when another process holds the lock; the schema
    when a table or column this program uses is missing; else the database cannot be reached."""
    where = engine.url.render_as_string(hide_password=True)
    orig = exc.orig
    if getattr(orig, "sqlstate", None) in _POSTGRES_BUSY or any(m in str(orig).lower() for m in _SQLITE_BUSY):
        return DatabaseBusy(where)
    if getattr(orig, "sqlstate", None) in _POSTGRES_SCHEMA or any(m in str(orig).lower() for m in _SQLITE_SCHEMA):
        return SchemaMismatch(where)
    return DatabaseUnavailable(where)


def make_engine(url: str) -> Engine:
    # hide_parameters: SQL logging and error messages must never carry identity numbers or phones.
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            try:
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:  # a file where a folder should be, no permission …
                raise DatabaseUnavailable(parsed.render_as_string(hide_password=True)) from exc
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT}, hide_parameters=True)
        event.listen(engine, "connect", _sqlite_pragmas)
        sqlite_transactions(engine)  # BEGIN IMMEDIATE, WAL (bot/locks.py)
        return engine
    # A row or table another process holds is waited for BUSY_TIMEOUT at most, as on SQLite; then the work
    # fails as "busy" (55P03) instead of hanging a command or a worker for ever.
    return create_engine(url, pool_pre_ping=True, hide_parameters=True,
                         connect_args={"options": f"-c lock_timeout={int(BUSY_TIMEOUT * 1000)}"})


def alembic_config(url: str):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


_REVISION = re.compile(r"^(down_revision|revision)\s*=\s*['\"]?([\w]+|None)['\"]?", re.M)


def head_revision() -> str:
    """The newest migration, read from the files (without importing Alembic, which is slow to load)."""
    revisions, parents = set(), set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        found = dict((k, v) for k, v in _REVISION.findall(path.read_text(encoding="utf-8")))
        revisions.add(found.get("revision", ""))
        parents.add(found.get("down_revision", ""))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else ""


def _current_revision(engine: Engine) -> str:
    try:
        with engine.connect() as conn:
            return str(conn.execute(text("SELECT version_num FROM alembic_version")).scalar() or "")
    except OperationalError as exc:
        if "no such table" in str(exc) or "does not exist" in str(exc):
            return ""
        raise unavailable(engine, exc) from exc
    except ProgrammingError:  # PostgreSQL: relation "alembic_version" does not exist
        return ""
    except DatabaseError as exc:  # SQLite: "file is not a database"
        raise unavailable(engine, exc) from exc


def _revision(connection: Connection) -> str:
    from alembic.migration import MigrationContext

    return str(MigrationContext.configure(connection).get_current_revision() or "")


def migrate(engine: Engine) -> None:
    """Bring the database to the latest migration."""
    head = head_revision()
    if head and _current_revision(engine) == head:
        return
    from alembic import command
    from alembic.util import CommandError

    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    try:
        with engine.begin() as connection:
            # Several processes starting at once on a fresh database: one migrates, the others wait
            # for it and then find the schema current.
            hold(connection, "migrate")
            if head and _revision(connection) == head:
                return
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, "head")
    except OperationalError as exc:
        raise unavailable(engine, exc) from exc
    except CommandError as exc:  # a revision this program does not know: the database is newer
        where = engine.url.render_as_string(hide_password=True)
        raise SchemaMismatch(where, _current_revision(engine)) from exc


_ACTIVE: ContextVar[tuple[Database, Session] | None] = ContextVar("active_session", default=None)


class Database:
    """The engine and a session factory; the caller owns each transaction."""

    def __init__(self, url: str, *, auto_migrate: bool = True) -> None:
        self.engine = make_engine(url)
        if auto_migrate:
            migrate(self.engine)
        self._factory = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on an error."""
        try:
            with self._factory() as session, session.begin():
                token = _ACTIVE.set((self, session))
                try:
                    yield session
                finally:
                    _ACTIVE.reset(token)
        except OperationalError as exc:
            raise unavailable(self.engine, exc) from exc
        except ProgrammingError as exc:  # PostgreSQL: a table or column missing is a "programming" error
            if getattr(exc.orig, "sqlstate", None) in _POSTGRES_SCHEMA:
                raise SchemaMismatch(self.engine.url.render_as_string(hide_password=True)) from exc
            raise

    @contextmanager
    def joined(self) -> Iterator[Session]:
        """The transaction this thread already has open on this database, else a new one: reads made
        on behalf of a transaction (the knowledge index's freshness check during a question) join it
        instead of waiting for it on SQLite or costing a commit of their own."""
        active = _ACTIVE.get()
        if active is not None and active[0] is self:
            yield active[1]
            return
        with self.session() as session:
            yield session

    def on_flush(self, listener: Callable[[Session], None]) -> None:
        """Call ``listener(session)`` before every flush of this database's sessions (before the new
        rows are written: the CLI stamps its events with the login name this way)."""
        event.listen(self._factory, "before_flush", lambda session, _context, _instances: listener(session))

    def listen(self, name: str, listener: Callable[..., None]) -> None:
        """A session event (``after_flush``, ``before_commit`` …) on every session of this database: the
        outbox writes the message of a ticket event in the event's own transaction this way."""
        event.listen(self._factory, name, listener)

    def dispose(self) -> None:
        self.engine.dispose()
