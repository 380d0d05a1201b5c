"""The citizens' web chat over HTTP: the page, return visits, lookup by access code, limits, escaping, parity."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from starlette.testclient import TestClient

from bot import agency, texts, webchat
from bot.app import App
from bot.dialogue import outbox
from bot.dialogue.messages import Document
from bot.tickets.models import Ticket
from bot.tickets.service import TicketService
from handlers.terminal import TerminalChat
from handlers.web.staff.site import create_site
from tests.dialogue_helpers import BAD_CHECK_DIGIT, RESIDENT_ID, STAFF, make_app
from tests.test_telegram_journey import CITIZEN, CLERK, HEAD, SCRIPT, STRANGER, _app, terminal_transcripts
from tests.ticket_helpers import CALENDAR
from tests.web_chat_helpers import Visitor, messages, site_client

FORM = ["张三", "1", "1", RESIDENT_ID, "13812345678", "zhang.san@example.com", "1", "鹤城区2025年财政预算", "2", "1", "1"]
CODE = re.compile(r"查询码：([A-Z0-9]{5}-[A-Z0-9]{5})")


@pytest.fixture
def app(sqlite_url: str) -> Iterator[App]:
    app = make_app(sqlite_url)
    yield app
    app.close()


def file_request(visitor: Visitor) -> str:
    visitor.post(button="m:apply")  # 申请政府信息公开 (the menu under the log)
    for line in FORM:
        visitor.line(line)
    return visitor.html


def test_first_visit_shows_the_privacy_notice_and_sets_a_signed_httponly_cookie(app: App) -> None:
    c = site_client(app)
    page = c.get("/")
    assert page.status_code == 200 and '<html lang="zh-CN">' in page.text
    assert texts.PRIVACY.splitlines()[1] in page.text and "超过 30 天未继续填写的自动删除" in page.text
    cookie = page.headers["set-cookie"]
    assert "gongkai_visitor=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie and "Partitioned" not in cookie
    assert "<script src=" in page.text and "<script>" not in page.text  # no inline script
    policy = page.headers["content-security-policy"]
    assert "frame-ancestors 'self'" in policy and "script-src 'self'" in policy
    assert "x-frame-options" not in page.headers and page.headers["cache-control"] == "no-store"


def test_a_question_is_answered_with_its_source_and_the_conversation_survives_a_reload(app: App) -> None:
    c = site_client(app)
    v = Visitor(c)
    v.say("区长信箱收到多少封来信？")
    shown = messages(v.html)
    assert [m.speaker for m in shown] == ["visitor", "bot"]
    assert "来源" in shown[1].text or "出处" in shown[1].text or "《" in shown[1].text
    assert [label for _v, label, on in shown[1].buttons if on] == [texts.BTN_HELPFUL, texts.BTN_UNSOLVED]
    again = Visitor(c)  # a reload, a return visit: the same cookie
    assert [m.text for m in messages(again.html)] == [m.text for m in shown]
    assert texts.WEB_CHAT_PRIVACY_HEADING not in again.html  # the notice comes before the first message
    stranger = Visitor(site_client(app))  # another browser sees nothing of it
    assert messages(stranger.html) == []


def test_a_forged_cookie_or_a_missing_csrf_token_sends_nothing(app: App) -> None:
    c = site_client(app)
    v = Visitor(c)
    missing = c.post("/", data={"text": "你好", "mid": "1"})
    assert missing.status_code == 403 and texts.WEB_CHAT_CSRF in missing.text
    c.cookies.set("gongkai_visitor", "0" * 32 + ".forged")
    assert c.post("/", data={**v.fields(), "text": "你好"}).status_code == 403
    c.cookies.clear()  # a browser that keeps no cookie (cookies off, or blocked in another site's frame)
    kept_none = c.post("/", data={**v.fields(), "text": "你好"})
    assert kept_none.status_code == 403 and texts.WEB_CHAT_NO_COOKIE in kept_none.text
    assert f'<a href="/" target="_blank" rel="noopener">{texts.WEB_CHAT_NEW_WINDOW}</a>' in kept_none.text
    with app.db.session() as session:
        assert session.scalars(select(webchat.TranscriptEntry)).all() == []


def test_the_request_form_checks_each_field_and_the_receipt_has_dates_and_an_access_code(app: App) -> None:
    v = Visitor(site_client(app))
    v.post(button="m:apply")
    for line in ["张三", "1", "1", BAD_CHECK_DIGIT]:
        v.line(line)
    assert "校验位" in "".join(m.text for m in messages(v.html)[-2:])
    for line in FORM[3:]:
        v.line(line)
    receipt = messages(v.html)[-1].text
    assert "申请编号：2026-000001" in receipt and "收到申请之日：2026-03-02" in receipt
    assert "答复期限：" in receipt and "第 20 个工作日" in receipt and CODE.search(receipt)
    with app.db.session() as session:
        ticket = session.scalars(select(Ticket)).one()
        assert ticket.channel == "web"
        stored = "\n".join(e.text for e in session.scalars(select(webchat.TranscriptEntry)))
    assert RESIDENT_ID not in stored and "13812345678" not in stored
    assert "zhang.san@" not in "\n".join(m.text for m in messages(v.html) if m.speaker == "visitor")
    assert RESIDENT_ID not in v.html and "13812345678" not in v.html  # masked wherever shown again


def test_lookup_by_number_and_access_code_from_another_browser_shows_staff_messages(app: App) -> None:
    v = Visitor(site_client(app))
    code = CODE.search(messages(file_request(v))[-1].text)[1]  # type: ignore[index]
    TerminalChat(app.engine, STAFF, io.StringIO()).send("/reply 2026-1 您好，材料已在整理，请耐心等待。")
    other = site_client(app)
    page = other.get("/lookup")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)[1]  # type: ignore[index]
    wrong = other.post("/lookup", data={"csrf": token, "number": "2026-000001", "code": "AAAAA-AAAAA"})
    assert wrong.status_code == 404 and texts.WEB_LOOKUP_NONE in wrong.text
    right = other.post("/lookup", data={"csrf": token, "number": "2026-000001", "code": code.lower()})
    assert right.status_code == 200 and "已收到" in right.text and "材料已在整理" in right.text
    # … and the citizen sees the reply on their next visit, once
    again = Visitor(v.client)
    assert sum("材料已在整理" in m.text for m in messages(again.html)) == 1


def test_a_staff_reply_waiting_is_shown_before_the_message_the_visitor_sends_next(app: App) -> None:
    v = Visitor(site_client(app))
    file_request(v)
    TerminalChat(app.engine, STAFF, io.StringIO()).send("/reply 2026-1 您好，材料已在整理。")
    v.say("好的，谢谢")  # posted from the page they had open, before the reply was shown
    shown = messages(v.html)
    mine = max(i for i, m in enumerate(shown) if m.speaker == "visitor")
    assert shown[mine].text == "好的，谢谢" and "材料已在整理" in shown[mine - 1].text
    assert sum("材料已在整理" in m.text for m in messages(v.open())) == 1


def test_a_file_sent_with_a_staff_reply_is_downloaded_by_its_visitor_only(app: App, tmp_path: Path) -> None:
    v = Visitor(site_client(app))
    code = CODE.search(messages(file_request(v))[-1].text)[1]  # type: ignore[index]
    scan = tmp_path / "答复书.pdf"
    scan.write_bytes(b"%PDF-1.4 the reply")
    with app.db.session() as session:
        service = TicketService(app.settings, CALENDAR, app.engine.clock)
        service.reply(session, STAFF, "2026-1", text="您好，答复书见附件。", files=[scan.name])
        outbox.attach_to_reply(session, "2026-000001", (Document(scan.name, path=str(scan)),))
    page = v.open()
    assert "您好，答复书见附件。" in page and "下载附件：答复书.pdf" in page
    link = re.search(r'href="(/files/\d+/0)"', page)[1]  # type: ignore[index]
    got = v.client.get(link)
    assert got.status_code == 200 and got.content == b"%PDF-1.4 the reply"
    assert got.headers["content-disposition"].startswith("attachment;") and got.headers["cache-control"] == "no-store"
    stranger = site_client(app)
    stranger.get("/")
    refused = stranger.get(link)
    assert refused.status_code == 404 and texts.WEB_CHAT_FILE_GONE in refused.text and b"the reply" not in refused.content
    # … and from any browser on the lookup page, with the number and the access code
    other = site_client(app)
    token = re.search(r'name="csrf" value="([^"]+)"', other.get("/lookup").text)[1]  # type: ignore[index]
    page = other.post("/lookup", data={"csrf": token, "number": "2026-000001", "code": code}).text
    form = dict(re.findall(r'name="(number|code|message|n)" value="([^"]*)"', page.split('class="file"')[1]))
    assert "下载附件：答复书.pdf" in page and form["number"] == "2026-000001"
    got = other.post("/lookup/file", data={"csrf": token, **form})
    assert got.status_code == 200 and got.content == b"%PDF-1.4 the reply"
    wrong = other.post("/lookup/file", data={"csrf": token, **form, "code": "AAAAA-AAAAA"})
    assert wrong.status_code == 404 and b"the reply" not in wrong.content
    scan.unlink()  # pruned after the retention period
    assert v.client.get(link).status_code == 404
    assert other.post("/lookup/file", data={"csrf": token, **form}).status_code == 404


def test_the_agency_as_staff_saved_it_names_the_page_and_the_welcome(app: App) -> None:
    with app.db.session() as session:  # the console's administration page saves the details here
        agency.seed(session, app.settings.with_(agency_name="鹤城区人民政府办公室"), at=app.engine.clock.now())
    v = Visitor(site_client(app))
    assert "<h1>鹤城区人民政府办公室 · " in v.html
    v.say("/start")
    assert "鹤城区人民政府办公室" in messages(v.html)[-1].text


def test_a_message_over_2000_characters_is_refused_with_the_limit_named(app: App) -> None:
    v = Visitor(site_client(app))
    response = v.say("长" * 2001)
    assert response.status_code == 413 and "最多 2000 个字符" in response.text and "2001" in response.text
    assert messages(response.text) == []


def test_the_per_visitor_limit_is_shared_through_the_database(sqlite_url: str) -> None:
    app = make_app(sqlite_url, web_chat_limit=3)
    v = Visitor(site_client(app))
    for _ in range(3):
        assert v.say("你好").status_code == 303
    refused = v.say("你好")
    assert refused.status_code == 429 and "每分钟最多 3 条" in refused.text
    second_process = Visitor(site_client(app))  # another client, the same address: its own visitor limit
    assert second_process.say("你好").status_code == 303
    app.close()


def test_the_per_address_limit_counts_every_visitor_of_an_address(sqlite_url: str) -> None:
    app = make_app(sqlite_url, web_address_limit=2)
    for expected in (303, 303, 429):
        assert Visitor(site_client(app)).say("你好").status_code == expected
    app.close()


def test_a_file_an_oversized_post_or_an_unknown_page_is_refused_in_chinese_and_the_conversation_stays(app: App) -> None:
    v = Visitor(site_client(app))
    v.say("你好")
    upload = v.client.post("/", data=v.fields(), files={"file": ("身份证.pdf", b"%PDF-1.4", "application/pdf")})
    assert upload.status_code == 400 and texts.WEB_CHAT_BAD_FORM in upload.text
    assert [m.speaker for m in messages(upload.text)] == ["visitor", "bot"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        yield b"text="
        for _ in range(80):
            yield b"x" * 1000

    for body in (b"text=" + b"x" * 70_000, chunks()):
        huge = v.client.post("/", content=body, headers={"content-type": "application/x-www-form-urlencoded"})
        assert huge.status_code == 413 and "提交的内容过大" in huge.text and "2000" in huge.text
        assert len(messages(huge.text)) == 2
    missing = v.client.get("/no-such-page")
    assert missing.status_code == 404 and texts.WEB_CHAT_NOT_FOUND in missing.text
    assert len(messages(v.open())) == 2  # nothing was sent


def test_markup_in_a_question_is_shown_as_text(app: App) -> None:
    v = Visitor(site_client(app))
    v.say("<script>alert(1)</script> 怎么申请？")
    assert "<script>alert(1)</script>" not in v.html and "&lt;script&gt;alert(1)&lt;/script&gt;" in v.html
    assert messages(v.html)[0].text.startswith("<script>alert(1)</script>")


def test_the_same_form_posted_twice_has_one_effect(app: App) -> None:
    v = Visitor(site_client(app))
    fields = v.fields()
    v.client.post("/", data={**fields, "text": "你好"})
    v.client.post("/", data={**fields, "text": "你好"})
    assert [m.speaker for m in messages(v.open())] == ["visitor", "bot"]


def test_a_receipt_that_could_not_be_kept_files_nothing_and_the_resent_form_files_it_once(
        app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    """The transcript is written in the engine's transaction: a request is never filed with its receipt
    (and the access code, shown only there) lost; the browser sending the form again files it once."""
    v = Visitor(site_client(app))
    v.post(button="m:apply")
    for line in FORM[:-1]:
        v.line(line)
    real_add, failures = webchat.add, []

    def add_failing_once(session, visitor, speaker, reply, at):  # type: ignore[no-untyped-def]
        if speaker == webchat.BOT and "申请编号" in reply.text and not failures:
            failures.append(reply.text)
            raise OperationalError("INSERT INTO web_transcript", {}, Exception("disk I/O error"))
        real_add(session, visitor, speaker, reply, at)

    monkeypatch.setattr(webchat, "add", add_failing_once)
    fields = v.fields()
    failing = TestClient(create_site(app), base_url="http://testserver", follow_redirects=False,
                         raise_server_exceptions=False, cookies=dict(v.client.cookies))
    active = [value for m in messages(v.html) for value, _label, on in m.buttons if on]
    refused = failing.post("/", data={**fields, "button": active[0]})
    assert refused.status_code == 503 and texts.WEB_CHAT_UNAVAILABLE in refused.text and failures
    with app.db.session() as session:
        assert session.scalars(select(Ticket)).all() == []
    assert v.client.post("/", data={**fields, "button": active[0]}).status_code == 303  # sent again
    receipt = messages(v.open())[-1].text
    assert "申请编号：2026-000001" in receipt and CODE.search(receipt)
    with app.db.session() as session:
        assert len(session.scalars(select(Ticket)).all()) == 1


def test_framing_only_by_allowed_origins_cookie_works_in_a_frame_behind_https(sqlite_url: str) -> None:
    app = make_app(sqlite_url, web_allowed_origins="https://www.example.gov.cn", web_trusted_proxies="127.0.0.1")
    c = site_client(app, base_url="https://testserver")
    page = c.get("/")
    assert "frame-ancestors 'self' https://www.example.gov.cn" in page.headers["content-security-policy"]
    cookie = page.headers["set-cookie"]
    assert "SameSite=none" in cookie and "Secure" in cookie and cookie.endswith("; Partitioned")
    staff = c.get("/staff/login")
    assert staff.headers["x-frame-options"] == "DENY" and "frame-ancestors 'none'" in staff.headers[
        "content-security-policy"]
    widget = c.get("/widget.js")
    assert widget.status_code == 200 and "iframe" in widget.text
    assert widget.headers["content-type"].startswith("text/javascript")
    assert json.dumps(texts.WEB_WIDGET_LABEL) in widget.text and json.dumps(texts.WEB_CHAT_TITLE) in widget.text
    app.close()


def test_the_chat_can_live_under_a_prefix(sqlite_url: str) -> None:
    app = make_app(sqlite_url, web_chat_prefix="/zixun")
    v = Visitor(site_client(app), prefix="/zixun")
    assert v.say("你好").headers["location"] == "/zixun/#latest"
    assert "/zixun/static/chat.css" in v.html and site_client(app).get("/").status_code == 404
    app.close()


def test_web_chat_gives_the_same_replies_as_the_terminal(db_url: str, tmp_path: Path) -> None:
    """The journey of the Telegram parity test: citizens in the web chat, staff at the terminal."""
    terminal = terminal_transcripts(f"sqlite:///{tmp_path / 'terminal.sqlite3'}")
    app = _app(db_url, web_chat_limit=1000, web_address_limit=1000)  # a script types faster than a person
    browsers = {user: Visitor(site_client(app)) for user in (CITIZEN, STRANGER)}
    staff = {user: TerminalChat(app.engine, str(user), io.StringIO()) for user in (CLERK, HEAD)}
    for user, line in SCRIPT:
        if user in browsers:
            browsers[user].open()  # what arrived meanwhile (the terminal's deliver())
            browsers[user].line(line)
        else:
            staff[user].deliver()
            staff[user].send(line)
    web = {user: browser.bot_lines() for user, browser in browsers.items()}
    # The one difference, on purpose: a web receipt also gives the access code (its own line).
    web[CITIZEN] = [re.sub(r"\n查询码：[^\n]*", "", line) for line in web[CITIZEN]]
    for user in (CITIZEN, STRANGER):
        assert web[user] == terminal[user]
    for user in (CLERK, HEAD):
        assert [line.replace("网页对话", "终端对话") for line in staff[user].shown] == terminal[user]
    app.close()
