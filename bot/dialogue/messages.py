"""What a channel hands the core and what the core hands back: frozen, channel-neutral values."""

from __future__ import annotations

from dataclasses import dataclass, field

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


@dataclass(frozen=True)
class Button:
    id: str  # short, ASCII: what comes back in Incoming.button
    label: str

    def __post_init__(self) -> None:
        if len(self.id.encode()) > MAX_BUTTON_ID:
            raise ValueError(f"button id too long: {self.id!r}")


@dataclass(frozen=True)
class Document:
    name: str
    content: bytes


@dataclass(frozen=True)
class Reply:
    """One message to show: plain text (adapters escape it), buttons, documents."""

    text: str
    buttons: tuple[Button, ...] = ()
    documents: tuple[Document, ...] = field(default=())
