"""The Telegram adapter against the fake Bot API: splitting, escaping, the outbox under failures, the token."""

from __future__ import annotations

import html
import io
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from sqlalchemy import func, select

from bot.app import App
from bot.dialogue.models import OutboxMessage, QuestionLog
from bot.settings import Settings
from bot.tickets.models import Ticket, TicketEvent
from handlers.telegram.app import build_application, run_telegram
from handlers.telegram.render import escape, split
from tests.dialogue_helpers import make_app
from tests.telegram_fake import TOKEN, FakeBotApi, PollingBot, on_handled_events
from tests.ticket_helpers import form

T = TypeVar("T")

CITIZEN, CLERK = 1001, 2001


def _running(db_url: str, fake: FakeBotApi, **settings: str) -> tuple[App, PollingBot]:
    app = make_app(db_url, staff=str(CLERK), telegram_token=TOKEN, telegram_api_base_url=fake.root, **settings)
    done, handled = on_handled_events()
    return app, PollingBot(fake, build_application(app.settings, app.engine, on_handled=handled), done)


def test_split_keeps_every_character_and_never_cuts_an_entity() -> None:
    text = ("第一行 <b>粗体</b> & “引号”\n" * 300) + "&" * 5000
    pieces = split(text)
    assert all(len(p) <= 4096 for p in pieces) and len(pieces) > 2
    joined = "".join(pieces)
    assert "&amp;" in joined and "<b>" not in joined
    assert all(not p.endswith("&am") and not p.endswith("&") for p in pieces)
    assert escape("<a href='x'>&</a>") == "&lt;a href='x'&gt;&amp;&lt;/a&gt;"


def test_a_long_staff_reply_arrives_split_and_escaped(db_url: str) -> None:
    long_text = ("答复内容 <表格> & 附注。" * 400)[:5000]
    with FakeBotApi() as fake:
        app, bot = _running(db_url, fake)
        with bot:
            bot.say(CITIZEN, "明天会下雨吗？")
            bot.say(CITIZEN, "2")  # 转人工
            bot.say(CLERK, f"/reply 2026-1 {long_text}")
        app.close()
    to_citizen = [p["text"] for p in fake.sent() if int(p["chat_id"]) == CITIZEN]
    notice = to_citizen[[i for i, t in enumerate(to_citizen) if "咨询编号" in t][0] + 1:]
    assert len(notice) >= 2 and all(len(t) <= 4096 for t in notice)
    assert "&lt;表格&gt; &amp;" in notice[1]
    assert long_text.strip() in html.unescape("".join(notice))


def test_outbox_survives_429_and_5xx_and_records_a_blocked_citizen(db_url: str) -> None:
    with FakeBotApi() as fake:
        app, bot = _running(db_url, fake, staff_chat_id="-100")
        with bot:
            bot.say(CITIZEN, "明天会下雨吗？")
            fake.failures["sendMessage:-100"] = [429]  # the staff card: retried after the pause Telegram asks for
            bot.say(CITIZEN, "2")
            fake.failures[f"sendMessage:{CITIZEN}"] = [502]  # the staff reply: kept in the outbox …
            bot.say(CLERK, "/reply 2026-1 第一次答复")
            bot.say(CLERK, "/note 2026-1 再试")  # … and sent on the next flush
            fake.failures[f"sendMessage:{CITIZEN}"] = [403]  # blocked: undelivered, staff are told
            bot.say(CLERK, "/reply 2026-1 第二次答复")
        with app.db.session() as session:
            statuses = [m.status for m in session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))]
            undelivered = session.scalars(select(TicketEvent).where(TicketEvent.action == "undelivered")).all()
        app.close()
    texts_to = {chat: [p["text"] for p in fake.sent() if int(p["chat_id"]) == chat] for chat in (CITIZEN, -100)}
    assert any("新工单 2026-000001" in t for t in texts_to[-100])
    assert sum("第一次答复" in t for t in texts_to[CITIZEN]) == 1
    assert not any("第二次答复" in t for t in texts_to[CITIZEN])
    assert "undelivered" in statuses and len(undelivered) == 1
    assert sorted(code for _, code in fake.failed) == [403, 429, 502]
    assert any("未能送达申请人" in t for t in texts_to[-100])


def test_a_missing_or_invalid_token_is_one_clear_line(sqlite_url: str, tmp_path: Path) -> None:
    err = io.StringIO()
    app = App(Settings.from_env({}, db=sqlite_url))
    assert run_telegram(app, err) == 2
    assert err.getvalue().count("\n") == 1 and "TELEGRAM_BOT_TOKEN" in err.getvalue()
    with FakeBotApi(token="other:token") as fake:
        err = io.StringIO()
        bad = App(app.settings.with_(telegram_token=TOKEN, telegram_api_base_url=fake.root, staff_chat_id="-1"))
        assert run_telegram(bad, err) == 2
        assert err.getvalue().strip().count("\n") == 0 and "令牌无效" in err.getvalue()
        assert "Traceback" not in err.getvalue()
    app.close()


