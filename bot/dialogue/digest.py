"""The morning digest for the staff group: due within the 'due soon' days, overdue, waiting for 补正, and
the messages that could not be delivered since the last digest."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from bot import texts
from bot.dialogue import outbox
from bot.dialogue.messages import Reply
from bot.dialogue.models import OutboxMessage
from bot.tickets.render import render_row
from bot.tickets.service import TicketService
from bot.tickets.status import TicketStatus
from bot.tickets.views import Filters


def digest_text(session: Session, service: TicketService, failures: list[OutboxMessage] | None = None) -> str:
    """The digest text (identity numbers and phones masked, as in every staff view)."""
    sections = {
        texts.DIGEST_DUE_SOON.format(days=service.settings.due_soon_days): service.queue_rows(session, Filters(due_soon=True)),
        texts.DIGEST_OVERDUE: service.queue_rows(session, Filters(overdue=True)),
        texts.DIGEST_CORRECTION: service.queue_rows(session, Filters(status=TicketStatus.AWAITING_CORRECTION.value)),
    }
    lines = [texts.DIGEST_TITLE.format(day=service.clock.today().isoformat())]
    for title, items in sections.items():
        lines.append(title + (texts.DIGEST_NONE if not items else ""))
        lines.extend(render_row(r) for r in items)
    if failures:
        lines.append(texts.DIGEST_FAILED.format(count=len(failures)))
        lines.extend(texts.DIGEST_FAILED_LINE.format(
            number=m.ticket_number or texts.DIGEST_NO_TICKET, status=texts.DELIVERY_STATUS_LABELS[m.status],
            reason=m.error or "—") for m in failures[:20])
        if len(failures) > 20:
            lines.append(texts.DIGEST_MORE.format(count=len(failures) - 20))
    return "\n".join(lines)


def queue_digest(session: Session, service: TicketService, staff_chat: str, day: date, at: datetime) -> None:
    """Put the day's digest in the outbox (the caller holds the day's run: see ``bot.dialogue.jobs``); the
    failed messages it names are marked as told."""
    failures = outbox.unreported_failures(session)
    outbox.put(session, key=f"digest:{day.isoformat()}", channel="telegram", chat_id=staff_chat,
               reply=Reply(digest_text(session, service, failures)), at=at)
    for message in failures:
        message.reported_at = at
