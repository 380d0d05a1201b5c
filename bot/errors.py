"""The exception tree; adapters turn these into plain Chinese for the user."""

from __future__ import annotations

from types import ModuleType


class BotError(Exception):
    """Base of every error the bot expects and explains to the user."""


class DatabaseUnavailable(BotError):
    """Raised when the database cannot be reached or opened."""

    def __init__(self, where: str) -> None:
        super().__init__(where)
        self.where = where


class DatabaseBusy(DatabaseUnavailable):
    """Raised when the database is there but locked by another process (SQLite's "database is locked",
    PostgreSQL's lock timeout or deadlock) for longer than the wait allows."""


class SchemaMismatch(DatabaseUnavailable):
    """Raised when the database is reachable but its tables are not the ones this program expects: made
    by a newer version (a migration this one does not know), or missing a table or column."""

    def __init__(self, where: str, revision: str = "") -> None:
        super().__init__(where)
        self.revision = revision


def _texts() -> ModuleType:
    # Imported when an error is built, so importing this module never pulls in every text module.
    from bot import texts

    return texts


class TicketError(BotError):
    """Base of the errors a ticket operation raises when a rule forbids it; the message says which."""


class TicketNotFound(TicketError):
    """Raised when no ticket has the number asked for."""

    def __init__(self, number: str) -> None:
        super().__init__(_texts().TICKET_NOT_FOUND.format(number=number))
        self.number = number


class InvalidInput(TicketError):
    """Raised when a value (identity number, phone, e-mail, date, code) fails its check."""


class RuleViolation(TicketError):
    """Raised when the regulation's procedure forbids an operation (a late 补正, a second extension …)."""


class IllegalTransition(TicketError):
    """Raised when the transition table does not allow moving a ticket from one status to another."""

    def __init__(self, src: str, dst: str) -> None:
        texts = _texts()
        labels = texts.STATUS_LABELS
        super().__init__(
            texts.ILLEGAL_TRANSITION.format(src=labels.get(src, src), dst=labels.get(dst, dst), src_code=src, dst_code=dst)
        )
        self.src = src
        self.dst = dst


class PermissionDenied(TicketError):
    """Raised when an actor lacks the role an operation needs.

    The refusal event has already been added to the session: the caller commits it (see
    ``bot.cli_tickets.run``) and then reports the error.
    """

    def __init__(self, actor: str, action: str, role: str) -> None:
        super().__init__(_texts().PERMISSION_DENIED.format(actor=actor, role=_texts().ROLE_LABELS.get(role, role)))
        self.actor = actor
        self.action = action
        self.role = role


class AppendOnlyViolation(BotError):
    """Raised when code tries to change or delete a ticket event (the history is append-only)."""


class HolidayFileError(BotError):
    """Raised when a holiday schedule file does not follow the documented format (the message names the line)."""

    def __init__(self, line: int, reason: str, detail: str, *, other: int | None = None,
                 weekday: int | None = None) -> None:
        texts = _texts()
        weekday_label = texts.WEEKDAY_LABELS[weekday] if weekday is not None else ""
        super().__init__(texts.HOLIDAY_FILE_ERRORS[reason].format(line=line, detail=detail, other=other,
                                                                  weekday=weekday_label))
        self.line = line
        self.reason = reason
