"""The dialogue core on its own: no channel, replies as values, state in the database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from bot.app import App
from bot.dialogue.engine import Engine
from bot.dialogue.messages import MAX_BUTTON_ID, Button, Incoming
from bot.dialogue.models import DialogueState
from bot.tickets.models import Ticket, TicketEvent
from bot.tickets.outcomes import OUTCOMES
from tests.dialogue_helpers import RESIDENT_ID, STAFF, STRANGER, make_app


@pytest.fixture
def app(db_url: str) -> Iterator[App]:
    app = make_app(db_url)
    yield app
    app.close()


def say(engine: Engine, text: str = "", user: str = "u1", button: str | None = None, update: int | None = None,
        channel: str = "telegram") -> list[str]:
    replies = engine.handle(Incoming(channel, user, user, text=text, button=button, update_id=update))
    return [r.text for r in replies]


def test_the_same_update_twice_has_one_effect(app: App) -> None:
    assert any("开始填写" in t for t in say(app.engine, "/apply", update=7))
    assert say(app.engine, "/apply", update=7) == []
    assert any("2. 申请人类型" in t for t in say(app.engine, "张三", update=8))  # the form was not restarted


def test_state_lives_in_the_database_so_a_second_engine_continues(app: App) -> None:
    say(app.engine, "/apply")
    say(app.engine, "张三")
    other = Engine(app.settings, app.db.session, lambda: app.matcher, app.engine.clock)  # a restart, a 2nd worker
    replies = other.handle(Incoming("telegram", "u1", "u1", button="f:applicant_type:natural_person"))
    assert "3. 身份证明类型" in replies[-1].text
    with app.db.session() as session:
        state = session.scalars(select(DialogueState)).one()
        assert state.step == "id_kind" and state.data == {"fields": {"name": "张三", "applicant_type": "natural_person"}}


def test_an_organisation_is_asked_for_its_credit_code(app: App) -> None:
    say(app.engine, "/apply")
    say(app.engine, "某某科技有限公司")
    out = say(app.engine, button="f:applicant_type:commercial")
    assert any("统一社会信用代码" in t for t in out) and "3. 身份证明类型" not in out[-1]
    assert "统一社会信用代码号码" in out[-1]
    assert "统一社会信用代码号码不正确" in say(app.engine, RESIDENT_ID)[0]


def test_contact_is_required_and_delivery_follows_it(app: App) -> None:
    for line in ("/apply", "张三"):
        say(app.engine, line)
    say(app.engine, button="f:applicant_type:natural_person")
    say(app.engine, button="f:id_kind:resident_id")
    say(app.engine, RESIDENT_ID)
    say(app.engine, button="f:skip")
    say(app.engine, button="f:skip")
    out = say(app.engine, button="f:skip")
    assert any("至少提供一种联系方式" in t for t in out) and "5. 联系电话" in out[-1]
    say(app.engine, "0745-2230100")
    say(app.engine, button="f:skip")
    say(app.engine, button="f:skip")
    say(app.engine, "2024年鹤城区政府工作报告")
    replies = app.engine.handle(Incoming("telegram", "u1", "u1", button="f:form:paper"))
    labels = [b.label for b in replies[-1].buttons]
    assert labels == ["当面领取", "在对话中发送"]  # no e-mail, no address: neither e-mail nor post offered


def test_cancel_leaves_any_flow_and_nothing_is_filed(app: App) -> None:
    say(app.engine, "/apply")
    assert say(app.engine, "/cancel") == ["已退出。还有问题可以直接问我。"]
    assert say(app.engine, "/cancel") == ["当前没有进行中的操作。"]
    assert "没有把握" not in "".join(say(app.engine, "张三"))  # a question again, not a form field
    with app.db.session() as session:
        assert session.scalars(select(Ticket)).all() == []


def test_the_close_menu_follows_the_rows_of_table_three(app: App) -> None:
    say(app.engine, "明天会下雨吗？")
    say(app.engine, button="staff")
    for line in ("/apply", "张三"):
        say(app.engine, line)
    for button in ("f:applicant_type:natural_person", "f:id_kind:resident_id"):
        say(app.engine, button=button)
    say(app.engine, RESIDENT_ID)
    say(app.engine, "13812345678")
    say(app.engine, button="f:skip")
    say(app.engine, button="f:skip")
    say(app.engine, "文件")
    say(app.engine, button="f:form:electronic")
    say(app.engine, button="f:delivery:chat")
    say(app.engine, button="f:submit")
    menu = app.engine.handle(Incoming("telegram", STAFF, STAFF, text="/close 2026-2"))[0]
    assert [b.id.rsplit(":", 1)[1] for b in menu.buttons] == list(OUTCOMES)
    assert all(len(b.id.encode()) <= MAX_BUTTON_ID for b in menu.buttons)
    # Codes sharing a row of table 三 are told apart: by name on the button, by article in the menu.
    names = {b.id.rsplit(":", 1)[1]: b.label for b in menu.buttons}
    assert (names["already_public"], names["disclosed"]) == ("已主动公开", "予以公开")
    assert (names["not_held"], names["not_this_agency"]) == ("本机关不掌握", "非本机关负责公开")
    assert len(set(names.values())) == len(OUTCOMES)
    assert "· 已主动公开：（一）予以公开〔第三十六条第（一）项〕" in menu.text
    assert "· 予以公开：（一）予以公开〔第三十六条第（二）项〕" in menu.text
    assert "· 本机关不掌握：（四）无法提供 1.本机关不掌握相关政府信息〔第三十六条第（四）项〕" in menu.text
    assert "· 非本机关负责公开：（四）无法提供 1.本机关不掌握相关政府信息〔第三十六条第（五）项〕" in menu.text
    assert "· 申请人撤回：（六）其他处理 3.其他〔条例无直接条文〕" in menu.text
    enquiry = app.engine.handle(Incoming("telegram", STAFF, STAFF, text="/close 2026-1"))[0]
    assert {b.label for b in enquiry.buttons} == {"已答复", "已引导至相应渠道", "已撤回"}


def test_refusals_are_recorded(app: App) -> None:
    assert say(app.engine, "/queue", user=STRANGER)[0].startswith("该命令仅限")
    assert say(app.engine, button="c:2026-000001:disclosed", user=STRANGER)[0].startswith("该命令仅限")
    with app.db.session() as session:
        denied = session.scalars(select(TicketEvent).where(TicketEvent.action == "denied")).all()
        assert [e.actor for e in denied] == [STRANGER, STRANGER]


def test_button_ids_stay_short() -> None:
    with pytest.raises(ValueError):
        Button("x" * 61, "太长")
