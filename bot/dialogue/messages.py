"""What a channel hands the core and what the core hands back: frozen, channel-neutral values."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

MAX_BUTTON_ID = 60  # Telegram's callback data is at most 64 bytes; ids stay below


@dataclass(frozen=True)
class Incoming:
    """One message or button press from a user in a chat."""

    channel: str  # "terminal", "telegram"
    user_id: str
    chat_id: str
    text: str = ""
    button: str | None = None  # the id of a pressed button, instead of text
    update_id: int | None = None  # the same update delivered twice has one effect
    # False where the channel knows the user acts as a citizen (the terminal without --staff).
    staff_allowed: bool = True
    documents: tuple[Document, ...] = ()  # files attached to the message (a staff reply carries them on)
    # The ticket number named in the bot's message the citizen quote-replied to (Telegram reply_to_message
    # in a private chat): the text is their message about that ticket, a 补正 if one is awaited.
    quoted_ticket: str | None = None


@dataclass(frozen=True)
class Button:
    id: str  # short, ASCII: what comes back in Incoming.button
    label: str

    def __post_init__(self) -> None:
        if len(self.id.encode()) > MAX_BUTTON_ID:
            raise ValueError(f"button id too long: {self.id!r}")


@dataclass(frozen=True)
class Document:
    """A file: its bytes, or a reference the channels resolve, so the outbox keeps no bytes.

    ``file_id`` is the id the channel ``channel`` knows the file by (Telegram's file_id: sent again
    without downloading it); ``path`` is a file on this machine (the terminal chat stores attachments).
    """

    name: str
    content: bytes = b""
    path: str | None = None
    file_id: str | None = None
    channel: str | None = None

    def reaches(self, channel: str) -> bool:
        """Whether the outbox can deliver it there: a local file anywhere, a file id on its own channel."""
        return self.path is not None or (self.file_id is not None and self.channel == channel)

    def reference(self) -> dict[str, str]:
        """What the outbox stores (never the bytes)."""
        fields = {"name": self.name, "path": self.path, "file_id": self.file_id, "channel": self.channel}
        return {k: v for k, v in fields.items() if v is not None}


@dataclass(frozen=True)
class Reply:
    """One message to show: plain text (adapters escape it), buttons, documents."""

    text: str
    buttons: tuple[Button, ...] = ()
    documents: tuple[Document, ...] = field(default=())


_REFUSED = re.compile("[\x00\ud800-\udfff]")  # NUL (PostgreSQL refuses it), unpaired surrogates (not UTF-8)


def clean(value: Any) -> Any:
    """``value`` (text, or JSON of lists and dicts) without the characters a database or Telegram refuses:
    NUL and unpaired surrogates (a valid pair is one character in Python, so any left is unpaired).
    Channels clean what they receive at their boundary."""
    if isinstance(value, str):
        return _REFUSED.sub("", value)
    if isinstance(value, list):
        return [clean(v) for v in value]
    if isinstance(value, dict):
        return {clean(k): clean(v) for k, v in value.items()}
    return value
