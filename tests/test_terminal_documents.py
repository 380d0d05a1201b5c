"""Staff reply with a file in the terminal chat (`/reply N text --file PATH`): the citizen's terminal
shows the file's name and saves it; the history keeps the name; a Telegram file cannot reach a
terminal applicant and the reply says so."""

from __future__ import annotations

import io
from pathlib import Path

from sqlalchemy import select

from bot.app import App
from bot.dialogue.messages import Document, Incoming
from bot.dialogue.models import OutboxMessage
from bot.tickets.models import TicketEvent
from handlers.terminal import run_terminal_chat
from tests.dialogue_helpers import CITIZEN, STAFF, make_app, session


def _chat(app: App, lines: list[str], files: Path, **who: str) -> str:
    out = io.StringIO()
    status = run_terminal_chat(app, io.StringIO("".join(line + "\n" for line in lines)), out, files=files, **who)
    assert status == 0, out.getvalue()
    return out.getvalue()


def test_a_staff_reply_with_a_file_in_the_terminal(db_url: str, tmp_path: Path) -> None:
    app = make_app(db_url)
    session(app, ["明天会下雨吗？", "2"], user=CITIZEN)  # 转人工: ticket 2026-000001
    attachment = tmp_path / "outgoing" / "答复 书.txt"
    attachment.parent.mkdir()
    attachment.write_text("答复内容：见第一部分。", encoding="utf-8")
    staff_out = _chat(app, [f"/reply 2026-1 答复见附件 --file {tmp_path}/missing.pdf",
                            f"/reply 2026-1 答复见附件 --file {attachment}", "/ticket 2026-1"],
                      tmp_path / "staff-files", staff=STAFF)
    assert "无法读取要附上的文件" in staff_out and "答复未发送" in staff_out
    assert "已发送给申请人（工单 2026-000001，附文件：答复 书.txt）" in staff_out
    assert "向申请人发送文件（文件：答复 书.txt）" in staff_out
    attachment.unlink()  # the bot keeps its own copy until the citizen has it

    downloads = tmp_path / "downloads"
    citizen_out = _chat(app, [], downloads, user=CITIZEN)
    assert "工作人员答复：\n答复见附件" in citizen_out
    saved = downloads / "答复 书.txt"
    assert saved.read_text(encoding="utf-8") == "答复内容：见第一部分。"
    assert "答复 书.txt" in citizen_out and str(saved) in citizen_out
    with app.db.session() as db:
        events = db.scalars(select(TicketEvent).where(TicketEvent.action == "document_sent")).all()
        rows = db.scalars(select(OutboxMessage).where(OutboxMessage.documents.is_not(None))).all()
        assert [e.data for e in events] == [{"file": "答复 书.txt"}]  # one: the missing file sent nothing
        assert len(rows) == 1 and rows[0].status == "sent" and rows[0].documents is not None
        assert rows[0].documents[0]["name"] == "答复 书.txt" and "content" not in rows[0].documents[0]
    app.close()


def test_a_telegram_file_cannot_reach_a_terminal_applicant(db_url: str) -> None:
    app = make_app(db_url)
    session(app, ["明天会下雨吗？", "2"], user=CITIZEN)
    replies = app.engine.handle(Incoming("telegram", STAFF, STAFF, text="/reply 2026-1 见附件",
                                         documents=(Document("a.pdf", file_id="BQAD", channel="telegram"),)))
    assert "无法经申请人使用的渠道（终端对话）送达" in replies[0].text
    with app.db.session() as db:
        assert db.scalars(select(TicketEvent).where(TicketEvent.action.in_(["replied", "document_sent"]))).all() == []
    app.close()
