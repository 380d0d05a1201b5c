"""Telegram throughput benchmark: the whole stack beside an echo bot, on the same fake Bot API in one run.

Run: python benchmarks/bench_telegram.py [--updates 300] [--latency 100] [--db postgresql://user@host/postgres]

Each run uses a fresh database: a SQLite file in a temporary folder, or, with --db naming a PostgreSQL
server, a new database created on it (and dropped at the end).

Whole stack: fake Bot API → python-telegram-bot (getUpdates over real HTTP on 127.0.0.1) → the inbox →
the dialogue core → the database (the update, its state and its outbox row in one transaction) → the
outbox → the fake Bot API → the delivery record. Each update is a question from its own user (so the
per-user flood limit does not apply). Measured, in one run:

- throughput of a burst of --updates updates, with Telegram's rate limiter off, beside an echo bot (one
  handler that sends the text back) on the same fake server: the aim is at least half the echo bot's;
- the same burst with the rate limiter on: it must reach the limiter's cap (30 messages a second);
- p50/p99 latency, from the push of an update to the end of its reply, --latency updates one at a time;
- SQL statements and commits per update (one at a time, delivery record included).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from common import percentile, postgres_database  # noqa: E402
from sqlalchemy import event  # noqa: E402
from telegram import Update  # noqa: E402
from telegram.ext import Application, ContextTypes, MessageHandler, filters  # noqa: E402

from bot.app import App  # noqa: E402
from bot.dialogue.flood import FloodLimit  # noqa: E402
from bot.settings import Settings  # noqa: E402
from handlers.telegram.app import build_application  # noqa: E402
from tests.telegram_fake import TOKEN, FakeBotApi, PollingBot  # noqa: E402

QUESTIONS = ["区长信箱收到多少封来信？", "申请政府信息公开要多久才有答复？", "依申请公开要收费吗？",
             "怎样申请政府信息公开？", "鹤城区2019年主动公开了多少条信息？"]
CAP = 30  # AIORateLimiter's default: 30 messages a second over all chats


class EchoBot:
    """python-telegram-bot's own polling and one handler: the baseline."""

    def __init__(self, fake: FakeBotApi, on_handled: Callable[[int], None]) -> None:
        async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            assert update.effective_chat is not None and update.effective_message is not None
            await context.bot.send_message(update.effective_chat.id, update.effective_message.text or "")
            on_handled(update.update_id)

        self.application = Application.builder().token(TOKEN).base_url(f"{fake.root}/bot").build()
        self.application.add_handler(MessageHandler(filters.TEXT, echo))
        self._stop: Callable[[], None] | None = None

    async def run(self) -> None:
        import asyncio

        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        self._stop = lambda: loop.call_soon_threadsafe(stop.set)
        async with self.application:
            await self.application.start()
            assert self.application.updater is not None
            await self.application.updater.start_polling(poll_interval=0, timeout=1)
            await stop.wait()
            await self.application.updater.stop()
            await self.application.stop()

    def stop_running(self) -> None:
        if self._stop is not None:
            self._stop()


class Counts:
    """SQL statements and commits on one engine, while switched on."""

    def __init__(self, engine: Any) -> None:
        self.statements = self.commits = 0
        self.on = False
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine, "commit", self._commit)

    def _statement(self, *_args: Any) -> None:
        self.statements += self.on

    def _commit(self, *_args: Any) -> None:
        self.commits += self.on


def measure(fake: FakeBotApi, make: Callable[[Callable[[int], None]], Any], updates: int, latency: int,
            first_user: int, counts: Counts | None = None) -> tuple[float, list[float], float, float]:
    done: dict[int, threading.Event] = {}
    finished: dict[int, float] = {}

    def handled(update_id: int) -> None:
        finished[update_id] = time.perf_counter()
        done.setdefault(update_id, threading.Event()).set()

    with PollingBot(fake, make(handled), done) as bot:
        bot.wait(fake.push_text(first_user, QUESTIONS[0]))  # warm up
        start = time.perf_counter()
        ids = [fake.push_text(first_user + i + 1, QUESTIONS[i % len(QUESTIONS)]) for i in range(updates)]
        for update_id in ids:
            bot.wait(update_id, timeout=600)
        rate = updates / (max(finished[i] for i in ids) - start)
        times = []
        if counts is not None:
            counts.on = True
        for i in range(latency):
            pushed = time.perf_counter()
            update_id = fake.push_text(first_user + updates + i + 1, QUESTIONS[i % len(QUESTIONS)])
            bot.wait(update_id, timeout=60)
            times.append(finished[update_id] - pushed)
        if counts is not None:
            counts.on = False
    per_statement = counts.statements / latency if counts and latency else 0.0
    per_commit = counts.commits / latency if counts and latency else 0.0
    return rate, times, per_statement, per_commit


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--updates", type=int, default=300)
    parser.add_argument("--latency", type=int, default=100)
    parser.add_argument("--db", default="", help="a PostgreSQL server (a fresh database is created on it)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, FakeBotApi() as fake, ExitStack() as stack:
        url = stack.enter_context(postgres_database(args.db)) if args.db else f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        settings = Settings.from_env(db=url).with_(telegram_token=TOKEN, telegram_api_base_url=fake.root,
                                                   cache_dir=Path(tmp) / "cache")
        app = App(settings)
        app.matcher.knowledge.index()
        counts = Counts(app.db.engine)
        unlimited = FloodLimit(limit=10**6)

        def ours(rate_limit: bool) -> Callable[[Callable[[int], None]], Any]:
            return lambda h: build_application(settings, app.engine, on_handled=h, flood=unlimited,
                                               rate_limit=rate_limit, poll_timeout=1.0)

        off = measure(fake, ours(False), args.updates, args.latency, 10_000, counts)
        on = measure(fake, ours(True), args.updates, 0, 40_000)
        echo = measure(fake, lambda h: EchoBot(fake, h), args.updates, args.latency, 20_000)
        app.close()
    print(f"backend: {url.split(':')[0]} (fresh database); {args.updates} updates in a burst, "
          f"{args.latency} one at a time")
    print(f"{'':<26}{'updates/s':>12}{'p50 ms':>10}{'p99 ms':>10}")
    for name, (rate, times, _s, _c) in (("whole stack, limiter off", off), ("echo bot", echo)):
        print(f"{name:<26}{rate:>12.1f}{percentile(times, 0.5) * 1000:>10.1f}{percentile(times, 0.99) * 1000:>10.1f}")
    print(f"{'whole stack, limiter on':<26}{on[0]:>12.1f}{'':>10}{'':>10}   (the limiter's cap: {CAP}/s)")
    print(f"ratio (whole stack, limiter off / echo): throughput {off[0] / echo[0]:.2f} (aim ≥ 0.50), "
          f"p50 latency {percentile(off[1], 0.5) / percentile(echo[1], 0.5):.1f}x")
    print(f"limiter on: {on[0]:.1f}/s = {on[0] / CAP:.2f} of the cap")
    print(f"per update (one at a time, delivery record included): {off[2]:.1f} SQL statements, {off[3]:.2f} commits")


if __name__ == "__main__":
    main()
