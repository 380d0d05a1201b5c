"""Telegram end to end: PTB talks over real HTTP to a fake Bot API; the journey matches the terminal's."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from bot.app import App
from bot.dialogue.messages import Button, Reply
from handlers.telegram.app import build_application
from handlers.telegram.channel import FloodGate
from handlers.terminal import TerminalChat, format_reply
from tests.dialogue_helpers import BAD_CHECK_DIGIT, RESIDENT_ID, make_app
from tests.telegram_fake import TOKEN, FakeBotApi, PollingBot, on_handled_events

CITIZEN, CLERK, HEAD, STRANGER = 1001, 2001, 2002, 3003
SCRIPT: list[tuple[int, str]] = [
    (CITIZEN, "/start"), (CITIZEN, "区长信箱收到多少封来信？"), (CITIZEN, "1"), (CITIZEN, "明天会下雨吗？"), (CITIZEN, "2"),
    *[(CITIZEN, line) for line in ["/apply", "张三 <b>&", "1", "1", BAD_CHECK_DIGIT, RESIDENT_ID, "13812345678",
                                   "zhang.san@example.com", "1", "鹤城区2025年财政预算", "2", "1", "1"]],
    (CLERK, "/claim 2026-2"), (CLERK, "/reply 2026-1 您好，来信数见年报第一部分。"),
    (CLERK, "/correction 2026-2 请写明文件名称或文号"),
    (CITIZEN, "1"), (CITIZEN, "《鹤城区2025年财政预算执行情况的报告》"),
    (CLERK, "/extend 2026-2 需调取档案"), (HEAD, "/approve 2026-2"), (CLERK, "/close 2026-2"), (CLERK, "2"),
    (CITIZEN, "1"),
    (STRANGER, "/queue"), (STRANGER, "/status"), (CITIZEN, "/status"),
]


def _app(db_url: str, **settings: str) -> App:
    return make_app(db_url, staff=str(CLERK), supervisor=str(HEAD), **settings)


def terminal_transcripts(db_url: str) -> dict[int, list[str]]:
    import io

    app = _app(db_url)
    chats: dict[int, TerminalChat] = {}
    for user, line in SCRIPT:
        chat = chats.setdefault(user, TerminalChat(app.engine, str(user), io.StringIO()))
        chat.deliver()  # what arrived meanwhile (shown at the next start, or after the next line)
        chat.send(line)
    app.close()
    return {user: chat.shown for user, chat in chats.items()}


def _as_terminal(params: dict[str, Any]) -> str:
    rows = json.loads(params["reply_markup"])["inline_keyboard"] if "reply_markup" in params else []
    buttons = tuple(Button(r[0]["callback_data"], r[0]["text"]) for r in rows)
    return format_reply(Reply(html.unescape(params["text"]), buttons))


def telegram_transcripts(db_url: str) -> tuple[dict[int, list[str]], FakeBotApi]:
    with FakeBotApi() as fake:
        app = _app(db_url, telegram_token=TOKEN, telegram_api_base_url=fake.root)
        done, handled = on_handled_events()
        application = build_application(app.settings, app.engine, on_handled=handled,
                                        flood=FloodGate(limit=1000))  # a script types faster than a person
        with PollingBot(fake, application, done) as bot:
            for user, line in SCRIPT:
                bot.say(user, line)
        app.close()
    shown: dict[int, list[str]] = {}
    for params in fake.sent():
        shown.setdefault(int(params["chat_id"]), []).append(_as_terminal(params))
    return shown, fake


def test_both_channels_give_the_same_replies(db_url: str, tmp_path: Path) -> None:
    terminal = terminal_transcripts(f"sqlite:///{tmp_path / 'terminal.sqlite3'}")
    telegram, fake = telegram_transcripts(db_url)
    assert telegram == terminal
    citizen = "\n".join(telegram[CITIZEN])
    assert "申请编号：2026-000002" in citizen and "予以公开" in citizen and "已收到您的补正" in citizen
    assert "谢谢您的评价" in citizen
    stranger = "\n".join(telegram[STRANGER])
    assert "仅限登记的工作人员" in stranger and "您还没有提交过申请或咨询" in stranger
    # HTML parse mode, with the citizen's own markup escaped.
    assert all(p.get("parse_mode") == "HTML" for p in fake.sent())
    assert any("张三 &lt;b&gt;&amp;" in p["text"] for p in fake.sent())
    assert all(len(b["callback_data"].encode()) < 64 for p in fake.sent() if "reply_markup" in p
               for row in json.loads(p["reply_markup"])["inline_keyboard"] for b in row)
    assert fake.sent("setMyCommands") and fake.sent("answerCallbackQuery") and fake.sent("editMessageText")
    assert RESIDENT_ID not in json.dumps(fake.calls, ensure_ascii=False)
