"""Registering tickets: by staff (letters, counter, fax, e-mail …) and from a chat."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from sqlalchemy.orm import Session

from bot import texts
from bot.errors import InvalidInput
from bot.tickets.base import ServiceBase, parse_code
from bot.tickets.codes import (
    CHAT_CHANNELS,
    Action,
    ApplicantType,
    Channel,
    DeliveryForm,
    DeliveryWay,
    IdKind,
    TicketKind,
)
from bot.tickets.identity import check_address, check_email, check_identity, check_identity_for, check_phone
from bot.tickets.models import RequestDetails, Ticket
from bot.tickets.numbering import allocate_number
from bot.tickets.status import TicketStatus


@dataclass(frozen=True)
class RequestForm:
    """What 第二十九条第二款 asks of a disclosure request."""

    applicant_name: str
    applicant_type: str
    id_kind: str
    id_number: str
    description: str
    form: str = DeliveryForm.ELECTRONIC.value
    delivery: str = DeliveryWay.EMAIL.value
    phone: str | None = None
    email: str | None = None
    address: str | None = None


def _code(enum: type[StrEnum], value: str, what: str) -> str:
    return parse_code(enum, value, what).value


def _text(value: str, limit: int, message: str) -> str:
    value = value.strip()
    if not value or len(value) > limit:
        raise InvalidInput(message)
    return value


def validate_form(form: RequestForm) -> RequestForm:
    """Check and normalise every field (第二十九条第二款); raise InvalidInput naming the first bad one."""
    applicant_type = _code(ApplicantType, form.applicant_type, texts.FIELD_APPLICANT_TYPE)
    id_kind = _code(IdKind, form.id_kind, texts.FIELD_ID_KIND)
    check_identity_for(applicant_type, id_kind)
    phone = check_phone(form.phone) if form.phone else None
    email = check_email(form.email) if form.email else None
    address = check_address(form.address) if form.address else None
    if not (phone or email or address):
        raise InvalidInput(texts.CONTACT_REQUIRED)
    delivery = _code(DeliveryWay, form.delivery, texts.FIELD_DELIVERY)
    if (delivery == DeliveryWay.EMAIL and not email) or (delivery == DeliveryWay.POST and not address):
        raise InvalidInput(texts.DELIVERY_NEEDS_CONTACT)
    return replace(
        form,
        applicant_name=_text(form.applicant_name, 200, texts.NAME_REQUIRED),
        applicant_type=applicant_type,
        id_kind=id_kind,
        id_number=check_identity(id_kind, form.id_number),
        description=_text(form.description, 5000, texts.DESCRIPTION_REQUIRED),
        form=_code(DeliveryForm, form.form, texts.FIELD_FORM),
        delivery=delivery,
        phone=phone,
        email=email,
        address=address,
    )


class IntakeOps(ServiceBase):
    def register_request(self, session: Session, actor: str, *, channel: str, form: RequestForm,
                         received_on: date | None = None, chat_id: str | None = None) -> Ticket:
        """Staff register a request that came by letter, at the counter, by fax, e-mail or website."""
        self._require(session, actor, Action.CREATED)
        form = validate_form(form)
        ticket = self._create(session, actor, TicketKind.DISCLOSURE_REQUEST, channel, form.description,
                              received_on, chat_id)
        self._add_details(session, ticket, form)
        return ticket

    def register_enquiry(self, session: Session, actor: str, *, channel: str, question: str,
                         received_on: date | None = None, chat_id: str | None = None) -> Ticket:
        self._require(session, actor, Action.CREATED)
        question = _text(question, 5000, texts.QUESTION_REQUIRED)
        return self._create(session, actor, TicketKind.ENQUIRY, channel, question, received_on, chat_id)

    def file_from_chat(self, session: Session, *, channel: str, chat_id: str, form: RequestForm) -> Ticket:
        """A citizen files in a chat; 第三十一条第（三）项: the bot's receipt message confirms it today."""
        form = validate_form(form)
        ticket = self._create(session, chat_actor(chat_id), TicketKind.DISCLOSURE_REQUEST, channel,
                              form.description, None, chat_id)
        self._add_details(session, ticket, form)
        return ticket

    def escalate_from_chat(self, session: Session, *, channel: str, chat_id: str, question: str) -> Ticket:
        """A question the bot could not answer becomes an enquiry for staff."""
        question = _text(question, 5000, texts.QUESTION_REQUIRED)
        return self._create(session, chat_actor(chat_id), TicketKind.ENQUIRY, channel, question, None, chat_id)

    def _create(self, session: Session, actor: str, kind: TicketKind, channel: str, subject: str,
                received_on: date | None, chat_id: str | None) -> Ticket:
        channel = _code(Channel, channel, texts.FIELD_CHANNEL)
        if (channel in CHAT_CHANNELS) != bool(chat_id):
            raise InvalidInput(texts.CHAT_ID_RULE)
        if channel in CHAT_CHANNELS:
            received_on = None  # a chat request is received the day the bot confirms it
        received = self._day(received_on, not_before=date(2008, 5, 1))
        ticket = Ticket(
            number=allocate_number(session, received.year), kind=kind.value,
            status=TicketStatus.RECEIVED.value, channel=channel, chat_id=chat_id, subject=subject,
            created_at=self.clock.now(), received_on=received, extension_days=0,
        )
        self._refresh_due(ticket)
        session.add(ticket)
        session.flush()
        self._event(session, ticket, actor, Action.CREATED, dst=ticket.status, kind=kind.value,
                    channel=channel, received=received.isoformat(),
                    due=ticket.due_on.isoformat() if ticket.due_on else None, provisional=ticket.due_provisional)
        return ticket

    @staticmethod
    def _add_details(session: Session, ticket: Ticket, form: RequestForm) -> None:
        session.add(RequestDetails(
            ticket_id=ticket.id, applicant_name=form.applicant_name, applicant_type=form.applicant_type,
            id_kind=form.id_kind, id_number=form.id_number, phone=form.phone, email=form.email,
            address=form.address, form=form.form, delivery=form.delivery,
        ))
        session.flush()
        session.refresh(ticket, ["details"])


def chat_actor(chat_id: str) -> str:
    return f"chat:{chat_id}"
