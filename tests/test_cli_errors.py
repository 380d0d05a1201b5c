"""The command line never shows its user a traceback: every mistake gets one Chinese line and a
non-zero exit status (issue 11)."""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

import bot.db
from bot import texts
from bot.__main__ import register_channels
from bot.cli import build_parser, main
from bot.settings import normalize_database_url
from tests.conftest import POSTGRES_URL, _postgres_database

ROOT = Path(__file__).resolve().parent.parent
# What argparse or Python would print in English; none of it may reach the user.
ENGLISH = re.compile(r"Traceback|Error\b|error:|usage:|invalid choice|invalid \w+ value|are required|"
                     r"expected one argument|unrecognized arguments|choose from|No such file|Is a directory")
CJK = re.compile(r"[\u4e00-\u9fff]")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """`python -m bot …` in-process: (exit status, stdout, stderr); argparse's exit is a status too."""
    capsys.readouterr()
    try:
        status = main(list(argv), channels=register_channels)
    except SystemExit as exc:
        status = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    return status, out, err


def assert_one_chinese_line(status: int, err: str) -> None:
    assert status != 0
    assert not ENGLISH.search(err), err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and CJK.search(lines[0]), err
    assert "程序内部出错" not in err  # a mistake gets its own message, not the last-resort one


def bot_process(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, text=True, cwd=ROOT,
                          check=False, timeout=120, env={**os.environ, **(env or {})})


@pytest.mark.parametrize(("args", "env", "says"), [
    (["deadline", "9999-12-31"], {}, "超出范围"),
    (["deadline", "0001-01-01"], {}, "超出范围"),
    (["deadline", "2024-09-27", "--days", "99999999"], {}, "0 到 366"),
    (["where"], {"LOG_LEVEL": "BOGUS"}, "LOG_LEVEL"),
    (["--db", "mysql://x:secret@y/z", "where"], {}, "只支持 SQLite"),
], ids=["year-9999", "year-1", "days", "log-level", "mysql"])
def test_what_a_user_sees_in_the_terminal(tmp_path: Path, args: list[str], env: dict[str, str], says: str) -> None:
    if args[0] != "--db":
        args = ["--db", str(tmp_path / "d.sqlite3"), *args]
    result = bot_process(*args, env=env)
    assert_one_chinese_line(result.returncode, result.stderr)
    assert says in result.stderr and result.stdout == ""


def test_an_unsupported_database_names_the_supported_ones_and_hides_the_password(capsys) -> None:  # type: ignore[no-untyped-def]
    status, _, err = run(capsys, "--db", "mysql://x:secret@y/z", "documents")
    assert_one_chinese_line(status, err)
    assert "SQLite" in err and "PostgreSQL" in err and "mysql://x:***@y/z" in err and "secret" not in err


@pytest.mark.parametrize("lock", ["EXCLUSIVE", "IMMEDIATE"])
def test_a_database_locked_by_another_process_is_said_to_be_busy(capsys, tmp_path: Path, monkeypatch, lock: str) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "d.sqlite3"
    assert run(capsys, "--db", str(db), "staff", "add", "admin")[0] == 0
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sqlite3, sys\n"
         f"c = sqlite3.connect(sys.argv[1], isolation_level=None); c.execute('BEGIN {lock}')\n"
         "print('locked', flush=True); sys.stdin.read()", str(db)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        monkeypatch.setattr(bot.db, "BUSY_TIMEOUT", 0.2)  # the real wait is 10 s
        # EXCLUSIVE blocks reading too; IMMEDIATE (another writer) only the write of `staff add`.
        status, _, err = run(capsys, "--db", str(db), "staff", "add", "li", "--as", "admin")
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)
    assert_one_chinese_line(status, err)
    assert "正被另一个程序占用" in err and "是否已启动" not in err
    assert run(capsys, "--db", str(db), "staff", "add", "li", "--as", "admin")[0] == 0  # once released


