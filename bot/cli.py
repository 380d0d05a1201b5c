"""The command line: `python -m bot [--db URL] COMMAND …`."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from bot import texts
from bot.app import App
from bot.errors import BotError, DatabaseUnavailable
from bot.settings import Settings, SettingsError, default_database_url

Handler = Callable[[App, argparse.Namespace], int]


def _configure_stdio() -> None:
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8", errors="replace")


def build_parser(channels: Callable[[Any], None] | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
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


def main(argv: Sequence[str] | None = None, channels: Callable[[Any], None] | None = None) -> int:
    """Run one command; `channels` adds the commands that start a channel (given by the launcher)."""
    _configure_stdio()
    parser = build_parser(channels)
    args = parser.parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 0
    try:
        settings = Settings.from_env(db=args.db)
    except SettingsError as exc:
        print(texts.BAD_SETTING.format(name=exc.name, value=exc.raw), file=sys.stderr)
        return 2
    try:
        app = App(settings)
    except DatabaseUnavailable as exc:
        print(texts.DB_UNAVAILABLE.format(where=exc.where), file=sys.stderr)
        return 2
    try:
        return handler(app, args)
    except DatabaseUnavailable as exc:
        print(texts.DB_UNAVAILABLE.format(where=exc.where), file=sys.stderr)
        return 2
    except BotError as exc:
        print(texts.GENERIC_ERROR.format(detail=exc), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away (… | head): stop quietly
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        return 0
    finally:
        app.close()
