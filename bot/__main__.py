"""`python -m bot`: the launcher, the one module of bot/ that imports the channel adapters."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from bot import texts
from bot.app import App
from bot.cli import main


def _chat(app: App, _args: argparse.Namespace) -> int:
    from handlers.terminal import run_terminal_chat

    return run_terminal_chat(app, sys.stdin, sys.stdout)


def register_channels(sub: Any) -> None:
    p = sub.add_parser("chat", help=texts.CLI_CHAT_HELP)
    p.set_defaults(handler=_chat)


def launch() -> int:
    return main(channels=register_channels)


if __name__ == "__main__":
    raise SystemExit(launch())
