"""The terminal chat: each input line is one message to the dialogue core; a pipe can drive it."""

from __future__ import annotations

import getpass
import hashlib
from pathlib import Path
from typing import TextIO, cast

from bot import texts
from bot.app import App
from bot.dialogue.engine import Engine
from bot.dialogue.messages import Button, Document, Incoming, Reply
from bot.settings import default_data_dir
from bot.terminal_safe import TerminalSafe, strip_controls
from bot.tickets.codes import Role
from bot.tickets.staff import has_role

CHANNEL = "terminal"


def default_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in some containers
        return "user"


def format_reply(reply: Reply, saved: dict[str, str] | None = None) -> str:
    """A reply as the terminal shows it: the text, its buttons as numbered choices, its documents
    (with where each was saved, when ``saved`` maps a document's name to that line)."""
    lines = [reply.text]
    lines.extend(texts.TERMINAL_CHOICE.format(n=i, label=b.label) for i, b in enumerate(reply.buttons, 1))
    lines.extend((saved or {}).get(d.name) or texts.TERMINAL_DOCUMENT.format(name=d.name) for d in reply.documents)
    return "\n".join(lines)


def save_documents(reply: Reply, folder: Path) -> dict[str, str]:
    """Write each document of ``reply`` into ``folder`` (a file of the same name is replaced)."""
    shown: dict[str, str] = {}
    for document in reply.documents:
        if not document.content:  # a reference (a stored path, a channel's file id): shown, not written
            continue
        name = Path(document.name).name or "attachment"  # never a path from the message
        path = folder / name
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path.write_bytes(document.content)
        except OSError as exc:
            shown[document.name] = texts.TERMINAL_DOCUMENT_NOT_SAVED.format(name=name, reason=exc.strerror or exc)
            continue
        shown[document.name] = texts.TERMINAL_DOCUMENT_SAVED.format(name=name, path=path)
    return shown


def store_file(path: Path) -> Path:
    """A copy of a file attached to a staff reply, under the data directory, named by its content."""
    content = path.read_bytes()
    stored = default_data_dir() / "attachments" / hashlib.sha256(content).hexdigest()[:16] / path.name
    stored.parent.mkdir(parents=True, exist_ok=True)
    stored.write_bytes(content)
    return stored


def _read_files(reply: Reply) -> Reply:
    """An outbox message's files stored on this machine, read so they can be saved like any document."""
    if not any(d.path for d in reply.documents):
        return reply
    documents = []
    for document in reply.documents:
        try:
            content = Path(document.path).read_bytes() if document.path else document.content
        except OSError:
            content = document.content
        documents.append(Document(document.name, content, document.path, document.file_id, document.channel))
    return Reply(reply.text, reply.buttons, tuple(documents))


class TerminalChat:
    """One user at the terminal; remembers the buttons of the last reply that had any."""

    def __init__(self, engine: Engine, user: str, out: TextIO, *, staff: bool = True,
                 files: Path | None = None) -> None:
        # Citizens' names and messages reach a staff member's terminal: never as control sequences.
        self.engine, self.user, self.out, self.staff = engine, user, _safe(out), staff
        self.files = files or Path.cwd()  # where documents (/report files …) are saved
        self.choices: tuple[Button, ...] = ()
        self.shown: list[str] = []  # every reply as shown, for transcripts

    def show(self, replies: list[Reply]) -> None:
        for reply in replies:
            shown = format_reply(reply, save_documents(reply, self.files) if reply.documents else None)
            self.shown.append(strip_controls(shown))
            self.out.write(self.shown[-1] + "\n\n")
            if reply.buttons:
                self.choices = reply.buttons
        self.out.flush()

    def deliver(self) -> None:
        """Messages for this user from the outbox (receipts, staff replies, notices)."""
        for item in self.engine.pending(CHANNEL, self.user):
            self.show([_read_files(item.reply)])
            self.engine.delivered(item.id)

    def _attach(self, paths: list[str]) -> tuple[Document, ...] | None:
        """`/reply N text --file PATH`: each file is copied into the data directory (the outbox keeps
        its path until delivery); None, after saying why, when one cannot be read."""
        documents = []
        for raw in paths:
            path = Path(raw.strip()).expanduser()
            try:
                documents.append(Document(path.name, path=str(store_file(path))))
            except OSError as exc:
                self.out.write(texts.TERMINAL_FILE_MISSING.format(path=raw.strip(), reason=exc.strerror or exc) + "\n\n")
                return None
        return tuple(documents)

    def send(self, line: str) -> None:
        text = line.strip()
        if text.isdigit() and 1 <= int(text) <= len(self.choices):
            incoming = Incoming(CHANNEL, self.user, self.user, button=self.choices[int(text) - 1].id,
                                staff_allowed=self.staff)
        else:
            text, *paths = text.split(" --file ") if self.staff and text.startswith("/reply") else [text]
            documents = self._attach(paths)
            if documents is None:
                return
            incoming = Incoming(CHANNEL, self.user, self.user, text=text, staff_allowed=self.staff,
                                documents=documents)
        self.show(self.engine.handle(incoming))
        self.deliver()


def _safe(stream: TextIO) -> TextIO:
    return stream if isinstance(stream, TerminalSafe) else cast(TextIO, TerminalSafe(stream))


def run_terminal_chat(app: App, stdin: TextIO, stdout: TextIO, *, user: str | None = None,
                      staff: str | None = None, files: Path | None = None) -> int:
    stdout = _safe(stdout)
    name = staff or user or default_user()
    if staff is not None:
        with app.db.session() as session:
            if not has_role(session, staff, Role.STAFF):
                stdout.write(texts.TERMINAL_NOT_STAFF.format(name=staff) + "\n")
                return 2
    interactive = stdin.isatty()
    chat = TerminalChat(app.engine, name, stdout, staff=staff is not None,  # staff commands only with --staff
                        files=files)
    stdout.write(texts.TERMINAL_WELCOME.format(user=name) + "\n")
    if staff is not None:
        stdout.write(texts.TERMINAL_STAFF.format(name=staff) + "\n")
    stdout.write("\n")
    app.matcher.knowledge.index()  # load before the first question
    pending = app.engine.pending(CHANNEL, name)
    if pending:
        stdout.write(texts.AWAY_MESSAGES + "\n")
        chat.deliver()
    resumed = app.engine.resume(CHANNEL, name)
    if not (resumed and chat.choices and resumed[-1].buttons == chat.choices):  # not again if just delivered
        chat.show(resumed)
    while True:
        if interactive:
            stdout.write(texts.CHAT_PROMPT)
            stdout.flush()
        line = stdin.readline()
        if not line or (interactive and not line.strip()):
            return 0
        if line.strip():
            chat.send(line)
