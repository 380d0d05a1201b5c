"""The morning digest for the staff group: due within the 'due soon' days, overdue, waiting for 补正."""

from __future__ import annotations

from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot import texts
from bot.dialogue import outbox
from bot.dialogue.messages import Reply
from bot.dialogue.models import SeenUpdate
from bot.tickets.render import render_row
from bot.tickets.service import TicketService
from bot.tickets.status import TicketStatus
from bot.tickets.views import Filters

DIGEST = "digest"  # a SeenUpdate channel: one row a day, so several workers send one digest


def digest_text(session: Session, service: TicketService) -> str:
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
    return "\n".join(lines)


def queue_digest(session: Session, service: TicketService, staff_chat: str, day: date) -> bool:
    """Put today's digest in the outbox unless another worker already did; True when this one did."""
    try:
        with session.begin_nested():
            session.add(SeenUpdate(channel=DIGEST, update_id=int(day.strftime("%Y%m%d")), at=service.clock.now()))
    except IntegrityError:
        return False
    outbox.put(session, channel="telegram", chat_id=staff_chat, reply=Reply(digest_text(session, service)),
               at=service.clock.now())
    return True
