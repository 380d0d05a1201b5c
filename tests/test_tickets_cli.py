"""The command line: the `deadline` contract, a ticket's life cycle, masking, refusals, holiday files."""

from __future__ import annotations

import json
import logging
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session
from ticket_helpers import EMAIL, PHONE, RESIDENT_ID

from bot.cli import main
from bot.settings import normalize_database_url
from bot.tickets.models import TicketEvent

ROOT = Path(__file__).resolve().parent.parent


def bot(*args: str, db: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot", "--db", db, *args], capture_output=True, text=True,
                          cwd=ROOT, check=False, timeout=120)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["2024-09-27"], {"received": "2024-09-27", "working_days": 20, "due": "2024-10-30", "provisional": False}),
        (["2024-09-27", "--days", "7"],
         {"received": "2024-09-27", "working_days": 7, "due": "2024-10-12", "provisional": False}),
        (["2099-12-01"], {"received": "2099-12-01", "working_days": 20, "due": "2099-12-29", "provisional": True}),
    ],
)
def test_deadline_json_contract(tmp_path: Path, args: list[str], expected: dict[str, object]) -> None:
    result = bot("deadline", *args, "--json", db=str(tmp_path / "d.sqlite3"))
    assert result.returncode == 0, result.stderr
    [line] = result.stdout.splitlines()
    assert json.loads(line) == expected
    assert list(json.loads(line)) == ["received", "working_days", "due", "provisional"]


def test_deadline_text_marks_a_provisional_date(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(tmp_path / "d.sqlite3"), "deadline", "2099-12-01"]) == 0
    out = capsys.readouterr().out
    assert "2099-12-29" in out and "暂定" in out and "2099" in out


def test_holidays_load_makes_a_year_known(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "d.sqlite3")
    schedule = tmp_path / "2099.txt"
    schedule.write_text("year 2099\n2099-12-24..2099-12-25 休 测试假日\n2099-12-26 班\n", encoding="utf-8")
    assert main(["--db", db, "holidays", "load", str(schedule), "--as", "admin"]) == 0
    assert "2099" in capsys.readouterr().out
    assert main(["--db", db, "deadline", "2099-12-01", "--json"]) == 0
    # 12-24 (Thu) and 12-25 (Fri) off, Saturday 12-26 worked: 20 days end on 12-30.
    assert json.loads(capsys.readouterr().out) == {
        "received": "2099-12-01", "working_days": 20, "due": "2099-12-30", "provisional": False}
    schedule.write_text("2099-12-24 休\n", encoding="utf-8")
    assert main(["--db", db, "holidays", "load", str(schedule)]) == 1
    assert "year" in capsys.readouterr().err


def _cli(db: str, *args: str) -> int:
    return main(["--db", db, *args])


def test_life_cycle_is_masked_and_never_logged(db_url: str, caplog: pytest.LogCaptureFixture,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="sqlalchemy.engine")
    assert _cli(db_url, "staff", "add", "li", "--as", "admin") == 0
    assert _cli(db_url, "staff", "add", "wang", "--role", "supervisor", "--as", "admin") == 0
    assert _cli(db_url, "tickets", "new", "--as", "li", "--channel", "post", "--name", "张三",
                "--id-number", RESIDENT_ID, "--phone", PHONE, "--email", EMAIL,
                "--description", "2023年鹤城区财政预算执行情况") == 0
    number = re.findall(r"\d{4}-\d{6}", capsys.readouterr().out)[0]
    for args in (["claim", number], ["note", number, "已电话联系"], ["consult", number, "--party", "agency"],
                 ["consulted", number], ["extend", number, "--days", "10", "--reason", "需调档"]):
        assert _cli(db_url, "tickets", *args, "--as", "li") == 0, args
    assert _cli(db_url, "tickets", "approve", number, "--as", "wang") == 0
    assert _cli(db_url, "tickets", "list", "--open", "--as", "li") == 0
    assert _cli(db_url, "tickets", "show", number, "--as", "li") == 0
    masked = capsys.readouterr().out
    assert "138****5678" in masked and "110*************2X" in masked
    assert _cli(db_url, "tickets", "show", number, "--reveal", "--as", "li") == 0
    revealed = capsys.readouterr().out
    assert RESIDENT_ID in revealed and PHONE in revealed
    assert _cli(db_url, "tickets", "close", number, "disclosed", "--as", "li") == 0
    reply = capsys.readouterr().out
    # Nothing personal in any log line (SQL included) or in what the lists and the reply show.
    assert number in caplog.text  # the ticket layer does log, by number
    for secret in (RESIDENT_ID, PHONE, EMAIL):
        assert secret not in caplog.text
        assert secret not in masked and secret not in reply
    with Session(create_engine(normalize_database_url(db_url))) as session:
        actions = session.scalars(select(TicketEvent.action).where(TicketEvent.ticket_id.is_not(None))).all()
    assert actions == ["created", "claimed", "note", "consultation_started", "consultation_ended",
                       "extension_requested", "extension_approved", "revealed", "closed"]


def test_a_refusal_is_reported_and_recorded(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert _cli(db_url, "tickets", "list", "--as", "mallory") == 1
    assert "mallory" in capsys.readouterr().err
    with Session(create_engine(normalize_database_url(db_url))) as session:
        [event] = session.scalars(select(TicketEvent)).all()
    assert (event.actor, event.action, event.data) == ("mallory", "denied", {"action": "listed", "role": "staff"})


def test_bad_input_is_a_plain_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "d.sqlite3")
    assert _cli(db, "staff", "add", "li") == 0
    assert _cli(db, "tickets", "new", "--as", "li", "--channel", "post", "--name", "张三", "--id-number",
                "110105194912310021", "--phone", PHONE, "--email", EMAIL, "--description", "x") == 1
    err = capsys.readouterr().err
    assert "居民身份证" in err and "110105194912310021" not in err
    assert _cli(db, "tickets", "show", "2020-000009", "--as", "li") == 1
    assert "2020-000009" in capsys.readouterr().err


def test_outcomes_listing(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert _cli(str(tmp_path / "d.sqlite3"), "tickets", "outcomes") == 0
    out = capsys.readouterr().out
    assert "（三）不予公开 1.属于国家秘密" in out and "withdrawn" in out
