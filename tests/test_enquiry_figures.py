"""Section 一 figures: questions logged by the dialogue core, enquiries, 办结率, 满意率; `/report Y` in the chat."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect, select

from bot import agency
from bot.app import App
from bot.dialogue.messages import Incoming, Reply
from bot.dialogue.models import QuestionLog
from bot.stats import chart
from bot.stats.report import build_report
from bot.tickets.clock import SHANGHAI, FixedClock
from bot.tickets.models import Ticket, TicketEvent
from handlers.terminal import run_terminal_chat
from tests.dialogue_helpers import STAFF, STRANGER, SUPERVISOR, make_app

ANSWERED = "区长信箱收到多少封来信？"  # the bundled report answers it
UNANSWERED = "明天会下雨吗？"  # out of scope: a question the bot does not answer


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock.on(date(2024, 12, 31))


@pytest.fixture
def app(db_url: str, clock: FixedClock) -> Iterator[App]:
    app = make_app(db_url, clock)
    yield app
    app.close()


def at(clock: FixedClock, day: date, hour: int, minute: int = 0) -> None:
    clock.current = datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI).astimezone(UTC)


def handle(app: App, user: str, text: str = "", button: str | None = None, channel: str = "telegram") -> list[Reply]:
    return app.engine.handle(Incoming(channel, user, user, text=text, button=button))


def ask_and_escalate(app: App, user: str, question: str) -> str:
    handle(app, user, question)
    reply = handle(app, user, button="staff")[0].text
    with app.db.session() as session:
        return session.scalars(select(Ticket.number).order_by(Ticket.id.desc())).first() or reply


def close_answered(app: App, number: str) -> None:
    handle(app, STAFF, f"/reply {number} 您好，答复如下。")
    handle(app, STAFF, f"/close {number} answered")


def rate(app: App, user: str, number: str, code: str) -> None:
    app.engine.pending("telegram", user)  # the closing reply (with the rating buttons) is queued
    assert "谢谢您的评价" in handle(app, user, button=f"rate:{number}:{code}")[0].text


def figures(app: App, year: int) -> dict[str, Any]:
    with app.db.session() as session:
        return build_report(session, year)


def test_questions_are_logged_without_text_or_user(app: App, clock: FixedClock) -> None:
    handle(app, "alice", ANSWERED)
    handle(app, "bob", UNANSWERED, channel="terminal")
    handle(app, "alice", "你好")  # a greeting is not a question
    handle(app, "alice", "/help")  # nor is a command
    with app.db.session() as session:
        rows = session.scalars(select(QuestionLog).order_by(QuestionLog.id)).all()
        assert [(r.channel, r.matched) for r in rows] == [("telegram", True), ("terminal", False)]
        assert rows[0].score > rows[1].score >= 0
        assert all(r.asked_at.replace(tzinfo=r.asked_at.tzinfo or UTC) == clock.now() for r in rows)
    columns = {c["name"] for c in inspect(app.db.engine).get_columns("question_log")}
    assert columns == {"id", "channel", "asked_at", "matched", "score"}  # no text, no user or chat id


def test_the_same_update_twice_is_logged_once(app: App) -> None:
    for _ in range(2):
        app.engine.handle(Incoming("telegram", "alice", "alice", text=ANSWERED, update_id=41))
    with app.db.session() as session:
        assert len(session.scalars(select(QuestionLog)).all()) == 1


def test_a_hand_computed_year(app: App, clock: FixedClock) -> None:
    # 2024, Shanghai time: one question at 23:30 on 31 December (still 2024), escalated; not closed in 2024.
    at(clock, date(2024, 12, 31), 23, 30)
    old = ask_and_escalate(app, "carol", UNANSWERED)
    # 2025 starts at 00:00 Shanghai time, 16:00 UTC on 31 December: this question counts in 2025.
    at(clock, date(2025, 1, 1), 0, 30)
    handle(app, "alice", ANSWERED)
    at(clock, date(2025, 3, 3), 10)
    handle(app, "alice", ANSWERED)
    handle(app, "alice", "谢谢")  # not a question
    first = ask_and_escalate(app, "alice", UNANSWERED)
    second = ask_and_escalate(app, "bob", UNANSWERED)
    third = ask_and_escalate(app, "dave", UNANSWERED)
    at(clock, date(2025, 3, 10), 10)
    close_answered(app, old)  # received 2024, answered in 2025: answered by staff in 2025
    close_answered(app, first)
    handle(app, STAFF, f"/close {second} referred")  # closed (已引导), but not "answered"
    rate(app, "carol", old, "unsatisfied")
    rate(app, "alice", first, "satisfied")
    rate(app, "bob", second, "mostly")
    at(clock, date(2026, 1, 5), 10)
    close_answered(app, third)  # received 2025, closed 2026: not closed by 31 December 2025
    rate(app, "dave", third, "satisfied")  # a 2026 rating

    e2025 = figures(app, 2025)["enquiries"]
    # asked: 00:30 1 Jan, 3 Mar answered, 3 escalated (not the thanks) = 5; by the bot: 2.
    # escalated: first, second, third = 3; answered by staff in 2025: old, first = 2.
    # 办结率: first and second of the 3 received in 2025 were closed by 31 December = 2/3.
    # 满意率: 满意 + 基本满意 = 2 of the 3 ratings of 2025.
    assert e2025 == {"questions_asked": 5, "answered_by_bot": 2, "escalated": 3, "answered_by_staff": 2,
                     "closed_rate": 0.6667, "satisfaction_rate": 0.6667}
    e2024 = figures(app, 2024)["enquiries"]
    assert e2024 == {"questions_asked": 1, "answered_by_bot": 0, "escalated": 1, "answered_by_staff": 0,
                     "closed_rate": 0.0, "satisfaction_rate": None}
    e2026 = figures(app, 2026)["enquiries"]
    assert e2026["questions_asked"] == 0 and e2026["answered_by_staff"] == 1 and e2026["satisfaction_rate"] == 1.0
    checks = {c["name"]: c["status"] for c in figures(app, 2025)["checks"] if c["name"].startswith("咨询")}
    assert checks == {"咨询：机器人解答数不超过提问数": "pass", "咨询：办结率在 0 至 100% 之间": "pass",
                      "咨询：满意率在 0 至 100% 之间": "pass"}
    with app.db.session() as session:  # the ratings are the `rated` events
        assert len(session.scalars(select(TicketEvent).where(TicketEvent.action == "rated")).all()) == 4


def test_a_year_before_the_log_began_is_unknown_not_zero(app: App, clock: FixedClock) -> None:
    at(clock, date(2025, 6, 1), 10)
    handle(app, "alice", ANSWERED)
    report = figures(app, 2023)
    assert report["enquiries"] == {"questions_asked": None, "answered_by_bot": None, "escalated": 0,
                                   "answered_by_staff": 0, "closed_rate": None, "satisfaction_rate": None}
    checks = {c["name"]: c for c in report["checks"] if c["name"].startswith("咨询")}
    assert {c["status"] for c in checks.values()} == {"uncertain"}
    assert "尚未开始记录提问" in checks["咨询：机器人解答数不超过提问数"]["detail"]


# --- /report Y --------------------------------------------------------------------------------


def test_report_command_sends_the_xlsx_and_the_docx(app: App, clock: FixedClock) -> None:
    pytest.importorskip("docx")
    try:
        chart._font()
    except chart.ChartFontMissing:
        pytest.skip("no CJK font installed: the docx cannot be made here (CI installs one)")
    at(clock, date(2025, 3, 3), 10)
    handle(app, "alice", ANSWERED)
    with app.db.session() as session:  # the agency's name as an administrator saved it in the console
        agency.seed(session, app.settings.with_(agency_name="鹤城区人民政府办公室"), at=clock.now())
    for user in (STAFF, SUPERVISOR):
        replies = handle(app, user, "/report 2025")
        assert len(replies) == 1 and "2025" in replies[0].text
        names = [d.name for d in replies[0].documents]
        assert names == ["政府信息公开工作年度报告-2025.xlsx", "政府信息公开工作年度报告-2025.docx"]
        xlsx, docx = replies[0].documents
        assert xlsx.content[:2] == b"PK" and docx.content[:2] == b"PK"
    from docx import Document as Docx

    text = "\n".join(p.text for p in Docx(io.BytesIO(docx.content)).paragraphs)
    assert "群众提问 1 个，机器人解答 1 个" in text and "鹤城区人民政府办公室" in text


def test_report_command_without_a_cjk_font_sends_the_xlsx_and_says_why(app: App,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chart, "CJK_FONTS", ("No Such Font SC",))
    replies = handle(app, STAFF, "/report 2024")
    assert [d.name for d in replies[0].documents] == ["政府信息公开工作年度报告-2024.xlsx"]
    assert "未能生成" in replies[0].text and "fonts-wqy-microhei" in replies[0].text


@pytest.mark.parametrize("line", ["/report", "/report 去年", "/report 24", "/report 1999", "/report 2025",
                                  "/report ２０２４", "/report 2024 2025"])
def test_report_command_wants_a_year(app: App, line: str) -> None:
    replies = handle(app, STAFF, line)  # the clock says 2024: 2025 is not a year with a report yet
    assert len(replies) == 1 and replies[0].documents == ()
    assert "用法：/report 年度，例如 /report 2023" in replies[0].text or "2008 至 2024" in replies[0].text


def test_report_command_is_refused_to_others(app: App) -> None:
    replies = handle(app, STRANGER, "/report 2024")
    assert replies[0].text.startswith("该命令仅限") and replies[0].documents == ()
    with app.db.session() as session:
        assert session.scalars(select(TicketEvent).where(TicketEvent.action == "denied")).first() is not None
    as_citizen = app.engine.handle(Incoming("terminal", STAFF, STAFF, text="/report 2024", staff_allowed=False))
    assert as_citizen[0].text.startswith("该命令仅限")


def test_help_lists_report_for_staff_only(app: App) -> None:
    assert "/report" in "\n".join(r.text for r in handle(app, STAFF, "/help"))
    assert "/report" not in "\n".join(r.text for r in handle(app, "alice", "/help"))


def test_the_terminal_saves_the_files(app: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chart, "CJK_FONTS", ("No Such Font SC",))  # quick: the xlsx alone
    out = io.StringIO()
    folder = tmp_path / "files"
    assert run_terminal_chat(app, io.StringIO("/report 2024\n"), out, staff=STAFF, files=folder) == 0
    saved = folder / "政府信息公开工作年度报告-2024.xlsx"
    assert saved.read_bytes()[:2] == b"PK"
    assert f"已保存为 {saved}" in out.getvalue()
    monkeypatch.chdir(tmp_path)  # without --files: the current directory
    assert run_terminal_chat(app, io.StringIO("/report 2024\n"), io.StringIO(), staff=STAFF) == 0
    assert (tmp_path / "政府信息公开工作年度报告-2024.xlsx").exists()


def test_report_command_on_telegram_sends_the_files(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from handlers.telegram.app import build_application
    from tests.telegram_fake import TOKEN, FakeBotApi, PollingBot, on_handled_events

    monkeypatch.setattr(chart, "CJK_FONTS", ("No Such Font SC",))  # quick: the xlsx and the reason
    clerk, citizen = 2001, 1001
    with FakeBotApi() as fake:
        app = make_app(db_url, staff=str(clerk), telegram_token=TOKEN, telegram_api_base_url=fake.root)
        done, handled = on_handled_events()
        with PollingBot(fake, build_application(app.settings, app.engine, on_handled=handled), done) as bot:
            bot.say(clerk, "/report 2025")
            bot.say(citizen, "/report 2025")
        app.close()
    documents = fake.sent("sendDocument")
    assert [(int(d["chat_id"]), d["filename"]) for d in documents] == [(clerk, "政府信息公开工作年度报告-2025.xlsx")]
    assert documents[0]["content"][:2] == b"PK"
    to_citizen = [p["text"] for p in fake.sent() if int(p["chat_id"]) == citizen]
    assert to_citizen and to_citizen[0].startswith("该命令仅限")


def test_markdown_prints_section_one(app: App, clock: FixedClock, cli: Any) -> None:
    at(clock, date(2025, 3, 3), 10)
    handle(app, "alice", ANSWERED)
    handle(app, "bob", UNANSWERED)
    status, md, _ = cli("--db", app.settings.database_url, "report", "--year", "2025")
    assert status == 0
    assert "## 一、咨询情况" in md and "| 群众提问数 | 2 |" in md and "| 机器人解答数 | 1 |" in md
    assert "| 满意率 | 无法计算 |" in md
