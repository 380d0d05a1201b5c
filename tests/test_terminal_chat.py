"""The terminal chat, driven through a pipe as a user's shell would."""

import os
import subprocess
import sys
from pathlib import Path


def test_chat_answers_each_line_and_exits_cleanly_at_end_of_input(tmp_path: Path) -> None:
    env = {**os.environ, "GONGKAI_DATA_DIR": str(tmp_path / "data"), "GONGKAI_CACHE_DIR": str(tmp_path / "c")}
    env.pop("DATABASE_URL", None)
    lines = "区长信箱收到多少封来信？\n\n明天会下雨吗？\n申請政府資訊公開要多久才有答覆\n"
    done = subprocess.run([sys.executable, "-m", "bot", "chat"], input=lines, capture_output=True,
                          text=True, encoding="utf-8", env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "公开助手" in out  # the welcome
    assert "63" in out and "12345" in out and "20个工作日" in out
    assert (tmp_path / "data" / "gongkai.sqlite3").exists()  # the embedded default database
    assert "Traceback" not in done.stderr
