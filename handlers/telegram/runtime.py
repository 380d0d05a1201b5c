"""The Telegram worker: updates in through the inbox (webhook or polling), messages out through the outbox.

An update is acknowledged (the webhook's 200, the next getUpdates offset) only once it is recorded in
the database: handled — its inbox row, its state and its outbox rows in one transaction — or stored
for another try. The rows it wrote are then sent by this worker at once; the outbox claim loop, the
stored-update retry loop and the daily jobs run beside it (``bot.delivery``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import traceback
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from urllib.parse import urlparse

from telegram import BotCommand, Update
from telegram.error import Conflict, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot import mail, texts
from bot.delivery import Background, Dispatcher, KeyedLocks, Sender, worker_id
from bot.dialogue.engine import Engine, Processed
from bot.dialogue.flood import FloodLimit
from bot.dialogue.inbox import Stored
from bot.dialogue.messages import clean
from bot.dialogue.outbox import Owner
from bot.settings import Settings
from handlers.telegram.channel import CHANNEL, TelegramChannel, Work
from handlers.telegram.sender import StatusRequest, TelegramSender
from handlers.telegram.webhook import webhook_route
from handlers.web.server import create_app, serve

log = logging.getLogger(__name__)
COMMANDS = ["start", "help", "apply", "status", "cancel", "privacy"]


class _NoNetworkTraceback(logging.Filter):
    """python-telegram-bot logs a failed start with a traceback; the user gets one plain line instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], TelegramError):
            record.exc_info = None
            record.exc_text = None
        return True


