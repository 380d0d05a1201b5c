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


def _chat(tmp_path: Path, lines: str, *extra: str) -> str:
    env = {**os.environ, "GONGKAI_DATA_DIR": str(tmp_path / "data"), "GONGKAI_CACHE_DIR": str(tmp_path / "c")}
    env.pop("DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-m", "bot", *extra, "chat"], input=lines, capture_output=True,
                          text=True, encoding="utf-8", env=env, timeout=120)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    return done.stdout


def test_how_to_apply_is_answered_and_the_form_is_one_number_away(tmp_path: Path) -> None:
    out = _chat(tmp_path, "咋申请政府信息公开啊\n1\n")
    assert "书面" in out and "在线提交申请" in out
    assert "申请人" in out.split("在线提交申请", 1)[1]  # pressing 1 opened the guided form's first step


def test_an_ambiguous_question_offers_numbered_choices_and_a_number_asks_one(tmp_path: Path) -> None:
    reports = Path(__file__).parent / "data" / "reports"
    db = tmp_path / "amb.sqlite3"
    for agency in ("甲县公安局", "乙县公安局"):
        subprocess.run([sys.executable, "-m", "bot", "--db", str(db), "ingest", str(reports / "09_hongze_2023.txt"),
                        "--agency", agency, "--year", "2023", "--title", f"{agency}2023年政府信息公开工作年度报告"],
                       check=True, capture_output=True)
    out = _chat(tmp_path, "公安局2023年收到多少件政府信息公开申请？\n2\n", "--db", str(db))
    assert "请选择" in out and "甲县公安局" in out and "乙县公安局" in out
    after = out.split("请选择", 1)[1]
    second = after.split("[2] ", 1)[1][:5]  # the agency of choice 2
    assert f"{second}2023年政府信息公开工作年度报告表三" in after  # choice 2 was answered


def test_a_complaint_gets_one_answer_pointing_to_12345(tmp_path: Path) -> None:
    out = _chat(tmp_path, "楼下装修噪音太大了怎么投诉\n")
    assert "12345" in out and "没有把握" not in out
