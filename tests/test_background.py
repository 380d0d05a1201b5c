"""The background work outside the Telegram worker: `python -m bot worker`, and the web server's lifespan."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, select
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from bot.dialogue.models import OutboxMessage, ScheduledRun
from handlers.web.server import create_app, running

ROOT = Path(__file__).parents[1]


def test_the_worker_command_does_the_daily_jobs_and_stops_on_sigterm(sqlite_url: str, tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": sqlite_url, "STAFF_CHAT_ID": "-100", "DIGEST_TIME": "00:00",
           "GONGKAI_DATA_DIR": str(tmp_path / "d"), "GONGKAI_CACHE_DIR": str(tmp_path / "c")}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    worker = subprocess.Popen([sys.executable, "-m", "bot", "worker"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, encoding="utf-8")
    engine = create_engine(sqlite_url)
    try:
        for _ in range(300):
            time.sleep(0.1)
            try:
                with engine.connect() as conn:
                    if conn.scalar(select(OutboxMessage.key).where(OutboxMessage.key.like("digest:%"))):
                        break
            except Exception:  # noqa: BLE001 - not migrated yet
                continue
        worker.send_signal(signal.SIGTERM)
        out, err = worker.communicate(timeout=60)
        with engine.connect() as conn:
            jobs = sorted(conn.scalars(select(ScheduledRun.job)))
    finally:
        engine.dispose()
        if worker.poll() is None:
            worker.kill()
    assert worker.returncode == 0, err
    assert "后台任务已启动" in out and "Traceback" not in err
    assert jobs == ["digest", "housekeeping", "sweep"]  # the digest waits in the outbox for a Telegram sender


def test_the_web_application_runs_its_background_work_while_it_serves() -> None:
    seen: list[str] = []

    async def work(stop: asyncio.Event) -> None:
        seen.append("started")
        await stop.wait()
        seen.append("stopped")

    app = create_app(routes=[Route("/ping", lambda _r: PlainTextResponse("pong"))], lifespans=[running(work)])
    with TestClient(app) as client:
        assert client.get("/ping").text == "pong"
        time.sleep(0.05)
        assert seen == ["started"]
    assert seen == ["started", "stopped"]
