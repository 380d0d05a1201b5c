"""`python -m bot`: the launcher, the one module of bot/ that imports the channel adapters."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from bot import cli_run, cli_web, texts
from bot.app import App
from bot.cli import main


def _chat(app: App, args: argparse.Namespace) -> int:
    from handlers.terminal import run_terminal_chat

    return run_terminal_chat(app, sys.stdin, sys.stdout, user=args.user, staff=args.staff, files=args.files)


def _run(app: App, _args: argparse.Namespace) -> int:
    from handlers.telegram.app import run_telegram

    return run_telegram(app)


def _web(app: App) -> Any:
    from handlers.telegram.app import background_work
    from handlers.web.server import running
    from handlers.web.staff.site import create_site

    # The outbox's senders (Telegram's with a token, e-mail with SMTP_URL) and the daily jobs run beside the
    # site for as long as it serves.
    return create_site(app, lifespans=[running(background_work(app))])


def _senders(app: App) -> Any:
    from handlers.telegram.app import outbox_senders

    return lambda: outbox_senders(app)


def register_channels(sub: Any) -> None:
    p = sub.add_parser("chat", help=texts.CLI_CHAT_HELP)
    p.add_argument("--user", metavar="NAME", help=texts.CLI_CHAT_USER_HELP)
    p.add_argument("--staff", metavar="NAME", help=texts.CLI_CHAT_STAFF_HELP)
    p.add_argument("--files", metavar="DIR", type=Path, default=None, help=texts.CLI_CHAT_FILES_HELP)
    p.set_defaults(handler=_chat)
    p = sub.add_parser("run", help=texts.CLI_RUN_HELP)
    p.set_defaults(handler=_run)
    cli_web.register(sub, _web)  # `web` (the staff console) and `staff passwd`
    cli_run.register(sub, _senders)  # `worker`: the outbox and the daily jobs, without a chat channel


def launch() -> int:
    return main(channels=register_channels)


if __name__ == "__main__":
    raise SystemExit(launch())
