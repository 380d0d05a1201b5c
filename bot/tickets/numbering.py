"""Ticket numbers ``YYYY-NNNNNN``: unique per year, safe when several workers file at once."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.tickets.models import TicketCounter


def format_number(year: int, seq: int) -> str:
    return f"{year}-{seq:06d}"


def allocate_number(session: Session, year: int) -> str:
    """Take the next number of ``year`` with one atomic upsert on the year's counter row.

    PostgreSQL: ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` locks the counter row until the
    transaction ends, so a second worker waits and then reads the incremented value.
    SQLite: the statement takes the database write lock (waiting up to busy_timeout); the driver
    begins the transaction at this first write, so no read lock has to be upgraded and no
    deadlock can occur; the lock is held until commit.
    """
    dialect = session.get_bind().dialect.name
    increment = {"last": TicketCounter.last + 1}
    statement: postgresql.Insert | sqlite.Insert
    if dialect == "postgresql":
        pg_insert = postgresql.insert(TicketCounter).values(year=year, last=1)
        statement = pg_insert.on_conflict_do_update(index_elements=[TicketCounter.year], set_=increment)
    elif dialect == "sqlite":
        lite_insert = sqlite.insert(TicketCounter).values(year=year, last=1)
        statement = lite_insert.on_conflict_do_update(index_elements=[TicketCounter.year], set_=increment)
    else:
        raise NotImplementedError(f"ticket numbering on {dialect}")
    return format_number(year, session.execute(statement.returning(TicketCounter.last)).scalar_one())
