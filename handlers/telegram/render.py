"""Replies as Telegram shows them: HTML-escaped text in pieces of at most 4096 characters, inline buttons."""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.dialogue.messages import Button

LIMIT = 4096  # Telegram's limit on a message's text, counted after entity parsing; we count the markup too


def escape(text: str) -> str:
    """Every piece of user or document text is escaped: the bot sends no markup of its own."""
    return html.escape(text, quote=False)


def split(text: str, limit: int = LIMIT) -> list[str]:
    """Escaped pieces of at most ``limit`` characters, cut at line ends where possible, never inside an entity."""
    pieces: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        escaped = escape(line)
        if len(current) + len(escaped) <= limit:
            current += escaped
            continue
        if current:
            pieces.append(current)
            current = ""
        if len(escaped) <= limit:
            current = escaped
            continue
        for char in line:  # a line longer than a message: cut between characters, not inside "&amp;"
            piece = escape(char)
            if len(current) + len(piece) > limit:
                pieces.append(current)
                current = ""
            current += piece
    pieces.append(current)
    return [p.rstrip("\n") or "…" for p in pieces if p or len(pieces) == 1]


def keyboard(buttons: tuple[Button, ...]) -> InlineKeyboardMarkup | None:
    """One button a row; the callback data is the button's short id (under 64 bytes), never its text."""
    if not buttons:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(b.label, callback_data=b.id)] for b in buttons])