class _OurRetries(logging.Filter):
    """The rate limiter logs every 429 it passes on as an error with a traceback; we retry it ourselves."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Rate limit hit after maximum")


def _quiet_logs() -> None:
    for name, kind in (("telegram.ext", _NoNetworkTraceback), ("telegram.ext.AIORateLimiter", _OurRetries)):
        logger = logging.getLogger(name)
        if not any(isinstance(f, kind) for f in logger.filters):
            logger.addFilter(kind())


class TelegramRuntime:
    """One worker process's Telegram channel. ``on_handled(update_id)`` is called once an update's messages
    were sent (tests and the benchmark wait for it)."""

    def __init__(self, settings: Settings, engine: Engine, *, on_handled: Callable[[int], None] | None = None,
                 flood: FloodLimit | None = None, rate_limit: bool | None = None, poll_timeout: float = 10.0,
                 claim_interval: float = 1.0, tick: float = 30.0, grace: float = 5.0, concurrency: int = 8) -> None:
        self.settings, self.engine, self.on_handled = settings, engine, on_handled
        self.poll_timeout, self.grace = poll_timeout, grace
        self.worker = worker_id()
        self.application = _application(settings, settings.telegram_rate_limit if rate_limit is None else rate_limit,
                                        poll_timeout)
        self.moves: dict[str, str] = {}
        self.sender = TelegramSender(self.application.bot, self.moves)
        # E-mail to web-chat applicants too, when SMTP_URL is set: notices staff write here go out at once.
        senders: dict[str, Sender] = {CHANNEL: self.sender, **mail.senders(settings, engine.sessions)}
        self.owner = Owner(self.worker, frozenset(senders), timedelta(seconds=settings.outbox_lease_seconds))
        self.channel = TelegramChannel(engine, self.owner, flood or FloodLimit(settings.flood_limit,
                                                                                 settings.flood_window),
                                       self.staff_chats)
        self.dispatcher = Dispatcher(engine, senders, self.owner, claim_interval=claim_interval)
        self.background = Background(engine, self.dispatcher, tick=tick)
        self._order = KeyedLocks()  # one chat's updates are handled in the order they came
        self._slots = asyncio.Semaphore(concurrency)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self.application.add_handler(CallbackQueryHandler(self.channel.on_button))
        # Text, and files (a staff reply with a document attached; its caption is the text).
        self.application.add_handler(MessageHandler(filters.TEXT | filters.Document.ALL, self.channel.on_message))
        self.application.add_error_handler(self.on_error)

    def staff_chats(self) -> set[str]:
        chat = self.settings.staff_chat_id
        return {c for c in (chat, self.moves.get(chat, "")) if c}

    # --- the inbox -------------------------------------------------------------------------------
    async def accept(self, payload: dict[str, Any], stored: Stored | None = None) -> bool:
        """Handle one update; returns once it is recorded (handled, known already, or stored for another
        try) — only then may it be acknowledged. Raises when it could not even be stored."""
        payload = clean(payload)  # NUL and unpaired surrogates: refused by PostgreSQL and by Telegram
        update_id = int(payload["update_id"])
        try:
            update = Update.de_json(payload, self.application.bot)
        except Exception as exc:  # not an update python-telegram-bot can read: it never will be
            log.error("update %s unreadable (%s): recorded as handled", update_id, type(exc).__name__)
            await asyncio.to_thread(self.engine.skip, CHANNEL, update_id, None, stored is not None)
            return True
        chat = _chat_of(update)
        work = Work(claimed=stored is not None)
        async with self._order.hold(chat or f"u{update_id}"), self._slots:
            self.channel.work[update_id] = work
            try:
                await self.application.process_update(update)
            finally:
                self.channel.work.pop(update_id, None)
            processed = work.processed or Processed()
            if work.error is not None:
                processed = Processed(outbox=await self._failed(update_id, chat, payload, work.error, stored))
            elif work.processed is None:  # nothing for the core (staff chatter, an edited message …)
                await asyncio.to_thread(self.engine.skip, CHANNEL, update_id, chat, stored is not None)
        self.dispatcher.spawn(self._finish(update_id, processed, work))
        return True

    async def _failed(self, update_id: int, chat: str | None, payload: dict[str, Any], error: str,
                      stored: Stored | None) -> list[Any]:
        if stored is None:  # stored for another try, by any worker; acknowledged
            await asyncio.to_thread(self.engine.defer, CHANNEL, update_id, chat, payload, error)
            return []
        return await asyncio.to_thread(self.engine.update_failed, stored, error, self.owner)

    async def _finish(self, update_id: int, processed: Processed, work: Work) -> None:
        try:
            await self.dispatcher.send_now(processed.outbox)
            for after in work.after:
                await after()
        finally:
            if self.on_handled is not None:
                self.on_handled(update_id)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Registered with python-telegram-bot: one bad update never stops the worker. Logs the update id,
        the kind of error and where it happened — never the update's text or the error's message."""
        error = context.error
        update_id = update.update_id if isinstance(update, Update) else None
        where = ""
        if error is not None and error.__traceback__ is not None:
            frame = traceback.extract_tb(error.__traceback__)[-1]
            where = f" at {os.path.basename(frame.filename)}:{frame.lineno}"
        kind = type(error).__name__ if error is not None else "unknown"
        log.error("update %s not handled: %s%s; stored for another try", update_id, kind, where)
        if update_id is not None and update_id in self.channel.work:
            self.channel.work[update_id].error = kind

    async def _retry_stored(self, stop: asyncio.Event) -> None:
        """Updates stored after a failure (or left by a worker that died mid-way): handled again, in order."""
        while not stop.is_set():
            try:
                for stored in await asyncio.to_thread(self.engine.claim_updates, CHANNEL, 20, self.owner.lease):
                    await self.accept(stored.payload, stored)
            except Exception as exc:  # the database away for a moment
                log.warning("stored updates not claimed (%s)", type(exc).__name__)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=self.dispatcher.claim_interval * 2)

    # --- polling ---------------------------------------------------------------------------------
    async def _poll(self, stop: asyncio.Event) -> None:
        """getUpdates; the offset moves past a batch only once every update of it is recorded."""
        bot, offset, pause = self.application.bot, None, 1.0
        while not stop.is_set():
            fetch = asyncio.ensure_future(bot.get_updates(offset=offset, timeout=int(self.poll_timeout),
                                                          allowed_updates=Update.ALL_TYPES))
            stopping = asyncio.ensure_future(stop.wait())
            await asyncio.wait({fetch, stopping}, return_when=asyncio.FIRST_COMPLETED)
            stopping.cancel()
            if stop.is_set():
                fetch.cancel()
                with contextlib.suppress(asyncio.CancelledError, TelegramError):
                    await fetch
                return
            try:
                updates = [u.to_dict() for u in fetch.result()]
                await asyncio.gather(*(self.accept(u) for u in updates))
            except Conflict:
                log.error("another process polls this bot (409): waiting")
                await _sleep(stop, 5.0)
                continue
            except Exception as exc:  # Telegram or the database away: nothing confirmed, fetched again
                log.warning("polling: %s; trying again in %.0f s", type(exc).__name__, pause)
                await _sleep(stop, pause)
                pause = min(pause * 2, 30.0)
                continue
            pause = 1.0
            if updates:
                offset = int(updates[-1]["update_id"]) + 1

    # --- running ---------------------------------------------------------------------------------
    async def run(self, stop: asyncio.Event | None = None) -> None:
        """Until ``stop`` is set (or ``stop_running``): a webhook server when TELEGRAM_WEBHOOK_URL is set,
        else long polling; the background work beside it; at the end, what is due within a few seconds
        is still delivered."""
        self._loop = asyncio.get_running_loop()
        stop = self._stop = stop or asyncio.Event()
        _quiet_logs()
        async with self.application:
            await self.application.start()
            try:
                self.moves.update(await asyncio.to_thread(self.engine.chat_moves, CHANNEL))
                bot = self.application.bot
                await bot.set_my_commands([BotCommand(c, texts.TELEGRAM_COMMANDS[c]) for c in COMMANDS])
                url = self.settings.telegram_webhook_url
                if url:
                    await bot.set_webhook(url, secret_token=self.settings.telegram_webhook_secret,
                                          allowed_updates=Update.ALL_TYPES)
                else:
                    await bot.delete_webhook()
                async with asyncio.TaskGroup() as group:
                    group.create_task(self.background.run(stop))
                    group.create_task(self._retry_stored(stop))
                    group.create_task(self._serve(stop) if url else self._poll(stop))
            finally:
                stop.set()
                with contextlib.suppress(Exception):
                    await self.dispatcher.drain(self.grace)
                await self.application.stop()

    async def _serve(self, stop: asyncio.Event) -> None:
        path = urlparse(self.settings.telegram_webhook_url).path or "/"
        app = create_app(routes=[webhook_route(path, self.settings.telegram_webhook_secret, self.accept)])
        try:
            await serve(app, self.settings.telegram_listen, self.settings.telegram_port, stop)
        finally:
            stop.set()

    def stop_running(self) -> None:
        """Stop from any thread."""
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)


