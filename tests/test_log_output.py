"""At the default log level (WARNING) what reaches stderr is for the people using the bot, in Chinese:
the libraries' English lines (python-telegram-bot's network retries, httpx, uvicorn) stay out of it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIBRARY_LINES = """
import logging, sys
from bot.app import App
from bot.settings import Settings
App(Settings.from_env(db=sys.argv[1]))
logging.getLogger("telegram.ext.Updater").warning("Network Retry Loop (Polling Updates): Network error. Retrying")
logging.getLogger("telegram.ext.AIORateLimiter").warning("Rate limit hit. Retrying after 3 seconds")
logging.getLogger("httpx").warning("HTTP Request: POST https://api.telegram.org/bot123:abc/getUpdates")
logging.getLogger("uvicorn.error").warning("Invalid HTTP request received.")
logging.getLogger("uvicorn.access").warning('127.0.0.1:5000 - "GET /healthz HTTP/1.1" 200')
"""


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "LOG_LEVEL"}
    return {**env, **extra}


def test_the_terminal_chat_prints_nothing_in_english_on_stderr(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "bot", "--db", str(tmp_path / "c.sqlite3"), "chat", "--user", "bob"],
                            input="/queue\n你好\n", capture_output=True, text=True, cwd=ROOT, env=_env(),
                            timeout=180, check=False)
    assert result.returncode == 0, result.stderr
    assert "仅限登记的工作人员" in result.stdout  # refused, and recorded (tests/test_terminal_journey.py)
    assert result.stderr == ""


def test_library_log_lines_stay_off_stderr_unless_asked(tmp_path: Path) -> None:
    def run(**extra: str) -> str:
        result = subprocess.run([sys.executable, "-c", LIBRARY_LINES, str(tmp_path / "l.sqlite3")],
                                capture_output=True, text=True, cwd=ROOT, env=_env(**extra), timeout=120, check=False)
        assert result.returncode == 0, result.stderr
        return result.stderr

    assert run() == ""
    shown = run(LOG_LEVEL="INFO")  # an operator asking for more sees them
    assert "Network Retry Loop" in shown and "Invalid HTTP request" in shown
