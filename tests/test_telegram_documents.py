"""Staff replies with a file attached, on Telegram: the citizen gets the text and the document by its
file_id (no download), through the outbox; a blocked citizen makes it undelivered as for text."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from bot.app import App
from bot.dialogue.models import OutboxMessage
from bot.tickets.models import TicketEvent
from handlers.telegram.app import build_application
from tests.dialogue_helpers import make_app
from tests.telegram_fake import TOKEN, FakeBotApi, PollingBot, on_handled_events

CITIZEN, CLERK, GROUP = 1001, 2001, -100


def _running(db_url: str, fake: FakeBotApi) -> tuple[App, PollingBot]:
    app = make_app(db_url, staff=str(CLERK), telegram_token=TOKEN, telegram_api_base_url=fake.root,
                   staff_chat_id=str(GROUP))
    done, handled = on_handled_events()
    return app, PollingBot(fake, build_application(app.settings, app.engine, on_handled=handled), done)


def _to(fake: FakeBotApi, chat: int, method: str = "sendMessage") -> list[dict[str, object]]:
    return [p for p in fake.sent(method) if int(str(p["chat_id"])) == chat]


def test_a_staff_reply_with_a_file_reaches_the_citizen_by_file_id(db_url: str) -> None:
    with FakeBotApi() as fake:
        app, bot = _running(db_url, fake)
        with bot:
            bot.say(CITIZEN, "明天会下雨吗？")
            bot.say(CITIZEN, "2")  # 转人工: ticket 2026-000001, a card in the staff group
            # (the morning digest went to the group too: the bot started after 09:00)
            card = next(p for p in fake.sent() if p["chat_id"] == str(GROUP) and "新工单" in p["text"])
            quoted = {"message_id": 9, "date": 0, "chat": {"id": GROUP, "type": "group"},
                      "from": {"id": 999, "is_bot": True, "first_name": "bot"}, "text": card["text"]}
            # In the group, a reply to the card with a file and a caption.
            bot.wait(fake.push_document(CLERK, "BQAD-answer", "答复<书>.pdf", caption="答复见附件 & 说明",
                                        chat=GROUP, reply_to=quoted))
            # A file without a caption: the citizen is told a file came.
            bot.wait(fake.push_document(CLERK, "BQAD-table", "统计表.xlsx", chat=GROUP, reply_to=quoted))
            # `/reply N text` as the caption, in a private chat with the bot.
            bot.wait(fake.push_document(CLERK, "BQAD-third", "补充.docx", caption="/reply 2026-1 补充材料"))
            # A file in the group that answers nothing: ignored like other talk.
            before = len(fake.calls)
            bot.wait(fake.push_document(CLERK, "BQAD-chat", "草稿.docx", chat=GROUP))
            assert len(fake.calls) == before
            bot.say(CLERK, "/ticket 2026-1")
        with app.db.session() as session:
            events = session.scalars(select(TicketEvent).where(TicketEvent.action == "document_sent")
                                     .order_by(TicketEvent.id)).all()
            stored = [m.documents for m in session.scalars(select(OutboxMessage).where(
                OutboxMessage.chat_id == str(CITIZEN), OutboxMessage.documents.is_not(None)).order_by(OutboxMessage.id))]
        app.close()
    texts = [str(p["text"]) for p in _to(fake, CITIZEN)]
    assert any("工作人员答复：\n答复见附件 &amp; 说明" in t for t in texts)
    assert any("工作人员发来文件，请查收" in t for t in texts)
    assert any("工作人员答复：\n补充材料" in t for t in texts)
    documents = _to(fake, CITIZEN, "sendDocument")
    assert [d["document"] for d in documents] == ["BQAD-answer", "BQAD-table", "BQAD-third"]
    assert not any("content" in d for d in documents)  # sent again by file_id: nothing uploaded
    assert stored[0] == [{"name": "答复<书>.pdf", "file_id": "BQAD-answer", "channel": "telegram"}]
    # The history: one event per file, with its name only.
    assert [e.data for e in events] == [{"file": "答复<书>.pdf"}, {"file": "统计表.xlsx"}, {"file": "补充.docx"}]
    assert "BQAD" not in json.dumps([e.data for e in events])
    to_clerk = "\n".join(str(p["text"]) for p in _to(fake, CLERK))
    assert "附文件：补充.docx" in to_clerk
    assert "向申请人发送文件（文件：答复&lt;书&gt;.pdf）" in to_clerk


def test_a_blocked_citizen_makes_the_file_undelivered(db_url: str) -> None:
    with FakeBotApi() as fake:
        app, bot = _running(db_url, fake)
        with bot:
            bot.say(CITIZEN, "明天会下雨吗？")
            bot.say(CITIZEN, "2")
            fake.failures[f"sendDocument:{CITIZEN}"] = [502]  # kept in the outbox, sent on the next flush
            bot.wait(fake.push_document(CLERK, "BQAD-first", "第一份.pdf", caption="/reply 2026-1 第一份"))
            bot.say(CLERK, "/note 2026-1 再试")
            fake.failures[f"sendDocument:{CITIZEN}"] = [403]  # blocked: undelivered, staff are told
            bot.wait(fake.push_document(CLERK, "BQAD-second", "第二份.pdf", caption="/reply 2026-1 第二份"))
        with app.db.session() as session:
            rows = session.scalars(select(OutboxMessage).where(OutboxMessage.chat_id == str(CITIZEN),
                                                               OutboxMessage.documents.is_not(None))
                                   .order_by(OutboxMessage.id)).all()
            statuses = [r.status for r in rows]
            undelivered = session.scalars(select(TicketEvent).where(TicketEvent.action == "undelivered")).all()
        app.close()
    assert [d["document"] for d in _to(fake, CITIZEN, "sendDocument")] == ["BQAD-first"]
    assert statuses == ["sent", "undelivered"] and len(undelivered) == 1
    assert ("sendDocument", 403) in fake.failed and ("sendDocument", 502) in fake.failed
    assert any("未能送达申请人" in str(p["text"]) for p in _to(fake, GROUP))


def test_a_file_attached_in_the_terminal_is_uploaded_to_a_telegram_citizen(db_url: str, tmp_path: Path) -> None:
    from bot.dialogue.messages import Document, Incoming

    table, gone = tmp_path / "统计表.csv", tmp_path / "已删除.pdf"
    table.write_bytes("年份,件数\n2025,12\n".encode())
    gone.write_bytes(b"%PDF")
    with FakeBotApi() as fake:
        app, bot = _running(db_url, fake)
        with bot:
            bot.say(CITIZEN, "明天会下雨吗？")
            bot.say(CITIZEN, "2")
            for name, path in (("统计表.csv", table), ("已删除.pdf", gone)):
                app.engine.handle(Incoming("terminal", str(CLERK), str(CLERK), text="/reply 2026-1 见附件",
                                           documents=(Document(name, path=str(path)),)))
            gone.unlink()  # a stored file lost before delivery: undelivered, and the outbox goes on
            bot.say(CLERK, "/note 2026-1 发送")  # the next update flushes the outbox
        app.close()
    uploads = _to(fake, CITIZEN, "sendDocument")
    assert [(d["filename"], d["content"]) for d in uploads] == [("统计表.csv", table.read_bytes())]
    assert any("未能送达申请人" in str(p["text"]) for p in _to(fake, GROUP))
