"""E-mail to web-chat applicants: the outbox's sender for the channel ``email`` (``bot.delivery.Sender``).

A notice to a ticket filed in the web chat (a staff reply, a 补正 notice, a closing letter …) is shown on
the applicant's next visit; when they gave an e-mail address and SMTP_URL is set, the same notice is
also queued as a row of channel ``email`` (``bot.dialogue.outbox.queue_event``). That row holds no
address: its chat is the ticket number, and the address is read from the ticket here, when it is sent.

Sent with the standard library (``smtplib``, ``email.message``) in a thread: plain text in UTF-8, the
files of a staff reply as attachments, the subject naming the ticket and the agency, From = SMTP_FROM
(else the agency's name and e-mail address as stored in the database). Errors by kind:

- the server's answer to this message (MAIL, RCPT, DATA): 5xx — a refused recipient, a message too
  large … — is ``failed``, never retried (the ticket's history, the staff group and the digest are told,
  as for the other channels); 4xx is retried with backoff;
- no connection, a timeout, a dropped connection: retried (when the message may already have been
  handed over — the connection dropped during the transaction — the try's outcome is counted unknown);
- the session set-up (greeting, STARTTLS, TLS, login) refused: the district's configuration, not the
  message — retried with backoff, and logged as an error so an operator fixes SMTP_URL;
- the applicant's address gone from the ticket, or an attached file gone: ``failed``.

The address never reaches a log, a row's error or a staff message: the server's own words are masked
before they are kept.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import mimetypes
import smtplib
import ssl
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import texts
from bot.agency import effective_settings
from bot.dialogue.outbox import EMAIL, OutboxItem, Outcome, Result
from bot.settings import Settings, SmtpServer
from bot.tickets.clock import SHANGHAI
from bot.tickets.masking import mask_text
from bot.tickets.models import RequestDetails, Ticket

log = logging.getLogger(__name__)
CHANNEL = EMAIL
Sessions = Callable[[], AbstractContextManager[Session]]


@dataclass(frozen=True)
class Letter:
    """What one row needs from the database at send time: where to, and the agency's details."""

    to: str | None
    settings: Settings


class Refused(Exception):
    """The message cannot be sent as it is (no address, a file gone, unsupported by the server)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def senders(settings: Settings, sessions: Sessions) -> dict[str, MailSender]:
    """The e-mail sender when SMTP_URL is set, else none: for every long-running process's dispatcher."""
    server = settings.smtp
    return {CHANNEL: MailSender(settings, server, sessions)} if server is not None else {}


def compose(item: OutboxItem, to: str, settings: Settings) -> EmailMessage:
    """The e-mail of one outbox row (``settings``: the agency's details as stored). Raises ``Refused``
    when an attached file is gone."""
    number = item.ticket_number or ""
    agency = settings.agency_name
    body = [item.reply.text]
    if item.reply.buttons:
        labels = "、".join(texts.MAIL_LABEL.format(label=b.label) for b in item.reply.buttons)
        body.append(texts.MAIL_BUTTONS_HINT.format(labels=labels))
    body.append(texts.MAIL_FOOTER.format(agency=agency, phone=settings.agency_phone))
    message = EmailMessage()
    sender = settings.mail_from()
    message["Subject"] = texts.MAIL_SUBJECT.format(agency=agency, number=number)
    message["From"] = sender
    message["To"] = to
    message["Date"] = format_datetime(datetime.now(SHANGHAI))
    domain = parseaddr(sender)[1].rpartition("@")[2] or None
    message["Message-ID"] = make_msgid(domain=domain)  # the domain given: no DNS lookup of this host
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies back to the agency
    message.set_content("\n\n".join(body), charset="utf-8")
    for document in item.reply.documents:
        if document.path is None:  # a web applicant's files are always stored here (outbox.unreachable)
            raise Refused(texts.DELIVERY_FILE_GONE)
        try:
            content = Path(document.path).read_bytes()
        except OSError:
            raise Refused(texts.DELIVERY_FILE_GONE) from None
        kind, _encoding = mimetypes.guess_type(document.name)
        main, _, sub = (kind or "application/octet-stream").partition("/")
        message.add_attachment(content, maintype=main, subtype=sub, filename=document.name)
    return message


def _letter(session: Session, settings: Settings, ticket_number: str | None) -> Letter:
    email = session.scalar(select(RequestDetails.email).join(Ticket, Ticket.id == RequestDetails.ticket_id)
                           .where(Ticket.number == ticket_number)) if ticket_number else None
    return Letter(email or None, effective_settings(session, settings))


def _detail(message: bytes | str) -> str:
    """The server's words for a row's error: decoded, addresses and other personal data masked, short."""
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)
    return mask_text(" ".join(text.split()))[:160]


def _refusal(code: int, message: bytes | str, parts_sent: int, *, unknown: bool = False) -> Result:
    """The server's answer to this message: 5xx is final, 4xx (and anything odd) is tried again."""
    detail = _detail(message)
    reason = texts.MAIL_REFUSED.format(code=code, detail=f" {detail}" if detail else "")
    if 500 <= code < 600:
        return Result(Outcome.FAILED, parts_sent, reason=reason)
    return Result(Outcome.RETRY, parts_sent, unknown=unknown, reason=f"SMTP {code}")