def _application(settings: Settings, rate_limit: bool, poll_timeout: float) -> Application:  # type: ignore[type-arg]
    # python-telegram-bot logs whole updates and request parameters at DEBUG: they carry identity numbers.
    telegram_log = logging.getLogger("telegram")
    telegram_log.setLevel(max(telegram_log.getEffectiveLevel(), logging.INFO))
    builder: Any = (Application.builder().token(settings.telegram_token).updater(None).job_queue(None)
               .request(StatusRequest(connection_pool_size=64, read_timeout=10.0, write_timeout=10.0,
                                      connect_timeout=5.0, pool_timeout=5.0, media_write_timeout=30.0))
               .get_updates_request(StatusRequest(connection_pool_size=2, read_timeout=poll_timeout + 10.0)))
    if rate_limit:  # Telegram's own limits (30 messages a second, 20 a minute per group); 429 is ours to retry
        builder = builder.rate_limiter(AIORateLimiter(max_retries=0))
    if settings.telegram_api_base_url:  # the server root; PTB adds <token>/<method> after "/bot"
        builder = (builder.base_url(f"{settings.telegram_api_base_url}/bot")
                   .base_file_url(f"{settings.telegram_api_base_url}/file/bot"))
    return builder.build()


def _chat_of(update: Update) -> str | None:
    chat = update.effective_chat
    if chat is not None:
        return str(chat.id)
    user = update.effective_user
    return str(user.id) if user is not None else None


async def _sleep(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)
