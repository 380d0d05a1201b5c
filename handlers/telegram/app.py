"""`python -m bot run`: build the python-telegram-bot Application around the core and run it."""

from __future__ import annotations

import datetime as dt
import logging
import sys
from collections.abc import Callable
from typing import Any, TextIO
from urllib.parse import urlparse

from telegram import BotCommand, Update
from telegram.error import InvalidToken, TelegramError
from telegram.ext import AIORateLimiter, Application, CallbackQueryHandler, MessageHandler, filters

from bot import texts
from bot.app import App
from bot.dialogue.engine import Engine
from bot.settings import Settings
from bot.tickets.clock import SHANGHAI
from handlers.telegram.channel import FloodGate, TelegramChannel

log = logging.getLogger(__name__)
COMMANDS = ["start", "help", "apply", "status", "cancel", "privacy"]


class _NoNetworkTraceback(logging.Filter):
    """python-telegram-bot logs a failed start with a traceback; the user gets one plain line instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], TelegramError):
            record.exc_info = None
            record.exc_text = None
        return True


def build_application(settings: Settings, engine: Engine, on_handled: Callable[[int], None] | None = None,
                      flood: FloodGate | None = None) -> Application:  # type: ignore[type-arg]
    """The Application: polling or webhook is chosen by the caller; the API root may be self-hosted."""
    # python-telegram-bot logs whole updates and request parameters at DEBUG: they carry identity numbers.
    telegram_log = logging.getLogger("telegram")
    telegram_log.setLevel(max(telegram_log.getEffectiveLevel(), logging.INFO))
    logging.getLogger("telegram.ext").addFilter(_NoNetworkTraceback())
    builder = Application.builder().token(settings.telegram_token).rate_limiter(AIORateLimiter(max_retries=3))
    if settings.telegram_api_base_url:  # the server root; PTB adds <token>/<method> after "/bot"
        builder = (builder.base_url(f"{settings.telegram_api_base_url}/bot")
                   .base_file_url(f"{settings.telegram_api_base_url}/file/bot"))
    channel = TelegramChannel(engine, on_handled, flood)

    async def post_init(application: Application) -> None:  # type: ignore[type-arg]
        await application.bot.set_my_commands(
            [BotCommand(c, texts.TELEGRAM_COMMANDS[c]) for c in COMMANDS])

    application = builder.post_init(post_init).build()
    application.add_handler(CallbackQueryHandler(channel.on_button))
    # Text, and files (a staff reply with a document attached; its caption is the text).
    application.add_handler(MessageHandler(filters.TEXT | filters.Document.ALL, channel.on_message))
    if application.job_queue is not None:  # jobs are rebuilt at every start; their state is in the database
        application.job_queue.run_repeating(channel.flush_job, interval=10, first=1)
        application.job_queue.run_daily(channel.digest_job, time=dt.time(9, 0, tzinfo=SHANGHAI))
    return application


def serve(application: Application, settings: Settings, **options: Any) -> None:  # type: ignore[type-arg]
    """Run until stopped: a webhook server when TELEGRAM_WEBHOOK_URL is set (requests without the secret
    get 403 from python-telegram-bot), else long polling."""
    if settings.telegram_webhook_url:
        application.run_webhook(listen=settings.telegram_listen, port=settings.telegram_port,
                                url_path=urlparse(settings.telegram_webhook_url).path.lstrip("/"),
                                webhook_url=settings.telegram_webhook_url,
                                secret_token=settings.telegram_webhook_secret or None,
                                allowed_updates=Update.ALL_TYPES, **options)
    else:
        application.run_polling(allowed_updates=Update.ALL_TYPES, **options)


def run_telegram(app: App, err: TextIO | None = None) -> int:
    err = err or sys.stderr
    settings = app.settings
    if not settings.telegram_token:
        err.write(texts.TELEGRAM_NO_TOKEN + "\n")
        return 2
    application = build_application(settings, app.engine)
    app.matcher.knowledge.index()  # load before the first question
    if not settings.staff_chat_id:
        err.write(texts.TELEGRAM_NO_STAFF_CHAT + "\n")
    try:
        serve(application, settings)
    except InvalidToken:
        err.write(texts.TELEGRAM_BAD_TOKEN + "\n")
        return 2
    except TelegramError as exc:
        err.write(texts.TELEGRAM_ERROR.format(detail=type(exc).__name__) + "\n")
        return 1
    return 0
