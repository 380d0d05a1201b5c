"""What the applicant reads in the chat: the receipt, the fee notice, dates in years not yet known."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest

from bot.app import App
from bot.tickets.clock import FixedClock
from tests.dialogue_helpers import CITIZEN, RESIDENT_ID, STAFF, SUPERVISOR, make_app, session

FORM = ["/apply", "张三", "1", "1", RESIDENT_ID, "13812345678", "zhang.san@example.com", "1",
        "鹤城区2025年财政预算", "2", "1", "1"]
FAR = date(2099, 11, 2)  # a Monday in a year no release of chinese-calendar knows


@pytest.fixture
def app(db_url: str) -> Iterator[App]:
    app = make_app(db_url)
    yield app
    app.close()


@pytest.fixture
def far_app(db_url: str) -> Iterator[App]:
    app = make_app(db_url, FixedClock.on(FAR))
    yield app
    app.close()


def test_the_receipt_says_received_with_the_date_and_how_it_was_fixed(app: App) -> None:
    out = session(app, FORM, user=CITIZEN)
    assert "您的申请已收到。" in out and "受理" not in out
    assert "收到申请之日：2026-03-02（通过互联网渠道提交的申请，以双方确认之日为收到申请之日；" in out
    assert "《条例》第三十一条第（三）项" in out
    status = session(app, ["/status", "/status 2026-1"], user=CITIZEN)
    assert "2026-000001 政府信息公开申请：已收到" in status and "状态：已收到" in status
    assert "受理" not in status


def test_the_fee_notice_cites_the_measures_and_calls_the_pause_local(app: App) -> None:
    session(app, FORM, user=CITIZEN)
    session(app, ["/fee 2026-1 100"], staff=STAFF)
    out = session(app, [], user=CITIZEN)
    notice = out[out.index("您的申请（编号 2026-000001）需缴纳"):]
    assert "需缴纳信息处理费 100.00 元" in notice
    assert "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）" in notice
    assert not re.search(r"办法》（国办函〔2020〕109号）第", notice)  # cited as a whole, no invented article
    assert "请在 2026-03-30 前缴纳（收到本通知次日起 20 个工作日内）；缴费期间答复期限暂停计算。" in notice
    assert "缴费期限和暂停计算是本机关参照省级落实文件的地方做法，不是《条例》的规定" in notice
    assert "（《条例》第四十二条），请在" not in notice  # the old text cited 第四十二条 for the pause


def test_dates_beyond_the_known_years_are_provisional_in_every_notice(far_app: App) -> None:
    for _ in range(3):
        session(far_app, FORM, user=CITIZEN)
    session(far_app, ["/extend 2099-1 20 需调取档案", "/correction 2099-2 请写明文号", "/fee 2099-3 100"], staff=STAFF)
    session(far_app, ["/approve 2099-1"], staff=SUPERVISOR)
    out = session(far_app, [], user=CITIZEN)
    extension = next(line for line in out.splitlines() if "答复期限延长 20 个工作日" in line)
    assert "新的答复期限为 2099-12-28（暂定）" in extension
    correction = next(line for line in out.splitlines() if "前补正" in line)
    assert re.search(r"请在 2099-\d\d-\d\d（暂定） 前补正", correction)
    fee = next(line for line in out.splitlines() if "前缴纳" in line)  # the second line of the fee notice
    assert "请在 2099-11-30（暂定） 前缴纳" in fee
    assert out.count("标“暂定”的日期所在年份的节假日安排尚未载入") == 3
    desk = session(far_app, ["/ticket 2099-3"], staff=STAFF)  # staff see the same marks
    assert "信息处理费：2099-11-02 起，期限 2099-11-30（暂定），尚未结束" in desk
    assert "期限：2099-11-30（暂定）" in desk and "答复期限：2099-12-28（暂定）" in desk


def test_the_receipt_marks_and_explains_a_provisional_due_date(far_app: App) -> None:
    out = session(far_app, FORM, user=CITIZEN)
    assert "答复期限：2099-11-30（暂定）" in out
    assert "标“暂定”的日期所在年份的节假日安排尚未载入" in out
