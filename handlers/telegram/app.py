"""`python -m bot run`: the Telegram worker around the core (``runtime``), and its sender alone for
`python -m bot worker`."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from typing import Any, TextIO

from telegram.error import InvalidToken, TelegramError

from bot import mail, texts
from bot.app import App
from bot.delivery import Background, Dispatcher, Sender, worker_id
from bot.dialogue.engine import Engine
from bot.dialogue.flood import FloodLimit
from bot.dialogue.outbox import Owner
from bot.settings import Settings
from handlers.telegram.runtime import TelegramRuntime, _application
from handlers.telegram.sender import TelegramSender


def build_application(settings: Settings, engine: Engine, on_handled: Callable[[int], None] | None = None,
                      flood: FloodLimit | None = None, **options: Any) -> TelegramRuntime:
    """The worker: polling or webhook is chosen by the settings; the API root may be self-hosted."""
    return TelegramRuntime(settings, engine, on_handled=on_handled, flood=flood, **options)


def run_telegram(app: App, err: TextIO | None = None) -> int:
    err = err or sys.stderr
    settings = app.settings
    if not settings.telegram_token:
        err.write(texts.TELEGRAM_NO_TOKEN + "\n")
        return 2
    if settings.telegram_webhook_url and not settings.telegram_webhook_secret:
        err.write(texts.WEBHOOK_NO_SECRET + "\n")  # else anyone could post updates to the webhook
        return 2
    runtime = build_application(settings, app.engine)
    app.matcher.knowledge.index()  # load before the first question
    if not settings.staff_chat_id:
        err.write(texts.TELEGRAM_NO_STAFF_CHAT + "\n")
    try:
        asyncio.run(_until_signalled(runtime.run))
    except InvalidToken:
        err.write(texts.TELEGRAM_BAD_TOKEN + "\n")
        return 2
    except TelegramError as exc:
        err.write(texts.TELEGRAM_ERROR.format(detail=type(exc).__name__) + "\n")
        return 1
    except OSError as exc:
        err.write(texts.WEBHOOK_LISTEN_FAILED.format(listen=settings.telegram_listen, port=settings.telegram_port,
                                                     reason=exc.strerror or exc) + "\n")
        return 1
    return 0


async def _until_signalled(run: Callable[[asyncio.Event], Any]) -> None:
    """Run until SIGINT or SIGTERM (a deployment stops workers with SIGTERM)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):  # not in the main thread, Windows
            loop.add_signal_handler(sig, stop.set)
    await run(stop)


@contextlib.asynccontextmanager
async def telegram_senders(settings: Settings) -> AsyncIterator[dict[str, Sender]]:
    """The Telegram sender when a token is set (for `python -m bot worker`: sends, receives nothing)."""
    if not settings.telegram_token:
        yield {}
        return
    application = _application(settings, settings.telegram_rate_limit, 10.0)
    async with application:
        moves: dict[str, str] = {}
        yield {"telegram": TelegramSender(application.bot, moves)}


@contextlib.asynccontextmanager
async def outbox_senders(app: App) -> AsyncIterator[dict[str, Sender]]:
    """Every sender this process can use: Telegram's when a token is set, e-mail when SMTP_URL is set (for
    `python -m bot worker` and the web server)."""
    async with telegram_senders(app.settings) as found:
        yield {**found, **mail.senders(app.settings, app.db.session)}


def background_work(app: App) -> Callable[[asyncio.Event], Awaitable[None]]:
    """The background work of a long-running process that does not run the Telegram channel itself (the web
    server): the outbox's senders (Telegram's when a token is set, e-mail when SMTP_URL is set) and the daily
    jobs, until stopped. Mount it with ``handlers.web.server.running``."""

    async def work(stop: asyncio.Event) -> None:
        async with outbox_senders(app) as senders:
            owner = Owner(worker_id(), frozenset(senders), timedelta(seconds=app.settings.outbox_lease_seconds))
            dispatcher = Dispatcher(app.engine, senders, owner)
            try:
                await Background(app.engine, dispatcher).run(stop)
            finally:
                await dispatcher.drain(5.0)

    return work
