"""The command line: `python -m bot [--db URL] COMMAND …`."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, TextIO, cast

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from bot import texts
from bot.app import App
from bot.cli_args import ACTOR_MAX, ChineseArgumentParser
from bot.errors import BotError, DatabaseBusy, DatabaseUnavailable, PermissionDenied, SchemaMismatch
from bot.settings import Settings, SettingsError, default_database_url, os_login
from bot.terminal_safe import TerminalSafe

Handler = Callable[[App, argparse.Namespace], int]
log = logging.getLogger(__name__)
# Long-running channels whose users are identified by the channel (a Telegram user id, a console login):
# the login of the process that serves them says nothing about who acted, so it is not stamped there.
CHANNEL_SERVERS = frozenset({"run", "web", "worker"})


def _configure_stdio() -> None:
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8", errors="replace")


def build_parser(channels: Callable[[Any], None] | None = None) -> argparse.ArgumentParser:
    parser = ChineseArgumentParser(
        prog="python -m bot",
        description=texts.CLI_DESCRIPTION,
        epilog=texts.CLI_EPILOG.format(db=default_database_url()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--db", metavar="URL", help=texts.CLI_DB_HELP)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    from bot import cli_admin, cli_knowledge, cli_report, cli_tickets

    for module in (cli_knowledge, cli_tickets, cli_report, cli_admin):
        module.register(sub)
    if channels is not None:
        channels(sub)
    return parser


def stamp_login(app: App, login: str) -> None:
    """Record the operating-system login beside the staff name on every event this run writes:
    ``--as`` lets whoever runs the CLI act as any staff member, so the login is what says who did."""
    from bot.tickets.models import TicketEvent

    def stamp(session: Session) -> None:
        for row in session.new:
            if isinstance(row, TicketEvent) and "os_user" not in (row.data or {}):
                row.data = {**(row.data or {}), "os_user": login}

    app.db.on_flush(stamp)


def main(argv: Sequence[str] | None = None, channels: Callable[[Any], None] | None = None) -> int:
    """Run one command; `channels` adds the commands that start a channel (given by the launcher).

    Everything printed goes through ``strip_controls``: names and texts from citizens and files never
    reach the terminal as control sequences."""
    _configure_stdio()
    stdout, stderr = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = cast(TextIO, TerminalSafe(stdout)), cast(TextIO, TerminalSafe(stderr))
    try:
        return _main(argv, channels)
    except BrokenPipeError:  # the reader went away (… | head): stop quietly
        stdout = open(os.devnull, "w")  # noqa: SIM115
        return 0
    finally:
        sys.stdout, sys.stderr = stdout, stderr


def _main(argv: Sequence[str] | None, channels: Callable[[Any], None] | None) -> int:
    parser = build_parser(channels)
    args = parser.parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 0
    try:
        settings = Settings.from_env(db=args.db)
    except SettingsError as exc:
        print(texts.BAD_SETTINGS[exc.expected].format(name=exc.name, value=exc.raw), file=sys.stderr)
        return 2
    source = ""
    if hasattr(args, "actor"):
        from bot.cli_tickets import resolve_actor

        args.actor, source = resolve_actor(args.actor, settings)
        if not args.actor.strip() or len(args.actor) > ACTOR_MAX or not args.actor.isprintable():
            print(texts.ACTOR_INVALID.format(name=args.actor[:ACTOR_MAX]), file=sys.stderr)
            return 2
    try:
        app = App(settings)
    except DatabaseUnavailable as exc:
        return _failed(exc, source)
    if args.command not in CHANNEL_SERVERS:
        stamp_login(app, os_login())
    try:
        return handler(app, args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        raise
    except Exception as exc:  # a CLI command never shows its user a traceback
        return _failed(exc, source)
    finally:
        app.close()


def _failed(exc: Exception, actor_source: str) -> int:
    """Say in one line what went wrong; the exit status."""
    status = 1
    if isinstance(exc, DatabaseBusy):
        message, status = texts.DB_BUSY.format(where=exc.where), 2
    elif isinstance(exc, SchemaMismatch):
        message = (texts.DB_NEWER.format(where=exc.where, revision=exc.revision) if exc.revision
                   else texts.DB_SCHEMA.format(where=exc.where))
        status = 2
    elif isinstance(exc, DatabaseUnavailable):
        message, status = texts.DB_UNAVAILABLE.format(where=exc.where), 2
    elif isinstance(exc, PermissionDenied):  # say how to act as someone else
        source = texts.ACTOR_SOURCES.get(actor_source, actor_source)
        message = texts.GENERIC_ERROR.format(detail=exc) + texts.PERMISSION_HINT.format(actor=exc.actor, source=source)
    elif isinstance(exc, BotError):
        message = texts.GENERIC_ERROR.format(detail=exc)
    elif isinstance(exc, DBAPIError):  # a value the database refuses (too long for its column …)
        log.debug("database refused the operation", exc_info=exc)
        message = texts.DB_REFUSED
    else:  # the last resort; the traceback is logged for LOG_LEVEL=DEBUG
        log.debug("unexpected error", exc_info=exc)
        message, status = texts.UNEXPECTED_ERROR.format(kind=type(exc).__name__), 70
    print(message, file=sys.stderr)
    return status
