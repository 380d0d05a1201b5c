"""The knowledge page through HTTP: unanswered questions (masked, kept for a set time), teaching the guide
in every process, undo, uploading a report."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.answers import answer_question
from bot.app import App
from bot.questions import UnansweredQuestion
from bot.settings import Settings
from bot.tickets.clock import FixedClock
from bot.tickets.models import TicketEvent
from knowledge.guide_edits import GuideEdit
from tests.dialogue_helpers import CITIZEN, STAFF
from tests.dialogue_helpers import session as chat
from tests.web_helpers import ADMIN, console_app, post, signed_in

DATA = Path(__file__).parent / "data"
KNOWLEDGE = "/staff/knowledge"
TAUGHT = "律师代理要准备哪些东西"
ASKED = f"我打电话13812345678问过，身份证110105194912310021，{TAUGHT}？"


def kept(app: App) -> list[UnansweredQuestion]:
    with app.db.session() as session:
        return list(session.scalars(select(UnansweredQuestion)))


def test_an_unanswered_question_is_kept_masked_without_who_asked(app: App, clock: FixedClock) -> None:
    chat(app, [ASKED, "区长信箱收到多少封来信？"], user=CITIZEN)
    rows = kept(app)
    assert [r.text for r in rows] == [f"我打电话138****5678问过，身份证110*************21，{TAUGHT}？"]
    assert rows[0].channel == "terminal" and not hasattr(rows[0], "user_id")
    page = signed_in(app, clock).get(KNOWLEDGE)
    assert "138****5678" in page.text and "13812345678" not in page.text and "110105194912310021" not in page.text
    assert "保存 90 天后自动删除" in page.text


def test_questions_are_deleted_after_the_retention_period(sqlite_url: str, clock: FixedClock) -> None:
    app = console_app(sqlite_url, clock, question_retention_days=30)
    chat(app, [ASKED], user=CITIZEN)
    clock.current += timedelta(days=29)
    assert TAUGHT in signed_in(app, clock).get(KNOWLEDGE).text
    clock.current += timedelta(days=2)
    page = signed_in(app, clock).get(KNOWLEDGE)
    assert TAUGHT not in page.text and "保存 30 天后自动删除" in page.text
    assert kept(app) == []
    app.close()


def test_the_retention_period_cannot_exceed_what_the_privacy_notice_promises() -> None:
    assert Settings.from_env({"QUESTION_RETENTION_DAYS": "90"}).question_retention_days == 90
    with pytest.raises(ValueError, match="QUESTION_RETENTION_DAYS"):
        Settings.from_env({"QUESTION_RETENTION_DAYS": "91"})


def test_a_question_taught_as_a_phrasing_is_answered_in_every_process_until_undone(
        app: App, clock: FixedClock, sqlite_url: str) -> None:
    other = App(Settings.from_env(db=sqlite_url))  # another process on the same database
    try:
        assert not answer_question(other.matcher, TAUGHT + "？").matched
        chat(app, [ASKED], user=CITIZEN)
        c = signed_in(app, clock)
        question = kept(app)[0].id
        bad = post(c, f"{KNOWLEDGE}/phrasing", {"question": str(question), "entry": "g999", "phrasing": TAUGHT},
                   page=KNOWLEDGE)
        assert bad.status_code == 400 and "没有编号为“g999”的条目" in bad.text
        done = post(c, f"{KNOWLEDGE}/phrasing", {"question": str(question), "entry": "g00", "phrasing": TAUGHT},
                    page=KNOWLEDGE)
        assert done.status_code == 303 and kept(app) == []  # the question's text now lives in the guide only
        answer = answer_question(other.matcher, TAUGHT + "？")
        assert answer.matched and answer.kind == "guide" and answer.text.startswith("向掌握该信息的行政机关")
        page = c.get(KNOWLEDGE)
        assert re.search(rf"问法“{TAUGHT}”→ 条目 g00 怎样申请政府信息公开？", page.text)
        edit = re.search(r'name="edit" value="(\d+)"', page.text)
        assert edit is not None
        assert post(c, f"{KNOWLEDGE}/undo", {"edit": edit[1]}, page=KNOWLEDGE).status_code == 303
        assert not answer_question(other.matcher, TAUGHT + "？").matched
        again = post(c, f"{KNOWLEDGE}/undo", {"edit": edit[1]}, page=KNOWLEDGE)
        assert again.status_code == 400 and "已经撤销过了" in again.text
        assert f"已于 2026-03-02 10:00 由 {STAFF} 撤销" in c.get(KNOWLEDGE).text
    finally:
        other.close()
    with app.db.session() as session:
        changes = [e.data for e in session.scalars(select(TicketEvent).where(TicketEvent.action == "guide_changed"))]
    assert [bool(c.get("undone")) for c in changes] == [False, True]


def test_a_new_guide_entry_answers_from_then_on(app: App, clock: FixedClock) -> None:
    c = signed_in(app, clock)
    for data, message in (({"title": "", "basis": "《条例》第二十七条", "answer": "可以。", "asked_as": "x"}, "条目标题"),
                          ({"title": "可以委托律师吗？", "basis": "《条例》第二十七条", "answer": "",
                            "asked_as": "x"}, "答复内容"),
                          ({"title": "可以委托律师吗？", "basis": "《条例》第二十七条", "answer": "可以。",
                            "asked_as": " \n "}, "问法")):
        bad = post(c, f"{KNOWLEDGE}/entry", data, page=KNOWLEDGE)
        assert bad.status_code == 400 and message in bad.text
    with app.db.session() as session:
        assert session.scalar(select(func.count()).select_from(GuideEdit)) == 0
    answer = "可以。公民可以委托律师代为提出政府信息公开申请，需提交授权委托书和双方身份证明（《条例》第二十七条）。"
    done = post(c, f"{KNOWLEDGE}/entry", {"title": "可以委托律师代为申请吗？", "basis": "《条例》第二十七条",
                                           "answer": answer, "asked_as": f"{TAUGHT}\n律师能帮我申请吗"},
                page=KNOWLEDGE)
    assert done.status_code == 303
    found = answer_question(app.matcher, "律师能帮我申请吗")
    assert found.matched and found.text.startswith("可以。公民可以委托律师")
    assert "新条目 s1：可以委托律师代为申请吗？（依据：《条例》第二十七条）" in c.get(KNOWLEDGE).text


def test_dismissing_a_question_deletes_its_text(app: App, clock: FixedClock) -> None:
    chat(app, [ASKED], user=CITIZEN)
    c = signed_in(app, clock)
    assert post(c, f"{KNOWLEDGE}/dismiss", {"question": str(kept(app)[0].id)}, page=KNOWLEDGE).status_code == 303
    assert kept(app) == []


def test_reports_are_uploaded_by_an_administrator_with_the_cli_s_errors(app: App, clock: FixedClock) -> None:
    report = (DATA / "reports" / "11_huaian_2024.txt").read_bytes()
    staff = signed_in(app, clock)
    assert "收录新的年度报告" not in staff.get(KNOWLEDGE).text
    refused = post(staff, f"{KNOWLEDGE}/ingest", page=KNOWLEDGE, files=[("file", ("淮安.txt", report, "text/plain"))])
    assert refused.status_code == 403
    admin = signed_in(app, clock, ADMIN)
    broken = post(admin, f"{KNOWLEDGE}/ingest", page=KNOWLEDGE, files=[("file", ("空.txt", b"   \n", "text/plain"))])
    assert broken.status_code == 400 and "无法收录 空.txt：" in broken.text
    wrong = post(admin, f"{KNOWLEDGE}/ingest", page=KNOWLEDGE, files=[("file", ("a.exe", b"MZ", "x"))])
    assert wrong.status_code == 400 and "类型不能上传" in wrong.text
    done = post(admin, f"{KNOWLEDGE}/ingest", {"year": "2024"}, page=KNOWLEDGE,
                files=[("file", ("淮安.txt", report, "text/plain"))])
    assert done.status_code == 303
    page = admin.get(KNOWLEDGE)
    row = re.search(r"<td>([^<]*淮安[^<]*)<br>.*?</tr>", page.text, re.S)
    assert row is not None and "<td>二、三、四</td>" in row[0] and "一、总体情况" in row[0]
    assert answer_question(app.matcher, "淮安市2024年自然人提出了多少件政府信息公开申请？").matched