def _eventually(probe: Callable[[], T | None], timeout: float = 20.0) -> T:
    """What `probe` finds once it finds it (outbox deliveries arrive a moment after the update)."""
    deadline = time.monotonic() + timeout
    while True:
        found = probe()
        if found is not None:
            return found
        assert time.monotonic() < deadline, "nothing arrived in time"
        time.sleep(0.05)


def _quiet(fake: FakeBotApi, settle: float = 0.5) -> int:
    """The number of messages sent once nothing more has arrived for `settle` seconds."""
    count = len(fake.sent())
    while True:
        time.sleep(settle)
        now = len(fake.sent())
        if now == count:
            return now
        count = now


def test_staff_reply_to_the_ticket_card_in_the_group(db_url: str) -> None:
    with FakeBotApi() as fake:
        app, bot = _running(db_url, fake, staff_chat_id="-100")
        with bot:
            bot.say(CITIZEN, "明天会下雨吗？")
            bot.say(CITIZEN, "2")
            # (the morning digest went to the group too: the bot started after 09:00)
            # The card leaves through the outbox: wait for it rather than race the sender.
            card = _eventually(lambda: next((p for p in fake.sent() if p["chat_id"] == "-100"
                                             and "新工单" in p["text"]), None))
            assert "新工单 2026-000001" in card["text"] and "claim:2026-000001" in card["reply_markup"]
            quoted = {"message_id": 9, "date": 0, "chat": {"id": -100, "type": "group"},
                      "from": {"id": 999, "is_bot": True, "first_name": "bot"}, "text": card["text"]}
            bot.wait(fake.push_text(CLERK, "会下雨，请带伞。", chat=-100, reply_to=quoted))
            bot.wait(fake.push_text(3003, "我也想回复", chat=-100, reply_to=quoted))
            _eventually(lambda: any("会下雨，请带伞。" in p["text"] for p in fake.sent()) or None)
            before = _quiet(fake)
            bot.wait(fake.push_text(CLERK, "这件我来办", chat=-100))  # talk in the group: the bot keeps quiet
            time.sleep(0.5)
            assert len(fake.sent()) == before
        app.close()
    to_citizen = [p["text"] for p in fake.sent() if int(p["chat_id"]) == CITIZEN]
    assert any("工作人员答复：\n会下雨，请带伞。" in t for t in to_citizen)
    assert not any("我也想回复" in t for t in to_citizen)  # being in the group is not enough


def test_a_reply_with_a_document_and_markup_characters() -> None:
    import asyncio

    from telegram import Bot

    from bot.dialogue.messages import Document, Reply
    from handlers.telegram.sender import send

    async def run(root: str) -> None:
        async with Bot(TOKEN, base_url=f"{root}/bot") as bot:
            await send(bot, CITIZEN, Reply("答复见附件 <附件1> & “说明”", documents=(Document("答复<1>&.txt", "<b>表</b>&".encode()),)))

    with FakeBotApi() as fake:
        asyncio.run(run(fake.root))
    assert fake.sent()[0]["text"] == "答复见附件 &lt;附件1&gt; &amp; “说明”"
    document = fake.sent("sendDocument")[0]
    assert document["filename"] == "答复<1>&.txt" and document["content"] == "<b>表</b>&".encode()


def test_a_citizen_quote_reply_is_their_message_not_a_staff_command(db_url: str) -> None:
    with FakeBotApi() as fake:
        app, bot = _running(db_url, fake, staff_chat_id="-100")
        with app.db.session() as session:
            service = app.engine._service(session)
            for _ in range(2):
                service.register_request(session, str(CLERK), channel="telegram", form=form(), chat_id=str(CITIZEN))
            service.ask_correction(session, str(CLERK), "2026-1", matters="请写明文件名称")
        with bot:
            notice = _eventually(lambda: next((p for p in fake.sent() if int(p["chat_id"]) == CITIZEN
                                               and "补正" in p["text"]), None))
            private = {"id": CITIZEN, "type": "private"}
            quoted = {"message_id": 9, "date": 0, "chat": private,
                      "from": {"id": 999, "is_bot": True, "first_name": "bot"}, "text": notice["text"]}
            bot.wait(fake.push_text(CITIZEN, "我要的是2023年鹤城区预算公开文件", reply_to=quoted))
            receipt = {**quoted, "text": "您的申请已收到，编号 2026-000002。"}
            bot.wait(fake.push_text(CITIZEN, "政府信息公开申请怎么提交？", reply_to=receipt))
            _eventually(lambda: sum(int(p["chat_id"]) == CITIZEN for p in fake.sent()) >= 3 or None)
            _quiet(fake)
        with app.db.session() as session:
            ticket = session.scalars(select(Ticket).where(Ticket.number == "2026-000001")).one()
            assert ticket.status == "received"  # the 补正 arrived: the clock runs again (第三十条)
            actions = session.scalars(select(TicketEvent.action)).all()
            assert "correction_received" in actions and "denied" not in actions
            assert session.scalar(select(func.count()).select_from(QuestionLog)) == 1  # the second: a question
        app.close()
    to_citizen = [p["text"] for p in fake.sent() if int(p["chat_id"]) == CITIZEN]
    assert "已收到您的补正（编号 2026-000001）" in "\n".join(to_citizen)
    assert not any("该命令仅限" in t for t in to_citizen)
