"""The terminal chat: one line in, the bot's answer out; a pipe can drive it."""

from __future__ import annotations

from typing import TextIO

from bot import texts
from bot.app import App
from bot.cli_knowledge import answer_line


def run_terminal_chat(app: App, stdin: TextIO, stdout: TextIO) -> int:
    interactive = stdin.isatty()
    stdout.write(texts.CHAT_WELCOME + "\n")
    app.matcher.knowledge.index()  # load before the first question
    while True:
        if interactive:
            stdout.write(texts.CHAT_PROMPT)
            stdout.flush()
        line = stdin.readline()
        if not line or (interactive and not line.strip()):
            return 0
        if not line.strip():
            continue
        stdout.write(answer_line(app, line.rstrip("\n"), False) + "\n\n")
        stdout.flush()
