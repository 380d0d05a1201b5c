"""Names and texts from citizens and files never reach a staff member's terminal as control sequences."""

from __future__ import annotations

import io
import re
import sys

import pytest
from ticket_helpers import EMAIL, PHONE, RESIDENT_ID

from bot.terminal_safe import TerminalSafe, strip_controls

# Each would act on a terminal: retitle the window, clear the screen, move the cursor, rewrite a line,
# ring the bell, set the clipboard (OSC 52), or do the same through 8-bit C1 controls.
ATTACKS = {
    "title": "\x1b]0;已被接管\x07",
    "title_st": "\x1b]2;pwned\x1b\\",
    "clear": "\x1b[2J\x1b[H",
    "colour": "\x1b[31;1m",
    "cursor_up": "\x1b[1A\x1b[2K",
    "carriage_return": "\r",
    "bell": "\x07",
    "clipboard": "\x1b]52;c;cm0gLXJmIH4=\x07",
    "c1_csi": "\x9b2J",
    "c1_osc": "\x9d0;title\x9c",
    "backspace": "\x08\x08",
    "charset": "\x1b(0",
    "dcs": "\x1bPq#0;2;0;0;0\x1b\\",
}


@pytest.mark.parametrize("attack", ATTACKS.values(), ids=ATTACKS.keys())
def test_escape_sequences_and_controls_are_removed_whole(attack: str) -> None:
    cleaned = strip_controls(f"张三{attack}李四\n\t第二行")
    assert cleaned == "张三李四\n\t第二行"


def test_plain_text_is_untouched_and_a_stream_writes_through() -> None:
    text = "申请人：张三\t2026-000001\n答复期限 2026-12-18（暂定）【已逾期】"
    assert strip_controls(text) == text
    out = io.StringIO()
    TerminalSafe(out).write("a\x1b[2Jb")
    assert out.getvalue() == "ab"


def _no_controls(text: str) -> bool:
    return not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", text)


def test_tickets_list_and_show_print_a_hostile_name_and_description_harmlessly(cli, sqlite_url: str) -> None:  # type: ignore[no-untyped-def]
    cli("--db", sqlite_url, "staff", "add", "zhou")
    name = "张三" + ATTACKS["title"] + ATTACKS["clear"]
    description = "财政预算" + ATTACKS["cursor_up"] + "\r伪造的一行" + ATTACKS["c1_csi"]
    status, out, err = cli("--db", sqlite_url, "tickets", "new", "--as", "zhou", "--channel", "post", "--name", name,
                           "--id-number", RESIDENT_ID, "--phone", PHONE, "--email", EMAIL, "--description", description)
    assert status == 0, err
    [number] = re.findall(r"\d{4}-\d{6}", out)
    status, listed, _ = cli("--db", sqlite_url, "tickets", "list", "--as", "zhou")
    assert status == 0 and "张三" in listed and _no_controls(listed)
    status, shown, _ = cli("--db", sqlite_url, "tickets", "show", number, "--as", "zhou")
    assert status == 0 and "张三" in shown and "财政预算伪造的一行" in shown and _no_controls(shown)


def test_errors_carrying_what_was_typed_are_cleaned_too(cli, sqlite_url: str) -> None:  # type: ignore[no-untyped-def]
    status, _, err = cli("--db", sqlite_url, "tickets", "show", "2026-1" + ATTACKS["title"], "--as", "x")
    assert status != 0 and _no_controls(err)


def test_the_staff_terminal_chat_prints_a_hostile_question_harmlessly(cli, sqlite_url: str,  # type: ignore[no-untyped-def]
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    cli("--db", sqlite_url, "staff", "add", "zhou")
    _, out, _ = cli("--db", sqlite_url, "tickets", "new", "--as", "zhou", "--kind", "enquiry", "--channel",
                    "counter", "--question", "怎样申请" + ATTACKS["clipboard"] + ATTACKS["title"] + "公开？")
    [number] = re.findall(r"\d{4}-\d{6}", out)
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"/ticket {number}\n"))
    status, shown, err = cli("--db", sqlite_url, "chat", "--staff", "zhou")
    assert status == 0, err
    assert "怎样申请公开" in shown and _no_controls(shown)
