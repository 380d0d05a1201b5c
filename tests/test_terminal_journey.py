"""The scripted journey through the terminal chat: questions, escalation, a request, staff handling."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from bot.app import App
from tests.dialogue_helpers import (
    BAD_CHECK_DIGIT,
    CITIZEN,
    RESIDENT_ID,
    STAFF,
    STRANGER,
    SUPERVISOR,
    make_app,
    session,
)


@pytest.fixture
def app(db_url: str) -> Iterator[App]:
    app = make_app(db_url)
    yield app
    app.close()


FORM = ["/apply", "张三", "1", "1", BAD_CHECK_DIGIT, RESIDENT_ID, "13812345678", "zhang.san@example.com", "1",
        "鹤城区2025年财政预算", "2", "1"]


def test_the_whole_journey(app: App, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    first = session(app, ["区长信箱收到多少封来信？", "1", "明天会下雨吗？", "2", *FORM,
                          "2", "8", "鹤城区2025年财政预算执行情况", "1"], user=CITIZEN)
    assert "63" in first and "[1] 有帮助" in first and "[2] 没解决" in first
    assert "谢谢您的反馈" in first
    assert "12345" in first and "[2] 转人工" in first
    assert "咨询编号 2026-000001" in first
    assert "校验位" in first  # the bad 身份证 is named for what is wrong with it
    assert "110*************2X" in first and RESIDENT_ID not in first  # masked in the review
    assert "所需信息：鹤城区2025年财政预算执行情况" in first  # the edit took
    assert "申请编号：2026-000002" in first and "收到申请之日：2026-03-02" in first
    assert "答复期限：2026-03-30" in first and "第 20 个工作日" in first

    desk = session(app, ["/queue", "/claim 2026-2", "/ticket 2026-2", "/reply 2026-1 您好，区长信箱的来信数见年报第一部分。",
                         "/note 2026-2 已电话联系", "/correction 2026-2 请写明文件名称或文号"], staff=STAFF)
    assert "2026-000002" in desk and "138****5678" in desk and "13812345678" not in desk
    assert RESIDENT_ID not in desk and "已发送给申请人" in desk and "待补正" in desk

    back = session(app, ["1", "《鹤城区2025年财政预算执行情况的报告》"], user=CITIZEN)
    assert "您不在时收到的消息" in back
    assert "区长信箱的来信数见年报第一部分" in back and "请写明文件名称或文号" in back
    assert "已收到您的补正" in back and "2026-03-30" in back  # restarts from today

    asked = session(app, ["/extend 2026-2 需调取档案", "1"], staff=STAFF)
    assert "等待负责人批准" in asked and "需要负责人身份" in asked  # staff may ask, not approve
    approved = session(app, ["/approve 2026-2"], staff=SUPERVISOR)
    assert "已延期" in approved and "2026-04-28" in approved
    closing = session(app, ["/close 2026-2", "2"], staff=STAFF)
    assert "（一）予以公开" in closing and "已办结" in closing

    last = session(app, ["2", "3", "/status", "/status 2026-2"], user=CITIZEN)
    assert "延长 20 个工作日" in last and "予以公开" in last
    assert "[2] 基本满意" in last and "谢谢您的评价" in last and "已经评价过了" in last
    assert RESIDENT_ID not in caplog.text and "13812345678" not in caplog.text  # never in the logs
    assert "2026-000001 咨询：已收到" in last and "2026-000002 政府信息公开申请：已办结" in last


def test_non_staff_are_refused_every_staff_command(app: App) -> None:
    session(app, FORM + ["1"], user=CITIZEN)
    commands = ["/queue", "/ticket 2026-1", "/claim 2026-1", "/reply 2026-1 x", "/note 2026-1 x",
                "/correction 2026-1 x", "/consult 2026-1", "/consulted 2026-1", "/extend 2026-1 x",
                "/approve 2026-1", "/fee 2026-1 10", "/close 2026-1", "/withdrawn 2026-1"]
    out = session(app, [*commands, "/status"], user=STRANGER)
    assert out.count("仅限登记的工作人员") == len(commands)
    assert "您还没有提交过申请或咨询" in out  # nobody sees another person's ticket
    assert "张三" not in out
    as_citizen = session(app, ["/queue"], user=STAFF)  # a staff member's name without --staff is a citizen
    assert "仅限登记的工作人员" in as_citizen


def test_a_restart_in_the_middle_of_the_form_continues_it(app: App) -> None:
    session(app, ["/apply", "李四"], user=CITIZEN)
    out = session(app, ["1", "/cancel"], user=CITIZEN)
    assert "继续您未完成的操作" in out and "2. 申请人类型" in out
    assert "3. 身份证明类型" in out and "已退出" in out


def test_staff_mode_needs_a_registered_name(app: App) -> None:
    import io

    from handlers.terminal import run_terminal_chat

    out = io.StringIO()
    assert run_terminal_chat(app, io.StringIO("/queue\n"), out, staff=STRANGER) == 2
    assert "不是登记的工作人员" in out.getvalue()


def test_help_privacy_and_the_staff_help(app: App) -> None:
    citizen = session(app, ["/start", "3", "/help"], user=CITIZEN)
    assert "[1] 申请政府信息公开" in citizen and "证件号码和电话只有办理人员可见" in citizen
    assert "/apply" in citizen and "工作人员命令" not in citizen
    assert "工作人员命令" in session(app, ["/help"], staff=STAFF)


def test_buttons_of_an_earlier_run_are_offered_again_and_answered_by_number(app: App) -> None:
    from sqlalchemy import func, select

    from bot.dialogue.models import QuestionLog
    from bot.tickets.models import Ticket, TicketEvent

    def questions() -> int:
        with app.db.session() as db:
            return int(db.scalar(select(func.count()).select_from(QuestionLog)) or 0)

    session(app, FORM + ["1"], user=CITIZEN)
    session(app, ["/correction 2026-1 请写明文件名称或文号"], staff=STAFF)
    seen = session(app, [], user=CITIZEN)  # the 补正 notice is shown, then the citizen leaves
    assert "请写明文件名称或文号" in seen and "[1] 提交补正" in seen
    before = questions()
    back = session(app, ["1", "《鹤城区2025年财政预算执行情况的报告》"], user=CITIZEN)
    assert "还在等您回复" in back and "[1] 提交补正" in back  # offered again on the next start
    assert "请输入对申请（编号 2026-000001）的补正内容" in back and "已收到您的补正" in back
    with app.db.session() as db:
        assert db.scalars(select(Ticket.status)).one() == "received"

    session(app, ["/close 2026-1 disclosed"], staff=STAFF)
    assert "[1] 满意" in session(app, [], user=CITIZEN)  # the closing reply with its rating, then gone
    rated = session(app, ["1"], user=CITIZEN)
    assert "还在等您回复" in rated and "谢谢您的评价" in rated
    assert questions() == before  # a rating answer is not a question asked (section 一 figures)
    with app.db.session() as db:
        assert db.scalars(select(TicketEvent.data).where(TicketEvent.action == "rated")).one() == {"rating": "satisfied"}
    assert "还在等您回复" not in session(app, [], user=CITIZEN)  # answered: not offered again
