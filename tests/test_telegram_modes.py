"""Webhook mode with its secret, the flood limit, the morning digest."""

from __future__ import annotations

import threading
import time
from datetime import date

import httpx
from sqlalchemy import select

from bot.dialogue.models import InboxUpdate, OutboxMessage
from bot.tickets.clock import FixedClock
from handlers.telegram.app import build_application
from handlers.telegram.channel import FloodGate
from tests.dialogue_helpers import STAFF, make_app
from tests.ports import free_port
from tests.telegram_fake import TOKEN, FakeBotApi, PollingBot, on_handled_events

CITIZEN = 1001




def test_webhook_refuses_requests_without_the_secret(sqlite_url: str) -> None:
    port = free_port()
    with FakeBotApi() as fake:
        app = make_app(sqlite_url, telegram_token=TOKEN, telegram_api_base_url=fake.root,
                       telegram_webhook_url=f"http://127.0.0.1:{port}/hook", telegram_webhook_secret="s3cret",
                       telegram_port=port)
        done, handled = on_handled_events()
        runtime = build_application(app.settings, app.engine, on_handled=handled)
        update = {"update_id": 1, "message": {"message_id": 1, "date": 0, "chat": {"id": CITIZEN, "type": "private"},
                                              "from": {"id": CITIZEN, "is_bot": False, "first_name": "u"},
                                              "text": "/start"}}
        url = f"http://127.0.0.1:{port}/hook"
        with PollingBot(fake, runtime, done):  # webhook mode: the settings name a webhook URL
            for _ in range(100):
                try:
                    refused = httpx.post(url, json=update)
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            wrong = httpx.post(url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "s3cre"})
            accepted = httpx.post(url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret"})
            with app.db.session() as session:  # stored before the 200
                stored = session.get(InboxUpdate, ("telegram", 1))
                assert stored is not None and stored.status == "done"
            again = httpx.post(url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret"})
            assert done.setdefault(1, threading.Event()).wait(30)
        app.close()
    assert refused.status_code == 403 and wrong.status_code == 403
    assert accepted.status_code == 200 and again.status_code == 200  # delivered twice: acknowledged twice …
    assert fake.sent("setWebhook")[0]["secret_token"] == "s3cret"
    assert len([p for p in fake.sent() if "公开助手" in p["text"]]) == 1  # … handled once


def test_webhook_mode_refuses_to_start_without_a_secret(sqlite_url: str) -> None:
    import io

    from handlers.telegram.app import run_telegram

    app = make_app(sqlite_url, telegram_token=TOKEN, telegram_webhook_url="https://bot.example.gov.cn/hook")
    err = io.StringIO()
    assert run_telegram(app, err) == 2
    assert err.getvalue().count("\n") == 1 and "TELEGRAM_WEBHOOK_SECRET" in err.getvalue()
    app.close()


def test_a_flood_gets_one_polite_message_then_silence(sqlite_url: str) -> None:
    with FakeBotApi() as fake:
        app = make_app(sqlite_url, telegram_token=TOKEN, telegram_api_base_url=fake.root)
        done, handled = on_handled_events()
        application = build_application(app.settings, app.engine, on_handled=handled, flood=FloodGate(limit=3))
        with PollingBot(fake, application, done) as bot:
            for _ in range(6):
                bot.say(CITIZEN, "/privacy")
        app.close()
    texts = [p["text"] for p in fake.sent()]
    assert sum("个人信息说明" in t for t in texts) == 3
    assert sum("太频繁" in t for t in texts) == 1 and len(texts) == 4


def test_the_digest_is_queued_once_a_day_across_workers(sqlite_url: str) -> None:
    clock = FixedClock.on(date(2026, 3, 2), hour=9)
    app = make_app(sqlite_url, clock, staff_chat_id="-100")
    from bot.dialogue.engine import Engine
    from bot.tickets.service import TicketService
    from tests.ticket_helpers import CALENDAR, form

    with app.db.session() as session:
        TicketService(app.settings, CALENDAR, clock).register_request(session, STAFF, channel="counter", form=form())
    second_worker = Engine(app.settings, app.db.session, lambda: app.matcher, clock)
    clock.advance(days=30)
    assert app.engine.digest() is True
    assert second_worker.digest() is False
    with app.db.session() as session:
        digests = [m.text for m in session.scalars(select(OutboxMessage)) if "工单提醒" in m.text]
    assert len(digests) == 1
    assert "2026-04-01 工单提醒" in digests[0] and "已逾期：\n2026-000001" in digests[0]
    assert "等待申请人补正：无" in digests[0]
    app.close()


def test_run_without_a_token_is_one_line(cli) -> None:  # type: ignore[no-untyped-def]
    status, out, err = cli("run")
    assert status == 2 and out == ""
    assert err.strip().count("\n") == 0 and "TELEGRAM_BOT_TOKEN" in err


def test_an_unreachable_bot_api_gets_one_plain_line_not_a_traceback(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os
    import subprocess
    import sys

    env = {**os.environ, "GONGKAI_DATA_DIR": str(tmp_path / "d"), "GONGKAI_CACHE_DIR": str(tmp_path / "c"),
           "TELEGRAM_BOT_TOKEN": "123:abc", "TELEGRAM_API_BASE_URL": "http://127.0.0.1:9"}
    env.pop("DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-m", "bot", "run"], capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=120)
    assert done.returncode == 1
    assert "无法连接 Telegram" in done.stderr and "Traceback" not in done.stderr
