"""Telegram throughput benchmark: the whole stack beside an echo bot, on the same fake Bot API in one run.

Run: python benchmarks/bench_telegram.py [--updates 300] [--latency 100] [--db URL]

Whole stack: fake Bot API → python-telegram-bot (polling, real HTTP on 127.0.0.1) → the dialogue core →
the database → the outbox → the fake Bot API. Each update is a question from its own user (so the
flood limit does not apply). Baseline: an echo bot (one MessageHandler that sends the text back) on the
same fake server. Throughput: a burst of --updates updates, updates per second until the last reply.
Latency: --latency updates one at a time, from the push of the update to the end of its reply, p50/p99.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from telegram import Update  # noqa: E402
from telegram.ext import Application, ContextTypes, MessageHandler, filters  # noqa: E402

from bot.app import App  # noqa: E402
from bot.settings import Settings  # noqa: E402
from handlers.telegram.app import build_application  # noqa: E402
from handlers.telegram.channel import FloodGate  # noqa: E402
from tests.telegram_fake import TOKEN, FakeBotApi, PollingBot  # noqa: E402

QUESTIONS = ["区长信箱收到多少封来信？", "申请政府信息公开要多久才有答复？", "依申请公开要收费吗？",
             "怎样申请政府信息公开？", "鹤城区2019年主动公开了多少条信息？"]


def echo_application(fake: FakeBotApi, on_handled: Callable[[int], None]) -> Any:
    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_chat is not None and update.effective_message is not None
        await context.bot.send_message(update.effective_chat.id, update.effective_message.text or "")
        on_handled(update.update_id)

    application = Application.builder().token(TOKEN).base_url(f"{fake.root}/bot").build()
    application.add_handler(MessageHandler(filters.TEXT, echo))
    return application


def measure(fake: FakeBotApi, make: Callable[[Callable[[int], None]], Any], updates: int, latency: int,
            first_user: int) -> tuple[float, list[float]]:
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
        for i in range(latency):
            pushed = time.perf_counter()
            update_id = fake.push_text(first_user + updates + i + 1, QUESTIONS[i % len(QUESTIONS)])
            bot.wait(update_id, timeout=60)
            times.append(finished[update_id] - pushed)
    return rate, times


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--updates", type=int, default=300)
    parser.add_argument("--latency", type=int, default=100)
    parser.add_argument("--db", default="")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, FakeBotApi() as fake:
        url = args.db or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        settings = Settings.from_env(db=url).with_(telegram_token=TOKEN, telegram_api_base_url=fake.root,
                                                   cache_dir=Path(tmp) / "cache")
        app = App(settings)
        app.matcher.knowledge.index()
        ours = measure(fake, lambda h: build_application(settings, app.engine, on_handled=h,
                                                         flood=FloodGate(limit=10**6)),
                       args.updates, args.latency, 10_000)
        echo = measure(fake, lambda h: echo_application(fake, h), args.updates, args.latency, 20_000)
        app.close()
    print(f"backend: {url.split(':')[0]}; {args.updates} updates in a burst, {args.latency} one at a time")
    print(f"{'':<12}{'updates/s':>12}{'p50 ms':>10}{'p99 ms':>10}")
    for name, (rate, times) in (("whole stack", ours), ("echo bot", echo)):
        print(f"{name:<12}{rate:>12.1f}{percentile(times, 0.5) * 1000:>10.1f}{percentile(times, 0.99) * 1000:>10.1f}")
    print(f"ratio (whole stack / echo): throughput {ours[0] / echo[0]:.2f}, "
          f"p50 latency {percentile(ours[1], 0.5) / percentile(echo[1], 0.5):.1f}x")


if __name__ == "__main__":
    main()
