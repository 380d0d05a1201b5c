"""Transactions and locks shared by several processes on one database.

SQLite: every transaction begins with ``BEGIN IMMEDIATE`` (it holds the write lock from its first
statement, so a savepoint is always inside it and a read never turns into a failed upgrade), in WAL
mode, with a busy timeout. PostgreSQL: work that must not run twice at once (migrations, the first load
of the bundled knowledge) takes a transaction-scoped advisory lock.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, event, text
from sqlalchemy.orm import Session

# One number per kind of work; PostgreSQL's advisory locks are keyed by a bigint.
LOCKS = {"migrate": 0x6F6B_0001, "knowledge": 0x6F6B_0002}
LONG_WAIT = 300  # seconds a process waits for another's migrations or first load of the knowledge


def sqlite_transactions(engine: Engine) -> None:
    """Real transactions on SQLite: pysqlite's own BEGIN comes only before the first write, so a
    SAVEPOINT before it started (and its RELEASE committed) a transaction of its own."""

    def connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        if engine.url.database not in (None, "", ":memory:"):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")  # readers never wait for the writer
            # In WAL mode a commit survives the process being killed without an fsync of its own; only a
            # power cut may lose the last commits (the database stays consistent).
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

    def begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    event.listen(engine, "connect", connect)
    event.listen(engine, "begin", begin)


def hold(bind: Connection | Session, name: str) -> None:
    """Wait for the lock ``name`` until the end of the current transaction.

    PostgreSQL: ``pg_advisory_xact_lock``. SQLite: the transaction already holds the database's write
    lock (``BEGIN IMMEDIATE``), which is the same guarantee.
    """
    dialect = bind.get_bind().dialect.name if isinstance(bind, Session) else bind.dialect.name
    if dialect == "postgresql":
        # Another process's migrations or first load may take longer than the usual lock wait.
        bind.execute(text(f"SET LOCAL lock_timeout = '{LONG_WAIT}s'"))
        bind.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCKS[name]})
