"""E-mail to web-chat applicants: a notice on a ticket filed in the web chat reaches the applicant's
address through the outbox (channel ``email``) when SMTP_URL is set, besides their next visit.

A real SMTP server (aiosmtpd on 127.0.0.1) receives what the bot sends; requests are filed through the
real chat app and staff reply through the real staff console.
"""

from __future__ import annotations

import asyncio
import email
import logging
import ssl
import time
from collections.abc import Iterator
from datetime import timedelta
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from sqlalchemy import select
from starlette.testclient import TestClient

from bot import mail, texts
from bot.app import App
from bot.delivery import Dispatcher
from bot.dialogue.models import OutboxMessage
from bot.dialogue.outbox import Owner
from bot.settings import Settings, SettingsError, parse_smtp_url
from bot.tickets.clock import FixedClock
from bot.tickets.models import Ticket, TicketEvent
from tests.ports import free_port
from tests.test_web_chat import CODE, FORM, file_request
from tests.web_chat_helpers import Visitor, messages, site_client
from tests.web_helpers import DAY, console_app, post, signed_in

ADDRESS = "zhang.san@example.com"  # FORM's e-mail address
NUMBER = "2026-000001"
TICKET = f"/staff/tickets/{NUMBER}"
REPLY = "您好，您申请的预算文件已整理完毕，请查收附件。"
AGENCY = "怀化市鹤城区人民政府"
AGENCY_EMAIL = "hhhcxxs@163.com"
NO_EMAIL_FORM = [*FORM[:5], "1", *FORM[6:]]  # 跳过 the e-mail address


# --- the SMTP server ---------------------------------------------------------------------------------

class Mailbox:
    """What an SMTP server received; ``refuse`` answers RCPT with a fixed line (e.g. a 550), ``busy`` makes
    the first n RCPTs answer 451."""

    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], bytes]] = []
        self.rcpt_tries = 0
        self.refuse: str | None = None
        self.busy = 0
        self.logins: list[tuple[bytes, bytes]] = []

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          options: list[str]) -> str:
        self.rcpt_tries += 1
        if self.refuse:
            return self.refuse
        if self.busy:
            self.busy -= 1
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.original_content)))
        return "250 Message accepted for delivery"

    def authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        assert isinstance(data, LoginPassword)
        self.logins.append((data.login, data.password))
        ok = (data.login, data.password) == (b"bot", b"p@ss:word")
        return AuthResult(success=ok, handled=False)  # not handled: aiosmtpd answers 235 or 535 itself

    def letters(self) -> list[EmailMessage]:
        return [email.message_from_bytes(raw, policy=default_policy) for _f, _t, raw in self.received]  # type: ignore[misc]




def start(box: Mailbox, port: int, **options: Any) -> Controller:
    controller = Controller(box, hostname="127.0.0.1", port=port, **options)
    controller.start()
    return controller


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    box, port = Mailbox(), free_port()
    controller = start(box, port)
    yield box, port
    controller.stop()


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Every log line of the bot (and its libraries) at DEBUG; none may carry the applicant's address."""
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="sqlalchemy.engine")
    yield caplog
    records = [r for when in ("setup", "call") for r in caplog.get_records(when)]  # type: ignore[arg-type]
    assert any(r.name.startswith("bot.mail") for r in records)  # the sender did log
    ours = "\n".join(f"{r.name} {r.getMessage()}" for r in records
                     if not r.name.startswith("mail.log"))  # the test SMTP server's own log is not the bot's
    assert ADDRESS not in ours and "zhang.san" not in ours


# --- helpers -----------------------------------------------------------------------------------------

def app_with(db_url: str, **settings: object) -> App:
    return console_app(db_url, FixedClock.on(DAY), **settings)


def file_through_the_chat(app: App, form: list[str] | None = None) -> Visitor:
    visitor = Visitor(site_client(app))
    if form is None:
        file_request(visitor)
    else:
        visitor.post(button="m:apply")
        for line in form:
            visitor.line(line)
    assert CODE.search(messages(visitor.html)[-1].text), "no receipt"
    return visitor


