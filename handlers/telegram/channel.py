"""Handlers: a Telegram update becomes an Incoming, the core handles it in one transaction with the
update's inbox record and its outbox rows; the runtime sends those rows. Thin."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from telegram import Message, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.dialogue.engine import Engine, Processed
from bot.dialogue.flood import FloodLimit
from bot.dialogue.messages import Document, Incoming
from bot.dialogue.outbox import Owner
from handlers.telegram.render import escape

log = logging.getLogger(__name__)
CHANNEL = "telegram"
_TICKET = re.compile(r"\b\d{4}-\d{6}\b")
FloodGate = FloodLimit  # the per-user flood limit (shared by all workers, in the database)


@dataclass
class Work:
    """One update being handled: set by the runtime, filled in by the handlers and the error handler."""

    claimed: bool = False  # stored in the inbox and claimed for another try
    processed: Processed | None = None
    error: str | None = None
    after: list[Callable[[], Awaitable[None]]] = field(default_factory=list)  # best-effort calls after it


class TelegramChannel:
    """The PTB handlers. ``work`` maps an update id to what the runtime needs to know of its handling."""

    def __init__(self, engine: Engine, owner: Owner, flood: FloodLimit, staff_chats: Callable[[], set[str]]) -> None:
        self.engine, self.owner, self.flood, self.staff_chats = engine, owner, flood, staff_chats
        self.work: dict[int, Work] = {}

    async def on_message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message, user, chat = update.effective_message, update.effective_user, update.effective_chat
        if message is None or user is None or chat is None:
            return
        text = message.text or message.caption or ""  # a file's caption is its text (`/reply N …`)
        quoted = message.reply_to_message
        if str(chat.id) in self.staff_chats() and not text.startswith("/") and quoted is None:
            return  # staff talking among themselves: not questions for the bot (recorded as handled)
        about = None  # the ticket named in the bot's message that was quoted
        if quoted is not None and quoted.from_user is not None and quoted.from_user.id == context.bot.id:
            number = _TICKET.search(quoted.text or "")
            about = number[0] if number is not None and not text.startswith("/") else None
        if about is not None and str(chat.id) in self.staff_chats():
            # Staff answer a ticket card by replying to it: the same as `/reply N text`.
            text, about = f"/reply {about} {text}", None
        # Elsewhere (a citizen's private chat) a reply is their message about that ticket: the core decides.
        incoming = Incoming(CHANNEL, str(user.id), str(chat.id), text=text, update_id=update.update_id,
                            documents=_documents(message), quoted_ticket=about)
        await self._handle(update.update_id, incoming)

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query, user = update.callback_query, update.effective_user
        if query is None or user is None or query.message is None:
            return
        message = query.message
        incoming = Incoming(CHANNEL, str(user.id), str(message.chat.id), button=query.data or "",
                            update_id=update.update_id)
        await self._handle(update.update_id, incoming)
        work = self.work.get(update.update_id)
        if work is not None and work.processed is not None and not work.processed.duplicate:
            text = getattr(message, "text", None)

            async def settle() -> None:
                # Not messages (nothing is lost without them): the spinner stops, and the buttons come
                # off the message pressed so it cannot be pressed twice.
                try:
                    await query.answer()
                    if text:
                        await query.edit_message_text(escape(text), parse_mode=ParseMode.HTML, reply_markup=None)
                except TelegramError as exc:
                    log.info("button of update %s not settled (%s)", update.update_id, type(exc).__name__)

            work.after.append(settle)

    async def _handle(self, update_id: int, incoming: Incoming) -> None:
        work = self.work.setdefault(update_id, Work())
        work.processed = await asyncio.to_thread(self.engine.process, incoming, via_outbox=True, limit=self.flood,
                                                 owner=self.owner, claimed=work.claimed)


def _documents(message: Message) -> tuple[Document, ...]:
    """A file attached to a message, by its file_id: sent on again without downloading it."""
    if message.document is None:
        return ()
    file = message.document
    return (Document(file.file_name or file.file_unique_id, file_id=file.file_id, channel=CHANNEL),)
