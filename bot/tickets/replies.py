"""The reply to the applicant when a ticket closes: the decision, its article, the remedies."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import object_session

from bot import texts
from bot.agency import effective_settings
from bot.settings import Settings
from bot.tickets.codes import TicketKind
from bot.tickets.models import Ticket
from bot.tickets.outcomes import G2, OUTCOMES, Outcome, Remedy

# 行政复议法 (2023 revision) in force: from this day 不予公开 must first go to 行政复议 (第二十三条).
REVIEW_FIRST_SINCE = date(2024, 1, 1)


def remedies_text(outcome: Outcome, decided_on: date, settings: Settings) -> str:
    """The remedies paragraph of the reply to the applicant.

    Since 2024: 不予公开 (wholly or in part) goes to review first; where courts differ on whether that
    rule applies, both routes are named and the rule is quoted, never "must". Before 2024: both routes.
    """
    if outcome.remedy is Remedy.NONE:
        return ""
    names = {"review_body": settings.review_body, "court": settings.court}
    if decided_on < REVIEW_FIRST_SINCE or outcome.remedy is Remedy.REVIEW_OR_LAWSUIT:
        return texts.REMEDY_REVIEW_OR_LAWSUIT.format(**names)
    if outcome.remedy is Remedy.REVIEW_FIRST:
        withheld = texts.REMEDY_WITHHELD_PART if outcome.group == G2 else texts.REMEDY_WITHHELD
        return texts.REMEDY_REVIEW_FIRST.format(withheld=withheld, **names)
    return texts.REMEDY_REVIEW_OR_LAWSUIT.format(**names) + texts.REMEDY_RULE_QUOTED.format(**names)


def closing_reply(ticket: Ticket, settings: Settings) -> str:
    """The text sent to the applicant when ``ticket`` is closed (it holds no identity number).

    The agency's details come from the database where staff edit them (bot/agency.py), in every process.
    """
    assert ticket.outcome is not None and ticket.closed_on is not None
    settings = effective_settings(object_session(ticket), settings)
    signature = texts.REPLY_SIGNATURE.format(
        agency=settings.agency_name, address=settings.agency_address, phone=settings.agency_phone,
        email=settings.agency_email, day=_chinese_date(ticket.closed_on),
    )
    if ticket.kind == TicketKind.ENQUIRY:
        body = texts.ENQUIRY_CLOSED.format(number=ticket.number) + texts.ENQUIRY_OUTCOMES[ticket.outcome]
        return "\n\n".join((body, signature))
    outcome = OUTCOMES[ticket.outcome]
    name = ticket.details.applicant_name if ticket.details else texts.APPLICANT
    parts = [
        texts.REPLY_HEADER.format(name=name, received=_chinese_date(ticket.received_on),
                                  agency=settings.agency_name, number=ticket.number),
        texts.OUTCOME_DECISIONS[outcome.code].format(
            agency=ticket.referred_agency or "",
            asked=_chinese_date(ticket.correction_asked_on),
            deadline=_chinese_date(ticket.correction_deadline_on),
        ),
    ]
    if outcome.article:
        parts.append(texts.REPLY_BASIS.format(article=outcome.article))
    parts.append(remedies_text(outcome, ticket.closed_on, settings))
    parts.append(signature)
    return "\n\n".join(p for p in parts if p)


def _chinese_date(day: date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""