def staff_reply(app: App, text: str = REPLY, files: list[tuple[str, bytes]] | None = None) -> None:
    """A reply in the staff console, as a member of staff sends it (files as uploads)."""
    console = signed_in(app, FixedClock.on(DAY))
    uploads = [("files", (name, content, "application/octet-stream")) for name, content in files or []]
    response = post(console, f"{TICKET}/reply", {"text": text}, page=TICKET, files=uploads or None)
    assert response.status_code == 303, response.text[:1000]


def dispatcher(app: App) -> Dispatcher:
    senders = mail.senders(app.settings, app.db.session)
    return Dispatcher(app.engine, dict(senders), Owner("test-worker", frozenset(senders), timedelta(seconds=60)))


def send_due(app: App) -> int:
    """One pass of the outbox's claim loop of a long-running process: the due e-mails are sent."""
    return asyncio.run(dispatcher(app).claim_once())


def email_rows(app: App) -> list[OutboxMessage]:
    with app.db.session() as session:
        rows = list(session.scalars(select(OutboxMessage).where(OutboxMessage.channel == "email")
                                    .order_by(OutboxMessage.id)))
        session.expunge_all()
    return rows


def wait_until(condition: Any, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


# --- delivery ----------------------------------------------------------------------------------------

def test_a_staff_reply_reaches_the_applicant_by_email_and_in_the_transcript(
        db_url: str, mailbox: tuple[Mailbox, int], logs: pytest.LogCaptureFixture) -> None:
    box, port = mailbox
    app = app_with(db_url, smtp_url=f"smtp://127.0.0.1:{port}")
    try:
        visitor = file_through_the_chat(app)
        staff_reply(app, files=[("答复书.pdf", b"%PDF-1.4 reply")])
        assert send_due(app) == 1
        [(envelope_from, envelope_to, _raw)] = box.received
        assert envelope_from == AGENCY_EMAIL and envelope_to == [ADDRESS]
        [letter] = box.letters()
        assert letter["To"] == ADDRESS
        assert letter["From"].addresses[0].addr_spec == AGENCY_EMAIL
        assert letter["From"].addresses[0].display_name == AGENCY
        assert NUMBER in letter["Subject"] and AGENCY in letter["Subject"]  # decoded from RFC 2047
        body = letter.get_body(("plain",))
        assert body is not None and body.get_content_charset() == "utf-8"
        text = body.get_content()
        assert REPLY in text and NUMBER in text and "0745-2230100" in text
        [attachment] = list(letter.iter_attachments())
        assert attachment.get_filename() == "答复书.pdf" and attachment.get_content() == b"%PDF-1.4 reply"
        [row] = email_rows(app)
        assert row.status == "sent" and row.chat_id == NUMBER and row.key.startswith("email:")
        assert ADDRESS not in (row.chat_id + row.text + (row.error or ""))  # the address stays on the ticket
        # … and the same reply waits in the web chat for the visitor's next visit, once
        again = Visitor(visitor.client)
        assert sum(REPLY in m.text for m in messages(again.html)) == 1
        assert send_due(app) == 0 and len(box.received) == 1  # sent once
    finally:
        app.close()


def test_a_correction_notice_by_email_says_where_to_press_its_button(mailbox: tuple[Mailbox, int],
                                                                     sqlite_url: str) -> None:
    box, port = mailbox
    app = app_with(sqlite_url, smtp_url=f"smtp://127.0.0.1:{port}")
    try:
        file_through_the_chat(app)
        console = signed_in(app, FixedClock.on(DAY))
        assert post(console, f"{TICKET}/claim", page=TICKET).status_code == 303
        response = post(console, f"{TICKET}/correction", {"matters": "请写明预算文件的年度"}, page=TICKET)
        assert response.status_code == 303, response.text[:1000]
        assert send_due(app) == 1
        text = box.letters()[0].get_body(("plain",)).get_content()  # type: ignore[union-attr]
        assert "请写明预算文件的年度" in text and "“提交补正”" in text and "在线咨询页面" in text
    finally:
        app.close()


def test_without_smtp_url_no_email_is_queued(db_url: str) -> None:
    app = app_with(db_url)
    try:
        assert app.settings.smtp is None and mail.senders(app.settings, app.db.session) == {}
        visitor = file_through_the_chat(app)
        staff_reply(app)
        assert email_rows(app) == []
        assert any(REPLY in m.text for m in messages(Visitor(visitor.client).html))  # the web chat as before
    finally:
        app.close()


def test_a_ticket_without_an_address_gets_no_email(db_url: str, mailbox: tuple[Mailbox, int]) -> None:
    box, port = mailbox
    app = app_with(db_url, smtp_url=f"smtp://127.0.0.1:{port}")
    try:
        visitor = file_through_the_chat(app, NO_EMAIL_FORM)
        staff_reply(app)
        assert email_rows(app) == [] and send_due(app) == 0 and box.received == []
        assert any(REPLY in m.text for m in messages(Visitor(visitor.client).html))
    finally:
        app.close()


def test_the_server_down_then_up_delivers_the_email_once(db_url: str, logs: pytest.LogCaptureFixture) -> None:
    port = free_port()  # nothing listens yet: the connection is refused
    app = app_with(db_url, smtp_url=f"smtp://127.0.0.1:{port}?timeout=5")
    box = Mailbox()
    controller: Controller | None = None
    try:
        file_through_the_chat(app)
        staff_reply(app)
        assert send_due(app) == 1
        [row] = email_rows(app)
        assert row.status == "pending" and row.attempts == 1 and row.error == "ConnectionRefusedError"
        assert row.unknown == 0  # it never left
        assert send_due(app) == 0  # not due again before its backoff
        controller = start(box, port)
        wait_until(lambda: send_due(app) > 0 or bool(box.received))
        assert len(box.received) == 1
        [row] = email_rows(app)
        assert row.status == "sent" and row.attempts == 2
        time.sleep(1.6)  # past any backoff the first try could have set
        assert send_due(app) == 0 and len(box.received) == 1  # never twice
    finally:
        if controller is not None:
            controller.stop()
        app.close()


def test_a_4xx_answer_is_tried_again(sqlite_url: str, mailbox: tuple[Mailbox, int]) -> None:
    box, port = mailbox
    box.busy = 1
    app = app_with(sqlite_url, smtp_url=f"smtp://127.0.0.1:{port}")
    try:
        file_through_the_chat(app)
        staff_reply(app)
        send_due(app)
        [row] = email_rows(app)
        assert row.status == "pending" and row.error == "SMTP 451" and box.received == []
        wait_until(lambda: send_due(app) > 0 and bool(box.received))
        assert len(box.received) == 1 and email_rows(app)[0].status == "sent"
    finally:
        app.close()


def test_a_550_refusal_fails_for_good_and_staff_are_told(db_url: str, mailbox: tuple[Mailbox, int],
                                                         logs: pytest.LogCaptureFixture) -> None:
    box, port = mailbox
    box.refuse = f"550 5.1.1 <{ADDRESS}>: Recipient address rejected: User unknown"
    app = app_with(db_url, smtp_url=f"smtp://127.0.0.1:{port}", staff_chat_id="-100")
    try:
        visitor = file_through_the_chat(app)
        staff_reply(app)
        assert send_due(app) == 1
        [row] = email_rows(app)
        assert row.status == "failed" and row.attempts == 1 and "550" in row.error  # type: ignore[operator]
        assert ADDRESS not in row.error and "User unknown" in row.error  # type: ignore[operator]
        with app.db.session() as session:
            ticket = session.scalars(select(Ticket)).one()
            [event] = session.scalars(select(TicketEvent).where(TicketEvent.ticket_id == ticket.id,
                                                                TicketEvent.action == "undelivered")).all()
            data = event.data or {}
            assert data["result"] == "failed" and "550" in data["reason"] and ADDRESS not in data["reason"]
            told = session.scalars(select(OutboxMessage).where(OutboxMessage.key.like("told:%"))).one()
            assert told.chat_id == "-100" and NUMBER in told.text and "电子邮件" in told.text
            assert ADDRESS not in told.text
        time.sleep(1.6)
        assert send_due(app) == 0 and box.rcpt_tries == 1  # never retried
        assert any(REPLY in m.text for m in messages(Visitor(visitor.client).html))  # the web chat still has it
    finally:
        app.close()


def test_the_address_is_read_from_the_ticket_when_the_email_is_sent(sqlite_url: str,
                                                                   mailbox: tuple[Mailbox, int]) -> None:
    box, port = mailbox
    app = app_with(sqlite_url, smtp_url=f"smtp://127.0.0.1:{port}")
    try:
        file_through_the_chat(app)
        staff_reply(app)
        with app.db.session() as session:
            ticket = session.scalars(select(Ticket)).one()
            assert ticket.details is not None
            ticket.details.email = None  # gone before the e-mail left
        assert send_due(app) == 1
        [row] = email_rows(app)
        assert row.status == "failed" and row.error == texts.MAIL_NO_ADDRESS and box.received == []
    finally:
        app.close()


# --- TLS and login -----------------------------------------------------------------------------------

@pytest.fixture
def authority(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> trustme.CA:
    """A certificate authority the bot trusts (SSL_CERT_FILE, as an operator with a private CA would)."""
    ca = trustme.CA()
    path = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    monkeypatch.setenv("SSL_CERT_FILE", str(path))
    return ca


def _server_context(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    return context


# aiosmtpd warns of AUTH without STARTTLS: on an implicit-TLS socket (smtps) that is what is wanted.
NO_STARTTLS_WARNING = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")


@NO_STARTTLS_WARNING
@pytest.mark.parametrize("scheme", ["starttls", "smtps"])
def test_over_tls_with_a_login_whose_password_is_percent_encoded(sqlite_url: str, authority: trustme.CA,
                                                                 scheme: str) -> None:
    box, port = Mailbox(), free_port()
    context = _server_context(authority)
    if scheme == "starttls":  # the server refuses everything, the login included, before STARTTLS
        controller = start(box, port, tls_context=context, require_starttls=True, authenticator=box.authenticate,
                           auth_require_tls=True, auth_required=True)
        url = f"smtp://bot:p%40ss%3Aword@127.0.0.1:{port}?starttls=1"
    else:
        # aiosmtpd counts only STARTTLS as TLS for AUTH: on a TLS socket it must be told AUTH is fine
        controller = start(box, port, ssl_context=context, authenticator=box.authenticate, auth_required=True,
                           auth_require_tls=False)
        url = f"smtps://bot:p%40ss%3Aword@127.0.0.1:{port}"
    app = app_with(sqlite_url, smtp_url=url)
    try:
        file_through_the_chat(app)
        staff_reply(app)
        assert send_due(app) == 1
        assert box.logins == [(b"bot", b"p@ss:word")] and len(box.received) == 1
        assert email_rows(app)[0].status == "sent"
    finally:
        controller.stop()
        app.close()


@NO_STARTTLS_WARNING
def test_a_wrong_password_is_the_settings_fault_and_is_tried_again(sqlite_url: str, authority: trustme.CA,
                                                                  logs: pytest.LogCaptureFixture) -> None:
    box, port = Mailbox(), free_port()
    controller = start(box, port, ssl_context=_server_context(authority), authenticator=box.authenticate,
                       auth_required=True, auth_require_tls=False)
    app = app_with(sqlite_url, smtp_url=f"smtps://bot:wrong@127.0.0.1:{port}")
    try:
        file_through_the_chat(app)
        staff_reply(app)
        assert send_due(app) == 1
        [row] = email_rows(app)
        assert row.status == "pending" and row.error == "SMTP login 535" and box.received == []
        assert "check SMTP_URL" in logs.text and "wrong" not in logs.text
    finally:
        controller.stop()
        app.close()


# --- the long-running processes ----------------------------------------------------------------------

def test_the_web_command_sends_emails_while_it_serves(sqlite_url: str, mailbox: tuple[Mailbox, int]) -> None:
    from bot.__main__ import _web

    box, port = mailbox
    app = app_with(sqlite_url, smtp_url=f"smtp://127.0.0.1:{port}")
    try:
        with TestClient(_web(app), follow_redirects=False) as client:  # the site of `python -m bot web`
            visitor = Visitor(client)
            file_request(visitor)
            staff_reply(app)
            wait_until(lambda: bool(box.received))
        assert len(box.received) == 1 and REPLY in box.letters()[0].get_body(("plain",)).get_content()  # type: ignore[union-attr]
    finally:
        app.close()


def test_every_long_running_process_gets_the_email_sender_when_smtp_url_is_set(sqlite_url: str) -> None:
    from handlers.telegram.app import build_application, outbox_senders

    app = app_with(sqlite_url, smtp_url="smtp://127.0.0.1:2525", telegram_token="123:abc")
    configured = app.settings
    try:
        async def found(settings: Settings) -> set[str]:  # `worker` and `web` (without a token: no Bot API call)
            app.settings = settings
            async with outbox_senders(app) as senders:
                return set(senders)

        assert asyncio.run(found(configured.with_(telegram_token=""))) == {"email"}
        assert asyncio.run(found(configured.with_(telegram_token="", smtp_url=""))) == set()
        runtime = build_application(configured, app.engine)  # `run`
        assert set(runtime.dispatcher.senders) == {"telegram", "email"} and "email" in runtime.owner.channels
    finally:
        app.close()


# --- settings ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("url", "host", "port", "security", "user", "password"), [
    ("smtp://mail.example.gov.cn", "mail.example.gov.cn", 25, "none", "", ""),
    ("smtp://u:p%40ss@mail.example.gov.cn?starttls=1", "mail.example.gov.cn", 587, "starttls", "u", "p@ss"),
    ("smtp://mail.example.gov.cn:2525?starttls=0", "mail.example.gov.cn", 2525, "none", "", ""),
    ("smtps://xxgk%40example.gov.cn:secret@mail.example.gov.cn", "mail.example.gov.cn", 465, "tls",
     "xxgk@example.gov.cn", "secret"),
    ("smtp://u:p@127.0.0.1:1025", "127.0.0.1", 1025, "none", "u", "p"),  # this machine: no TLS needed
])
def test_smtp_url_schemes(url: str, host: str, port: int, security: str, user: str, password: str) -> None:
    server = parse_smtp_url(url)
    assert (server.host, server.port, server.security, server.user, server.password) == (
        host, port, security, user, password)


@pytest.mark.parametrize(("url", "expected"), [
    ("mailto://a@b", "smtp"), ("smtp://", "smtp"), ("smtp://host:port", "smtp"), ("smtp://host?tls=1", "smtp"),
    ("smtps://host?starttls=1", "smtp"), ("smtp://host?timeout=0", "smtp"), ("smtp://host/path", "smtp"),
    ("smtp://user:secret@mail.example.gov.cn", "smtp_clear_password"),
])
def test_a_malformed_smtp_url_is_refused(url: str, expected: str) -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({"SMTP_URL": url}, db="x.sqlite3")
    assert caught.value.expected == expected and caught.value.name == "SMTP_URL"


def test_a_malformed_smtp_url_stops_the_start_with_one_chinese_line_and_no_password(
        cli: Any, sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMTP_URL", "smtp://bot:hunter2@mail.example.gov.cn:twenty-five")
    status, out, err = cli("--db", sqlite_url, "web")
    assert status == 2 and out == ""
    assert "SMTP_URL" in err and "smtps://" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert "hunter2" not in err and "bot:***@" in err
    monkeypatch.setenv("SMTP_URL", "smtp://bot:hunter2@mail.example.gov.cn")
    status, _out, err = cli("--db", sqlite_url, "web")
    assert status == 2 and "starttls=1" in err and "hunter2" not in err
    monkeypatch.setenv("SMTP_URL", "smtp://127.0.0.1")
    monkeypatch.setenv("SMTP_FROM", "not an address")
    status, _out, err = cli("--db", sqlite_url, "web")
    assert status == 2 and "SMTP_FROM" in err


def test_the_smtp_password_is_masked_and_smtp_from_wins(sqlite_url: str, mailbox: tuple[Mailbox, int]) -> None:
    settings = Settings.from_env({"SMTP_URL": "smtps://bot:hunter2@mail.example.gov.cn"}, db="x.sqlite3")
    assert "hunter2" not in repr(settings) and "hunter2" not in str(settings.masked())
    assert "smtps://bot:***@mail.example.gov.cn" in repr(settings)
    box, port = mailbox
    app = app_with(sqlite_url, smtp_url=f"smtp://127.0.0.1:{port}", smtp_from="鹤城区政务公开办 <xxgk@example.gov.cn>")
    try:
        file_through_the_chat(app)
        staff_reply(app)
        send_due(app)
        [(envelope_from, _to, _raw)] = box.received
        sender = box.letters()[0]["From"].addresses[0]
        assert envelope_from == "xxgk@example.gov.cn" and sender.display_name == "鹤城区政务公开办"
    finally:
        app.close()
