"""The terminal chat: each input line is one message to the dialogue core; a pipe can drive it."""

from __future__ import annotations

import getpass
from typing import TextIO

from bot import texts
from bot.app import App
from bot.dialogue.engine import Engine
from bot.dialogue.messages import Button, Incoming, Reply
from bot.tickets.codes import Role
from bot.tickets.staff import has_role

CHANNEL = "terminal"


def default_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in some containers
        return "user"


def format_reply(reply: Reply) -> str:
    """A reply as the terminal shows it: the text, then its buttons as numbered choices."""
    lines = [reply.text]
    lines.extend(texts.TERMINAL_CHOICE.format(n=i, label=b.label) for i, b in enumerate(reply.buttons, 1))
    lines.extend(texts.TERMINAL_DOCUMENT.format(name=d.name) for d in reply.documents)
    return "\n".join(lines)


class TerminalChat:
    """One user at the terminal; remembers the buttons of the last reply that had any."""

    def __init__(self, engine: Engine, user: str, out: TextIO, *, staff: bool = True) -> None:
        self.engine, self.user, self.out, self.staff = engine, user, out, staff
        self.choices: tuple[Button, ...] = ()
        self.shown: list[str] = []  # every reply as shown, for transcripts

    def show(self, replies: list[Reply]) -> None:
        for reply in replies:
            self.shown.append(format_reply(reply))
            self.out.write(self.shown[-1] + "\n\n")
            if reply.buttons:
                self.choices = reply.buttons
        self.out.flush()

    def deliver(self) -> None:
        """Messages for this user from the outbox (receipts, staff replies, notices)."""
        for item in self.engine.pending(CHANNEL, self.user):
            self.show([item.reply])
            self.engine.delivered(item.id)

    def send(self, line: str) -> None:
        text = line.strip()
        if text.isdigit() and 1 <= int(text) <= len(self.choices):
            incoming = Incoming(CHANNEL, self.user, self.user, button=self.choices[int(text) - 1].id,
                                staff_allowed=self.staff)
        else:
            incoming = Incoming(CHANNEL, self.user, self.user, text=text, staff_allowed=self.staff)
        self.show(self.engine.handle(incoming))
        self.deliver()


def run_terminal_chat(app: App, stdin: TextIO, stdout: TextIO, *, user: str | None = None,
                      staff: str | None = None) -> int:
    name = staff or user or default_user()
    if staff is not None:
        with app.db.session() as session:
            if not has_role(session, staff, Role.STAFF):
                stdout.write(texts.TERMINAL_NOT_STAFF.format(name=staff) + "\n")
                return 2
    interactive = stdin.isatty()
    chat = TerminalChat(app.engine, name, stdout, staff=staff is not None)  # staff commands only with --staff
    stdout.write(texts.TERMINAL_WELCOME.format(user=name) + "\n")
    if staff is not None:
        stdout.write(texts.TERMINAL_STAFF.format(name=staff) + "\n")
    stdout.write("\n")
    app.matcher.knowledge.index()  # load before the first question
    pending = app.engine.pending(CHANNEL, name)
    if pending:
        stdout.write(texts.AWAY_MESSAGES + "\n")
        chat.deliver()
    chat.show(app.engine.resume(CHANNEL, name))
    while True:
        if interactive:
            stdout.write(texts.CHAT_PROMPT)
            stdout.flush()
        line = stdin.readline()
        if not line or (interactive and not line.strip()):
            return 0
        if line.strip():
            chat.send(line)
