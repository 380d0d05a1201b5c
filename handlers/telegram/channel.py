"""Handlers: an update becomes an Incoming, the core answers, the replies and the outbox are sent."""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections import defaultdict, deque
from collections.abc import Callable
from pathlib import Path

from telegram import Bot, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import ContextTypes

from bot import texts
from bot.dialogue.engine import Engine
from bot.dialogue.messages import Document, Incoming, Reply
from bot.errors import BotError
from handlers.telegram.render import escape, keyboard, split

log = logging.getLogger(__name__)
CHANNEL = "telegram"
_TICKET = re.compile(r"\b\d{4}-\d{6}\b")


class FloodGate:
    """Per user: more than ``limit`` updates within ``window`` seconds get one polite message, then silence."""

    def __init__(self, limit: int = 30, window: float = 60.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.window, self.clock = limit, window, clock
        self.seen: dict[str, deque[float]] = defaultdict(deque)

    def check(self, user: str) -> str:
        """"ok", "warn" (the first update over the limit) or "silent"."""
        now, times = self.clock(), self.seen[user]
        while times and now - times[0] > self.window:
            times.popleft()
        times.append(now)
        if len(times) <= self.limit:
            return "ok"
        return "warn" if len(times) == self.limit + 1 else "silent"


class TelegramChannel:
    """The thin adapter; ``on_handled(update_id)`` lets tests and the benchmark know an update is done."""

    def __init__(self, engine: Engine, on_handled: Callable[[int], None] | None = None,
                 flood: FloodGate | None = None) -> None:
        self.engine = engine
        self.on_handled = on_handled
        self.flood = flood or FloodGate()
        self._flush_lock = asyncio.Lock()

    async def on_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message, user, chat = update.effective_message, update.effective_user, update.effective_chat
        if message is None or user is None or chat is None:
            return
        text = message.text or message.caption or ""  # a file's caption is its text (`/reply N …`)
        quoted = message.reply_to_message
        if str(chat.id) == self.engine.settings.staff_chat_id and not text.startswith("/") and quoted is None:
            if self.on_handled is not None:  # staff talking among themselves: not questions for the bot
                self.on_handled(update.update_id)
            return
        if quoted is not None and quoted.from_user is not None and quoted.from_user.id == context.bot.id:
            # Staff answer a ticket card by replying to it: the same as `/reply N text`.
            number = _TICKET.search(quoted.text or "")
            if number is not None and not text.startswith("/"):
                text = f"/reply {number[0]} {text}"
        incoming = Incoming(CHANNEL, str(user.id), str(chat.id), text=text, update_id=update.update_id,
                            documents=_documents(message))
        await self._answer(context.bot, incoming, chat.id)

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query, user = update.callback_query, update.effective_user
        if query is None or user is None or query.message is None:
            return
        await query.answer()
        message = query.message
        text = getattr(message, "text", None)
        if text:  # take the buttons off the message pressed, so it cannot be pressed twice
            try:
                await query.edit_message_text(escape(text), parse_mode=ParseMode.HTML, reply_markup=None)
            except BadRequest:
                log.info("could not edit message %s", message.message_id)
        incoming = Incoming(CHANNEL, str(user.id), str(message.chat.id), button=query.data or "",
                            update_id=update.update_id)
        await self._answer(context.bot, incoming, message.chat.id)

    async def _answer(self, bot: Bot, incoming: Incoming, chat_id: int) -> None:
        try:
            gate = self.flood.check(incoming.user_id)
            if gate != "ok":
                if gate == "warn":
                    await send(bot, chat_id, Reply(texts.FLOOD))
                return
            try:
                replies = await asyncio.to_thread(self.engine.handle, incoming)
            except BotError:
                log.exception("update %s not handled", incoming.update_id)
                replies = [Reply(texts.TEMPORARY_FAILURE)]
            for reply in replies:
                await send(bot, chat_id, reply)
            await self.flush(bot)
        finally:
            if self.on_handled is not None and incoming.update_id is not None:
                self.on_handled(incoming.update_id)

    async def flush(self, bot: Bot) -> None:
        """Send what waits in the outbox; network errors, 429 and 5xx leave it for the next flush."""
        async with self._flush_lock:
            while items := await asyncio.to_thread(self.engine.pending, CHANNEL):
                for item in items:
                    try:
                        await send(bot, int(item.chat_id), item.reply)
                    except (Forbidden, OSError) as exc:  # blocked by the citizen, or a stored file gone:
                        # recorded as undelivered, staff told (a stuck message must not hold up the rest)
                        log.warning("outbox message %s undelivered (%s)", item.id, type(exc).__name__)
                        await asyncio.to_thread(self.engine.delivered, item.id, False)
                        continue
                    except (RetryAfter, TimedOut, NetworkError) as exc:
                        log.warning("outbox delivery postponed: %s", type(exc).__name__)
                        return
                    await asyncio.to_thread(self.engine.delivered, item.id, True)

    async def flush_job(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.flush(context.bot)

    async def digest_job(self, context: ContextTypes.DEFAULT_TYPE) -> None:
        """09:00 Asia/Shanghai: the staff digest (once a day across workers), then deliver it."""
        await asyncio.to_thread(self.engine.digest)
        await self.flush(context.bot)


async def send(bot: Bot, chat_id: int, reply: Reply) -> None:
    """One reply: text in HTML-escaped pieces (buttons on the last piece), then its documents."""
    pieces = split(reply.text)
    for i, piece in enumerate(pieces):
        markup = keyboard(reply.buttons) if i == len(pieces) - 1 else None
        await bot.send_message(chat_id, piece, parse_mode=ParseMode.HTML, reply_markup=markup)
    for document in reply.documents:
        if document.file_id is not None and document.channel == CHANNEL:  # Telegram has it: no download
            await bot.send_document(chat_id, document.file_id)
        elif document.path is not None:  # a file stored on this machine (attached in the terminal chat)
            await bot.send_document(chat_id, Path(document.path).read_bytes(), filename=document.name)
        else:
            await bot.send_document(chat_id, document.content, filename=document.name)


def _documents(message: Message) -> tuple[Document, ...]:
    """A file attached to a message, by its file_id: sent on again without downloading it."""
    if message.document is None:
        return ()
    file = message.document
    return (Document(file.file_name or file.file_unique_id, file_id=file.file_id, channel=CHANNEL),)