def test_a_postgresql_table_held_by_another_process_is_said_to_be_busy(capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """PostgreSQL waits BUSY_TIMEOUT for a lock (lock_timeout), then the command says so, instead of hanging."""
    if not POSTGRES_URL:
        pytest.skip("TEST_POSTGRES_URL is not set: PostgreSQL variant not run here (CI runs it)")
    for url in _postgres_database():
        assert run(capsys, "--db", url, "staff", "add", "admin")[0] == 0
        monkeypatch.setattr(bot.db, "BUSY_TIMEOUT", 0.5)  # the real wait is 10 s
        holder = create_engine(normalize_database_url(url))
        with holder.connect() as connection:
            connection.execute(text("LOCK TABLE staff IN ACCESS EXCLUSIVE MODE"))  # held until rollback
            started = time.monotonic()
            status, _, err = run(capsys, "--db", url, "staff", "add", "li", "--as", "admin")
            waited = time.monotonic() - started
            connection.rollback()
        holder.dispose()
        assert_one_chinese_line(status, err)
        assert "正被另一个程序占用" in err and waited < 30
        assert run(capsys, "--db", url, "staff", "add", "li", "--as", "admin")[0] == 0  # once released


def test_a_database_of_a_newer_version_is_said_to_be_so_and_left_alone(capsys, db_url: str) -> None:  # type: ignore[no-untyped-def]
    assert run(capsys, "--db", db_url, "staff", "add", "admin")[0] == 0
    engine = create_engine(normalize_database_url(db_url))
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0999'"))
    status, _, err = run(capsys, "--db", db_url, "documents")
    assert_one_chinese_line(status, err)
    assert "0999" in err and "升级" in err and "无法连接" not in err
    with engine.connect() as connection:  # untouched
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0999"
    engine.dispose()


def test_a_missing_column_is_said_to_be_a_schema_mismatch_not_a_connection_failure(capsys, db_url: str) -> None:  # type: ignore[no-untyped-def]
    assert run(capsys, "--db", db_url, "staff", "add", "admin")[0] == 0
    engine = create_engine(normalize_database_url(db_url))
    with engine.begin() as connection:  # as if a migration had been skipped
        connection.execute(text("ALTER TABLE tickets DROP COLUMN referred_agency"))
    engine.dispose()
    status, _, err = run(capsys, "--db", db_url, "tickets", "list", "--as", "admin")
    assert_one_chinese_line(status, err)
    assert "缺少本程序需要的表或列" in err and "无法连接" not in err


def test_argparse_speaks_chinese(capsys) -> None:  # type: ignore[no-untyped-def]
    status, _, err = run(capsys, "tickets", "new")
    assert_one_chinese_line(status, err)
    assert "缺少必需的参数：--channel" in err
    status, _, err = run(capsys, "bogus")
    assert_one_chinese_line(status, err)
    assert "没有“bogus”这个命令" in err and "tickets" in err
    status, _, err = run(capsys, "tickets", "list", "--status", "bogus")
    assert_one_chinese_line(status, err)
    assert "received、awaiting_correction" in err and "TicketStatus" not in err
    status, out, _ = run(capsys, "tickets", "new", "-h")
    assert status == 0 and out.startswith("用法：") and "显示本帮助并退出" in out
    assert "usage:" not in out and "show this help" not in out and "options:" not in out


# --- every command, malformed ----------------------------------------------------------------------


def _commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> Iterator[
        tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """Every command the parser runs (a parser with a handler), with the words that name it."""
    if parser.get_default("handler") is not None:
        yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _commands(sub, (*path, name))


def _fill(action: argparse.Action) -> str:
    """A well-formed value for an argument, so that one other argument can be the malformed one."""
    if action.choices:
        return str(next(iter(action.choices)))
    for value in ("2024-01-02", "1", "x"):
        try:
            if action.type is not None:
                action.type(value)  # type: ignore[operator]
            return value
        except (argparse.ArgumentTypeError, ValueError, TypeError):
            continue
    return "x"


def _refuses(action: argparse.Action, value: str) -> bool:
    if action.choices:
        return value not in action.choices
    try:
        action.type(value)  # type: ignore[misc,operator]
    except (argparse.ArgumentTypeError, ValueError, TypeError):
        return True
    return False


def _malformed(path: tuple[str, ...], parser: argparse.ArgumentParser) -> Iterator[list[str]]:
    positionals = [a for a in parser._actions if not a.option_strings]
    options = [a for a in parser._actions if a.option_strings and a.nargs != 0 and a.dest != "help"]
    required = [a for a in options if a.required]

    def argv(bad: argparse.Action | None = None, value: str = "") -> list[str]:
        words = [*path]
        for a in positionals:
            words.append(value if a is bad else _fill(a))
        for a in required:
            if a is not bad:
                words += [a.option_strings[0], _fill(a)]
        if bad is not None and bad.option_strings:
            words += [bad.option_strings[0], value]
        return words

    yield [*argv(), "--no-such-option"]
    if any(a.nargs in (None, "+") for a in positionals) or required:
        yield [*path]  # the required arguments left out
    for a in [*positionals, *options]:
        typed = a.choices is not None or a.type is not None
        for value in ("bogus", "-1", "9999-12-31", ""):
            if typed and _refuses(a, value):
                yield argv(a, value)
    for a in options:
        if a.nargs in (None, "+"):
            yield [*argv(), a.option_strings[0]]  # an option without its value


def _cases() -> list[list[str]]:
    cases = [words for path, parser in _commands(build_parser(register_channels)) for words in _malformed(path, parser)]
    assert len(cases) > 100 and {c[0] for c in cases} >= {"tickets", "staff", "deadline", "holidays", "ask", "chat"}
    return cases


@pytest.mark.parametrize("words", _cases(), ids=" ".join)
def test_every_command_with_malformed_arguments_says_so_in_one_chinese_line(capsys, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                            words: list[str]) -> None:
    status, _, err = run(capsys, "--db", str(tmp_path / "d.sqlite3"), *words)
    assert_one_chinese_line(status, err)


@pytest.mark.parametrize("words", [
    ["tickets", "show", "not-a-number", "--as", "admin"],
    ["tickets", "close", "2024-1", "no_such_outcome", "--as", "admin"],
    ["tickets", "remedy-result", "99", "--decided", "2024-01-02", "--result", "upheld", "--as", "admin"],
    ["tickets", "list", "--as", "x" * 65],
    ["tickets", "list", "--as", "\x1b]0;x\x07"],
    ["staff", "add", "y" * 65, "--as", "admin"],
    ["staff", "remove", "nobody", "--as", "admin"],
    ["documents", "--fields", "999"],
    ["ingest", "/nonexistent/report.txt"],
    ["ask", "--batch", "{tmp}"],
    ["holidays", "load", "{tmp}", "--as", "admin"],
], ids=lambda w: " ".join(w)[:40])
def test_malformed_values_are_refused_plainly(capsys, tmp_path: Path, words: list[str]) -> None:  # type: ignore[no-untyped-def]
    db = str(tmp_path / "d.sqlite3")
    assert run(capsys, "--db", db, "staff", "add", "admin")[0] == 0
    status, _, err = run(capsys, "--db", db, *[w.format(tmp=tmp_path) for w in words])
    assert_one_chinese_line(status, err)


def test_an_unexpected_error_is_one_line_and_the_traceback_is_logged_at_debug(capsys, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                             monkeypatch: Any) -> None:
    import bot.cli_admin

    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(bot.cli_admin, "list_staff", broken)
    status, _, err = run(capsys, "--db", str(tmp_path / "d.sqlite3"), "staff", "list")
    assert status == 70 and "Traceback" not in err and "RuntimeError" in err
    assert texts.UNEXPECTED_ERROR.split("（")[0] in err


@pytest.mark.parametrize(("english", "chinese"), [
    ("argument --status: invalid choice: 'bogus' (choose from 'received', 'closed')",
     "参数 --status 的值“bogus”无效，可选：received、closed"),
    ("argument --status: invalid choice: 'bogus' (choose from received, closed)",  # newer Pythons
     "参数 --status 的值“bogus”无效，可选：received、closed"),
    ("the following arguments are required: --channel, number", "缺少必需的参数：--channel、number"),
    ("unrecognized arguments: --x y", "无法识别的参数：--x y"),
    ("argument --year: invalid int value: 'x'", "参数 --year 的值“x”无效：应为整数"),
    ("ambiguous option: --d could match --days, --due-soon", "选项 --d 不明确，可能是：--days、--due-soon"),
    ("argument --as: expected one argument", "参数 --as 后面需要一个值"),
    ("argument YYYY-MM-DD: 日期“x”格式不对，应为 YYYY-MM-DD。", "参数 YYYY-MM-DD：日期“x”格式不对，应为 YYYY-MM-DD。"),
    ("a message argparse may add one day", "命令行参数有误（a message argparse may add one day）"),
])
def test_argparse_messages_are_translated(english: str, chinese: str) -> None:
    from bot.cli_args import translate

    assert translate(english) == chinese
