"""Delivery to Telegram by kind of error, against the fake Bot API: every message through the outbox,
retried on 5xx, failed on 400, moved with a migrated group, sent in parts, split by Telegram's count."""

from __future__ import annotations

from sqlalchemy import select

from bot.app import App
from bot.dialogue.models import ChatMove, OutboxMessage
from bot.tickets.models import TicketEvent
from handlers.telegram.app import build_application
from handlers.telegram.render import split, units
from tests.dialogue_helpers import make_app
from tests.telegram_fake import TOKEN, FakeBotApi, PollingBot, on_handled_events

CITIZEN, CLERK, GROUP, SUPERGROUP = 1001, 2001, -100, -1009


def _running(db_url: str, fake: FakeBotApi, **settings: str) -> tuple[App, PollingBot]:
    app = make_app(db_url, staff=str(CLERK), telegram_token=TOKEN, telegram_api_base_url=fake.root, **settings)
    done, handled = on_handled_events()
    return app, PollingBot(fake, build_application(app.settings, app.engine, on_handled=handled), done)


def _texts(fake: FakeBotApi, chat: int) -> list[str]:
    return [str(p["text"]) for p in fake.sent() if int(p["chat_id"]) == chat]


def _rows(app: App) -> list[OutboxMessage]:
    with app.db.session() as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_an_answer_refused_with_500_is_sent_again(db_url: str) -> None:
    with FakeBotApi() as fake:
        app, bot = _running(db_url, fake)
        with bot:
            fake.failures[f"sendMessage:{CITIZEN}"] = [500]
            bot.say(CITIZEN, "/privacy")
        rows = _rows(app)
        app.close()
    assert ("sendMessage", 500) in fake.failed
    assert sum("个人信息说明" in t for t in _texts(fake, CITIZEN)) == 1  # not lost, not doubled
    assert [(r.key, r.status, r.attempts) for r in rows] == [("reply:telegram:1:0", "sent", 2)]


def test_a_400_fails_the_message_with_its_reason_and_the_queue_moves_on(db_url: str) -> None:
    refused = {"code": 400, "description": "Bad Request: can't parse entities"}
    with FakeBotApi() as fake:
        app, bot = _running(db_url, fake, staff_chat_id=str(GROUP))
        with bot:
            bot.say(CITIZEN, "明天会下雨吗？")
            bot.say(CITIZEN, "2")  # 转人工: 2026-000001
            fake.failures[f"sendMessage:{CITIZEN}"] = [refused]
            bot.say(CLERK, "/reply 2026-1 第一次答复")
            bot.say(CLERK, "/reply 2026-1 第二次答复")
        rows = {r.text.rsplit("\n", 1)[-1]: r for r in _rows(app) if r.chat_id == str(CITIZEN)}
        with app.db.session() as session:
            events = session.scalars(select(TicketEvent.data).where(TicketEvent.action == "undelivered")).all()
        app.close()
    assert rows["第一次答复"].status == "failed" and rows["第一次答复"].error == "Can't parse entities"
    assert rows["第二次答复"].status == "sent" and rows["第一次答复"].attempts == 1  # never retried
    assert [e["result"] for e in events] == ["failed"]
    assert any("Telegram 拒收（Can&#x27;t parse entities）" in t or "Telegram 拒收（Can't parse entities）" in t
               for t in _texts(fake, GROUP))


def test_a_group_that_became_a_supergroup(db_url: str) -> None:
    moved = {"code": 400, "description": "Bad Request: group chat was upgraded to a supergroup chat",
             "parameters": {"migrate_to_chat_id": SUPERGROUP}}
    with FakeBotApi() as fake:
        app, bot = _running(db_url, fake, staff_chat_id=str(GROUP))
        with bot:
            fake.failures[f"sendMessage:{GROUP}"] = [moved]
            bot.say(CITIZEN, "明天会下雨吗？")
            bot.say(CITIZEN, "2")  # a card for the group: sent to the supergroup
            bot.say(CITIZEN, "明天会下雨吗？")
            bot.say(CITIZEN, "2")  # the next card goes there directly
            before = len(fake.calls)
            bot.wait(fake.push_text(CLERK, "这件我来办", chat=SUPERGROUP))  # staff talk in the new group
            assert len(fake.calls) == before
        with app.db.session() as session:
            moves = [(m.old_chat_id, m.new_chat_id) for m in session.scalars(select(ChatMove))]
        app.close()
    cards = [t for t in _texts(fake, SUPERGROUP) if "新工单" in t]
    assert len(cards) == 2 and not any("新工单" in t for t in _texts(fake, GROUP))
    assert moves == [(str(GROUP), str(SUPERGROUP))]


def test_a_retry_sends_only_the_parts_not_yet_delivered(db_url: str) -> None:
    with FakeBotApi() as fake:
        app, bot = _running(db_url, fake, staff_chat_id=str(GROUP))
        with bot:
            bot.say(CITIZEN, "明天会下雨吗？")
            bot.say(CITIZEN, "2")
            fake.failures[f"sendDocument:{CITIZEN}"] = [502]
            bot.wait(fake.push_document(CLERK, "BQAD-1", "答复.pdf", caption="/reply 2026-1 见附件"))
        app.close()
    assert sum("见附件" in t for t in _texts(fake, CITIZEN)) == 1  # the text once, though the file failed once
    assert [d["document"] for d in fake.sent("sendDocument")] == ["BQAD-1"]


def test_an_answer_lost_on_the_way_back_is_sent_once_more_and_counted(db_url: str) -> None:
    with FakeBotApi() as fake:
        app, bot = _running(db_url, fake)
        with bot:
            fake.drops[f"sendMessage:{CITIZEN}"] = [1]
            bot.say(CITIZEN, "/privacy")
        rows = _rows(app)
        app.close()
    assert len(fake.dropped) == 1
    assert sum("个人信息说明" in t for t in _texts(fake, CITIZEN)) == 2  # the one duplicate allowed …
    assert [(r.status, r.unknown) for r in rows] == [("sent", 1)]  # … and counted


def test_characters_the_database_refuses_are_dropped_at_the_door(db_url: str) -> None:
    with FakeBotApi() as fake:
        app, bot = _running(db_url, fake)
        with bot:
            bot.say(CITIZEN, "/apply")
            bot.say(CITIZEN, "张\x00三\ud800")
            bot.say(CITIZEN, "区长信箱\x00收到多少封来信？")
        app.close()
    texts = _texts(fake, CITIZEN)
    assert "2. 申请人类型" in texts[2] or any("申请人类型" in t for t in texts)
    assert not any("\x00" in t for t in texts)


def test_a_long_message_is_split_by_utf16_code_units() -> None:
    text = "😀" * 3000 + "\n" + "字" * 100  # each emoji is two UTF-16 code units
    pieces = split(text)
    assert all(units(p) <= 4096 for p in pieces) and len(pieces) == 2
    assert "".join(pieces).replace("\n", "") == text.replace("\n", "")
