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
from bot.settings import normalize_database_url, os_login
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
    assert main(["--db", db, "staff", "add", "admin"]) == 0  # the first member: an administrator
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
    assert _cli(db_url, "staff", "add", "admin") == 0  # the first member: an administrator
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
    [line] = capsys.readouterr().err.splitlines()
    # The refusal says who was refused, where that name came from, and how to act as someone else.
    assert "“mallory”无权" in line and "取自命令行参数 --as" in line
    assert "--as NAME" in line and "GONGKAI_STAFF" in line
    with Session(create_engine(normalize_database_url(db_url))) as session:
        [event] = session.scalars(select(TicketEvent)).all()
    assert (event.actor, event.action) == ("mallory", "denied")
    assert event.data == {"action": "listed", "role": "staff", "os_user": os_login()}


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


def _admin_db(cli, tmp_path: Path) -> str:  # type: ignore[no-untyped-def]
    db = str(tmp_path / "h.sqlite3")
    assert cli("--db", db, "staff", "add", "admin")[0] == 0
    return db


def _deadline(cli, db: str, day: str) -> dict[str, object]:  # type: ignore[no-untyped-def]
    status, out, _ = cli("--db", db, "deadline", day, "--json")
    assert status == 0
    return dict(json.loads(out))


def test_a_known_year_is_replaced_only_with_replace(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = _admin_db(cli, tmp_path)
    one_line = tmp_path / "2024.txt"
    one_line.write_text("year 2024\n2024-10-01 休 国庆\n", encoding="utf-8")
    status, out, err = cli("--db", db, "holidays", "load", str(one_line), "--as", "admin")
    assert status == 1
    assert "2024 年已有节假日安排，用文件替换后的改动：" in out
    assert "不再休息（恢复为工作日或普通周末）：" in out and "2024-10-02..2024-10-07" in out
    assert "不再调休上班：" in out and "2024-09-29" in out and "2024-10-12" in out
    assert "没有载入" in err and "--replace" in err
    assert _deadline(cli, db, "2024-09-27")["due"] == "2024-10-30"  # nothing was stored
    status, out, _ = cli("--db", db, "holidays", "load", str(one_line), "--replace", "--as", "admin")
    assert status == 0 and "已替换 2024 年原有的节假日安排" in out and "2024-10-02..2024-10-07" in out
    assert _deadline(cli, db, "2024-09-27")["due"] == "2024-10-28"


def test_a_file_for_an_unknown_year_loads_without_replace_even_with_a_bom(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = _admin_db(cli, tmp_path)
    schedule = tmp_path / "2099.txt"
    schedule.write_bytes("year 2099\n2099-12-24..2099-12-25 休\n".encode("utf-8-sig"))
    status, out, err = cli("--db", db, "holidays", "load", str(schedule), "--as", "admin")
    assert (status, err) == (0, "")
    assert "已载入 2099 年节假日安排" in out and "改动" not in out
    assert _deadline(cli, db, "2099-12-01") == {"received": "2099-12-01", "working_days": 20,
                                               "due": "2099-12-31", "provisional": False}


def test_a_file_with_only_a_year_line_wipes_nothing(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = _admin_db(cli, tmp_path)
    schedule = tmp_path / "2024.txt"
    schedule.write_text("year 2024\n", encoding="utf-8")
    for extra in ([], ["--replace"]):
        status, out, err = cli("--db", db, "holidays", "load", str(schedule), *extra, "--as", "admin")
        assert status == 1 and "第 1 行：2024 年没有任何日期行" in err and "已载入" not in out
    assert _deadline(cli, db, "2024-09-27")["due"] == "2024-10-30"


@pytest.mark.parametrize(
    ("content", "reason"),
    [(None, "文件不存在"), ("year 2099\n2099-12-24 休 圣诞\n".encode("gb18030"), "不是 UTF-8 编码")],
)
def test_holiday_file_errors_are_in_chinese(cli, tmp_path: Path, content: bytes | None, reason: str) -> None:  # type: ignore[no-untyped-def]
    db = _admin_db(cli, tmp_path)
    schedule = tmp_path / "2099.txt"
    if content is not None:
        schedule.write_bytes(content)
    status, out, err = cli("--db", db, "holidays", "load", str(schedule), "--as", "admin")
    assert status == 1 and out == ""
    assert f"无法读取节假日文件 {schedule}：" in err and reason in err
    assert not re.search(r"[A-Za-z]{4,}Error|No such file", err)
    schedule.write_text("year 2099\n2099-12-22 班\n", encoding="utf-8")  # a Tuesday
    status, _, err = cli("--db", db, "holidays", "load", str(schedule), "--as", "admin")
    assert status == 1 and "第 2 行：2099-12-22 是星期二，调休上班日（班）只能是星期六或星期日。" in err
    assert "weekend" not in err and "ValueError" not in err


def test_registering_a_request_says_it_was_received_and_how_the_date_was_fixed(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = _admin_db(cli, tmp_path)
    status, out, _ = cli("--db", db, "tickets", "new", "--as", "admin", "--channel", "post", "--received",
                         "2024-10-08", "--name", "张三", "--id-number", RESIDENT_ID, "--phone", PHONE,
                         "--email", EMAIL, "--description", "2023年鹤城区财政预算执行情况")
    assert status == 0
    assert out.strip() == ("已登记工单 2024-000001：已收到申请，收到申请之日 2024-10-08（以签收之日为收到申请之日；"
                           "平常信函以与申请人确认之日为准，条例第三十一条），答复期限 2024-11-04。")
    status, out, _ = cli("--db", db, "tickets", "list", "--as", "admin")
    assert "已收到" in out and "受理" not in out
