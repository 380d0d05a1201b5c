"""Replies as Telegram shows them: HTML-escaped text in pieces of at most 4096 UTF-16 code units (Telegram
counts its limit that way: a character outside the BMP counts two), inline buttons."""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.dialogue.messages import Button

LIMIT = 4096  # Telegram's limit on a message's text, in UTF-16 code units after entity parsing; we count
# the escaped markup too (so "&amp;" counts five), which keeps every piece under the limit


def units(text: str) -> int:
    """The length of ``text`` as Telegram counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def escape(text: str) -> str:
    """Every piece of user or document text is escaped: the bot sends no markup of its own."""
    return html.escape(text, quote=False)


def split(text: str, limit: int = LIMIT) -> list[str]:
    """Escaped pieces of at most ``limit`` UTF-16 code units, cut at line ends where possible, never inside
    an entity or a character."""
    pieces: list[str] = []
    current, size = "", 0
    for line in text.splitlines(keepends=True):
        escaped = escape(line)
        length = units(escaped)
        if size + length <= limit:
            current, size = current + escaped, size + length
            continue
        if current:
            pieces.append(current)
            current, size = "", 0
        if length <= limit:
            current, size = escaped, length
            continue
        for char in line:  # a line longer than a message: cut between characters, not inside "&amp;"
            piece = escape(char)
            width = units(piece)
            if size + width > limit:
                pieces.append(current)
                current, size = "", 0
            current, size = current + piece, size + width
    pieces.append(current)
    return [p.rstrip("\n") or "…" for p in pieces if p or len(pieces) == 1]


def keyboard(buttons: tuple[Button, ...]) -> InlineKeyboardMarkup | None:
    """One button a row; the callback data is the button's short id (under 64 bytes), never its text."""
    if not buttons:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(b.label, callback_data=b.id)] for b in buttons])