class MailSender:
    """Sends the ``email`` rows through the SMTP server of SMTP_URL."""

    channel = CHANNEL

    def __init__(self, settings: Settings, server: SmtpServer, sessions: Sessions) -> None:
        self.settings, self.server, self.sessions = settings, server, sessions

    async def deliver(self, item: OutboxItem) -> Result:
        return await asyncio.to_thread(self.send, item)

    def send(self, item: OutboxItem) -> Result:
        """One row, in the calling thread (blocking): looked up, composed, handed over, classified."""
        with self.sessions() as session:
            letter = _letter(session, self.settings, item.ticket_number)
        if letter.to is None:
            return Result(Outcome.FAILED, item.parts_sent, reason=texts.MAIL_NO_ADDRESS)
        try:
            message = compose(item, letter.to, letter.settings)
        except Refused as exc:
            return Result(Outcome.FAILED, item.parts_sent, reason=exc.reason)
        envelope_from = parseaddr(str(message["From"]))[1]
        return self._hand_over(item, message, envelope_from, letter.to)

    def _connect(self) -> smtplib.SMTP:
        server = self.server
        context = ssl.create_default_context()  # the system's CAs (SSL_CERT_FILE is honoured), names checked
        if server.security == "tls":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(server.host, server.port, timeout=server.timeout, context=context)
        else:
            smtp = smtplib.SMTP(server.host, server.port, timeout=server.timeout)
        try:
            smtp.ehlo()
            if server.security == "starttls":
                smtp.starttls(context=context)  # SMTPNotSupportedError when not offered: never in the clear
                smtp.ehlo()
            if server.user:
                smtp.login(server.user, server.password)
        except BaseException:
            smtp.close()
            raise
        return smtp

    def _hand_over(self, item: OutboxItem, message: EmailMessage, envelope_from: str, to: str) -> Result:
        done = 1 + len(item.reply.documents)  # parts, as the web chat counts them: one e-mail, all or nothing
        try:
            smtp = self._connect()
        except smtplib.SMTPAuthenticationError as exc:
            log.error("outbox %s: the SMTP server refused the login (%s): check SMTP_URL", item.id, exc.smtp_code)
            return Result(Outcome.RETRY, item.parts_sent, reason=f"SMTP login {exc.smtp_code}")
        except smtplib.SMTPNotSupportedError:
            log.error("outbox %s: the SMTP server offers no STARTTLS (or no login): check SMTP_URL", item.id)
            return Result(Outcome.RETRY, item.parts_sent, reason="SMTPNotSupportedError")
        except smtplib.SMTPResponseException as exc:  # a greeting or EHLO refused: the server, not the message
            log.warning("outbox %s: the SMTP server refused the session (%s)", item.id, exc.smtp_code)
            return Result(Outcome.RETRY, item.parts_sent, reason=f"SMTP {exc.smtp_code}")
        except ssl.SSLError as exc:  # a certificate that does not verify, a protocol mismatch: the settings
            log.error("outbox %s: TLS with the SMTP server failed (%s): check SMTP_URL", item.id, type(exc).__name__)
            return Result(Outcome.RETRY, item.parts_sent, reason=type(exc).__name__)
        except (OSError, smtplib.SMTPException) as exc:  # refused, unreachable, timed out, dropped: never sent
            log.info("outbox %s: the SMTP server cannot be reached (%s)", item.id, type(exc).__name__)
            return Result(Outcome.RETRY, item.parts_sent, reason=type(exc).__name__)
        try:
            smtp.send_message(message, from_addr=envelope_from, to_addrs=[to])
        except smtplib.SMTPRecipientsRefused as exc:  # the one recipient refused
            code, words = next(iter(exc.recipients.values()), (550, b""))
            log.warning("outbox %s: the recipient was refused (%s)", item.id, code)
            return _refusal(code, words, item.parts_sent)
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:  # MAIL or DATA answered (size …)
            log.warning("outbox %s: the message was refused (%s)", item.id, exc.smtp_code)
            return _refusal(exc.smtp_code, exc.smtp_error, item.parts_sent)
        except smtplib.SMTPNotSupportedError as exc:  # SMTPUTF8 needed and not offered
            return Result(Outcome.FAILED, item.parts_sent, reason=texts.MAIL_UNSUPPORTED.format(detail=_detail(str(exc))))
        except smtplib.SMTPResponseException as exc:
            return _refusal(exc.smtp_code, exc.smtp_error, item.parts_sent, unknown=True)
        except (OSError, smtplib.SMTPException) as exc:  # dropped or timed out mid-way: it may have arrived
            log.warning("outbox %s: the connection to the SMTP server broke while sending (%s)", item.id,
                        type(exc).__name__)
            return Result(Outcome.RETRY, item.parts_sent, unknown=True, reason=type(exc).__name__)
        finally:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                smtp.quit()  # the message is handed over: what QUIT answers changes nothing
            smtp.close()
        log.info("outbox %s: e-mail handed to the SMTP server", item.id)  # by row id: never the address
        return Result(Outcome.SENT, done)
