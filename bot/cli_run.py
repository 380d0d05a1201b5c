"""`python -m bot worker`: the background work alone — the outbox's sender and retries, the daily digest,
the pause sweep, the housekeeping — for a deployment where no process runs a chat channel (the staff
work in the CLI or the console), or beside the channels. The launcher gives it the senders it can use."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from datetime import timedelta
from typing import Any, TextIO

from bot import texts
from bot.app import App
from bot.delivery import Background, Dispatcher, Sender, worker_id
from bot.dialogue.outbox import Owner

Senders = Callable[[], AbstractAsyncContextManager[dict[str, Sender]]]


def run_worker(app: App, senders: Senders, out: TextIO, *, grace: float = 5.0) -> int:
    asyncio.run(_work(app, senders, out, grace))
    return 0


async def _work(app: App, senders: Senders, out: TextIO, grace: float) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    async with senders() as found:
        worker = worker_id()
        dispatcher = Dispatcher(app.engine, found, Owner(worker, frozenset(found),
                                                         timedelta(seconds=app.settings.outbox_lease_seconds)))
        out.write(texts.WORKER_STARTED.format(channels="、".join(sorted(found)) or texts.WORKER_NO_CHANNELS,
                                              time=app.settings.digest_time) + "\n")
        out.flush()
        try:
            await Background(app.engine, dispatcher).run(stop)
        finally:
            await dispatcher.drain(grace)


def register(sub: Any, senders: Callable[[App], Senders]) -> None:
    """`worker`; ``senders(app)`` comes from the launcher (the channels' senders live in handlers/)."""
    p = sub.add_parser("worker", help=texts.CLI_WORKER_HELP)
    p.set_defaults(handler=lambda app, _args: run_worker(app, senders(app), sys.stdout))
