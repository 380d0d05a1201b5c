"""The texts of outbox messages: the notice of a ticket event to its applicant, the staff card of a new
ticket, and why a file cannot reach an applicant's channel."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot import texts
from bot.dialogue.messages import Button, Document, Reply
from bot.settings import Settings
from bot.tickets.codes import CHAT_CHANNELS, Action, Rating
from bot.tickets.masking import mask_email, mask_phone, mask_text
from bot.tickets.models import Ticket, TicketEvent
from bot.tickets.render import due_text
from bot.tickets.replies import closing_reply


def provisional_note(*provisional: bool) -> str:
    """The sentence explaining （暂定） to the applicant, when a date of the message is provisional."""
    return texts.PROVISIONAL_NOTE if any(provisional) else ""


def _event_date(data: dict[str, Any], key: str, flag: str) -> tuple[str, bool]:
    """A date of an event as the applicant reads it: marked （暂定） when it lies in a year not yet known."""
    value, provisional = data.get(key), bool(data.get(flag))
    if not value:
        return "", False
    return due_text(date.fromisoformat(value), provisional), provisional


def notice(ticket: Ticket, event: TicketEvent, settings: Settings) -> Reply:
    """The message to the applicant for one notify event."""
    data, number = event.data or {}, ticket.number
    if event.action == Action.REPLIED:
        if not data.get("text"):  # only files
            return Reply(texts.NOTICE_REPLY_FILES.format(number=number))
        return Reply(texts.NOTICE_REPLY.format(number=number, text=data.get("text", "")))
    if event.action == Action.CORRECTION_REQUESTED:
        deadline, provisional = _event_date(data, "deadline", "deadline_provisional")
        return Reply(texts.NOTICE_CORRECTION.format(number=number, matters=data.get("matters", ""),
                                                    deadline=deadline, provisional=provisional_note(provisional)),
                     (Button(f"fix:{number}", texts.BTN_CORRECT),))
    if event.action == Action.FEE_NOTICE_SENT:
        limit, provisional = _event_date(data, "limit", "limit_provisional")
        return Reply(texts.NOTICE_FEE.format(number=number, amount=data.get("amount", ""), limit=limit,
                                             days=data.get("days", settings.fee_payment_days),
                                             provisional=provisional_note(provisional)))
    if event.action == Action.EXTENSION_APPROVED:
        due, provisional = _event_date(data, "due", "provisional")
        if not due:
            due, provisional = due_text(ticket.due_on, ticket.due_provisional), ticket.due_provisional
        return Reply(texts.NOTICE_EXTENSION.format(number=number, days=data.get("days", ""), due=due,
                                                   provisional=provisional_note(provisional)))
    # After the close the applicant can rate the handling (满意率 in the yearly figures).
    return Reply(closing_reply(ticket, settings) + "\n\n" + texts.RATE_PROMPT,
                 tuple(Button(f"rate:{number}:{code}", texts.RATING_LABELS[code]) for code in Rating))


def staff_card(ticket: Ticket) -> Reply:
    """A new ticket for the staff group: identity numbers and phones masked, in the free text too."""
    d = ticket.details
    contact = (mask_phone(d.phone) if d.phone else mask_email(d.email or "")) if d else ""
    text = texts.NEW_TICKET_STAFF.format(
        number=ticket.number, kind=texts.KIND_LABELS[ticket.kind], applicant=mask_text(d.applicant_name) if d else "—",
        contact=contact or "—", subject=mask_text(ticket.subject), due=due_text(ticket.due_on, ticket.due_provisional))
    return Reply(text, (Button(f"claim:{ticket.number}", texts.ACTION_LABELS["claimed"]),))


def unreachable(ticket: Ticket, documents: tuple[Document, ...]) -> Reply | None:
    """Files that cannot reach the applicant's channel (a Telegram file for a terminal applicant): why."""
    for document in documents:
        if ticket.channel in CHAT_CHANNELS and not document.reaches(ticket.channel):
            return Reply(texts.DOCUMENT_UNREACHABLE.format(name=document.name,
                                                           channel=texts.CHANNEL_LABELS[ticket.channel]))
    return None
