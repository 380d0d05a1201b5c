"""Sending one outbox row to Telegram, part by part, and telling what went wrong by its kind.

A row is sent as parts: the text in HTML-escaped pieces (buttons on the last), then each file. A retry
starts at the first part not yet delivered. Errors by kind, never by a base class (``BadRequest`` is a
``NetworkError`` in python-telegram-bot):

- 429 (``RetryAfter``), 5xx, network errors, timeouts: retried later (after ``retry_after``, else with
  backoff); when the request left and its answer was lost the try's outcome is unknown;
- 400 and every other 4xx: failed, with Telegram's description, never retried;
- 403 (``Forbidden``): the citizen blocked the bot — undelivered;
- ``ChatMigrated``: the group became a supergroup: sent again to the new id, which is recorded.
"""

from __future__ import annotations

import contextvars
import logging
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from telegram import Bot, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.request import HTTPXRequest

from bot import texts
from bot.dialogue.messages import Document, Reply
from bot.dialogue.outbox import OutboxItem, Outcome, Result
from handlers.telegram.render import keyboard, split

log = logging.getLogger(__name__)
CHANNEL = "telegram"
_STATUS: contextvars.ContextVar[int | None] = contextvars.ContextVar("telegram_status", default=None)
# The request never left: no doubt about the outcome.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


class StatusRequest(HTTPXRequest):
    """python-telegram-bot's HTTP client, remembering the HTTP status of the last answer: its exceptions
    fold every 4xx but 400/403/401/404/409 into ``NetworkError``, and a 4xx must not be retried."""

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        code, payload = await super().do_request(*args, **kwargs)
        _STATUS.set(code)
        return code, payload


@dataclass(frozen=True)
class Part:
    text: str | None = None
    markup: InlineKeyboardMarkup | None = None
    document: Document | None = None


def parts(reply: Reply) -> list[Part]:
    """The pieces of one message in the order they are sent (text pieces, then files)."""
    pieces = split(reply.text) if reply.text or not reply.documents else []
    out = [Part(text=p, markup=keyboard(reply.buttons) if i == len(pieces) - 1 else None)
           for i, p in enumerate(pieces)]
    return out + [Part(document=d) for d in reply.documents]


async def send_part(bot: Bot, chat_id: int | str, part: Part) -> None:
    if part.text is not None:
        await bot.send_message(chat_id, part.text, parse_mode=ParseMode.HTML, reply_markup=part.markup)
        return
    document = part.document
    assert document is not None
    if document.file_id is not None and document.channel == CHANNEL:  # Telegram has it: no download
        await bot.send_document(chat_id, document.file_id)
    elif document.path is not None:  # a file stored on this machine (attached in the terminal chat)
        await bot.send_document(chat_id, Path(document.path).read_bytes(), filename=document.name)
    else:
        await bot.send_document(chat_id, document.content, filename=document.name)


async def send(bot: Bot, chat_id: int | str, reply: Reply) -> None:
    """One reply, directly (no outbox): its text in pieces, then its documents."""
    for part in parts(reply):
        await send_part(bot, chat_id, part)


class TelegramSender:
    """The outbox's sender for Telegram (``bot.delivery.Sender``)."""

    channel = CHANNEL

    def __init__(self, bot: Bot, moves: dict[str, str] | None = None) -> None:
        self.bot = bot
        self.moves = moves if moves is not None else {}  # old chat id → new (groups that became supergroups)

    async def deliver(self, item: OutboxItem) -> Result:
        todo = parts(item.reply)
        chat = self.moves.get(item.chat_id, item.chat_id)
        moved = chat if chat != item.chat_id else None
        index = item.parts_sent
        while index < len(todo):
            _STATUS.set(None)
            try:
                await send_part(self.bot, chat, todo[index])
            except ChatMigrated as exc:
                new = str(exc.new_chat_id)
                if new == chat:
                    return Result(Outcome.FAILED, index, reason=texts.DELIVERY_MIGRATED_LOOP)
                log.warning("outbox %s: the chat moved to a supergroup", item.id)
                chat = moved = self.moves[item.chat_id] = new
                continue  # the same part, to the new id
            except Exception as exc:  # classified below; nothing is ever dropped
                return classify(exc, index, moved)
            index += 1
        return Result(Outcome.SENT, index, moved_to=moved)


def classify(exc: BaseException, parts_sent: int, moved: str | None = None) -> Result:
    """What a failed part means for its row."""
    if isinstance(exc, RetryAfter):
        wait = getattr(exc, "_retry_after", None)  # the public attribute warns of its change of type
        if wait is None:
            wait = exc.retry_after
        seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
        return Result(Outcome.RETRY, parts_sent, retry_after=seconds, reason="429", moved_to=moved)
    if isinstance(exc, Forbidden):
        return Result(Outcome.UNDELIVERED, parts_sent, reason=exc.message[:200], moved_to=moved)
    if isinstance(exc, BadRequest):  # before NetworkError: BadRequest is one
        return Result(Outcome.FAILED, parts_sent, reason=exc.message[:200], moved_to=moved)
    if isinstance(exc, OSError):  # a stored file gone: it will not come back
        return Result(Outcome.FAILED, parts_sent, reason=texts.DELIVERY_FILE_GONE, moved_to=moved)
    status = _STATUS.get()
    if isinstance(exc, TelegramError) and status is not None and 400 <= status < 500 and status != 429:
        return Result(Outcome.FAILED, parts_sent, reason=f"{status}: {exc.message}"[:200], moved_to=moved)
    if isinstance(exc, NetworkError | TimedOut):
        unknown = status is None and not isinstance(exc.__cause__, _NOT_SENT)
        reason = f"{status}" if status is not None else type(exc.__cause__ or exc).__name__
        return Result(Outcome.RETRY, parts_sent, unknown=unknown, reason=reason, moved_to=moved)
    # InvalidToken, an unexpected error: not the message's fault; retried with backoff.
    return Result(Outcome.RETRY, parts_sent, reason=type(exc).__name__, moved_to=moved)
