"""Daily work done once across all workers: the pause sweep and the housekeeping after midnight, the staff
digest at DIGEST_TIME (09:00 Asia/Shanghai); a worker that starts late catches up the same day.

Each job of each day is one row of ``scheduled_runs``, written in the transaction of the job's work: the
first worker to write it does the work, the others find it there; a job that fails leaves no row and is
tried again at the next tick.
"""

from __future__ import annotations

import logging
import time as time_module
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.dialogue import digest, form, inbox, outbox
from bot.dialogue.models import DialogueState, OutboxMessage, ScheduledRun, table
from bot.dialogue.outbox import GENERATED, PENDING, dialect_insert
from bot.settings import Settings, default_data_dir
from bot.tickets.models import Ticket
from bot.tickets.service import TicketService

log = logging.getLogger(__name__)
SWEEP, HOUSEKEEPING, DIGEST = "sweep", "housekeeping", "digest"


def due_jobs(settings: Settings, local_now: datetime) -> list[str]:
    """The jobs whose time has come today (local time, Asia/Shanghai)."""
    jobs = [SWEEP, HOUSEKEEPING]
    if settings.staff_chat_id and local_now.time() >= parse_time(settings.digest_time):
        jobs.append(DIGEST)
    return jobs


def parse_time(value: str) -> time:
    hour, _, minute = value.partition(":")
    return time(int(hour), int(minute or 0))


def done_on(session: Session, day: date) -> set[str]:
    return set(session.scalars(select(ScheduledRun.job).where(ScheduledRun.day == day)))


def take(session: Session, job: str, day: date, at: datetime, worker: str) -> bool:
    """Write the day's row for ``job``: True when this worker is the one to do it."""
    t = table(ScheduledRun)
    stmt = (dialect_insert(session)(t).values(job=job, day=day, at=at, worker=worker[:64])
            .on_conflict_do_nothing(index_elements=["job", "day"]).returning(t.c.job))
    return session.execute(stmt).scalar() is not None


def run(session: Session, job: str, service: TicketService, settings: Settings, day: date, at: datetime) -> None:
    if job == SWEEP:  # 第三十二条: a consultation's 15 working days over, the pause ends by itself
        ended = service.end_expired_consultations(session)
        log.info("pause sweep: %d consultations ended", len(ended))
    elif job == DIGEST:
        digest.queue_digest(session, service, settings.staff_chat_id, day, at)
    elif job == HOUSEKEEPING:
        before = at - timedelta(days=settings.inbox_retention_days)
        pruned = inbox.prune(session, before)
        replies = outbox.prune_conversation(session, before)
        removed = prune_attachments(session, settings, day) + prune_generated(session, settings)
        drafts = drop_form_drafts(session, at - timedelta(days=settings.form_draft_days))
        log.info("housekeeping: %d handled updates, %d chat replies pruned, %d attachment files removed, "
                 "%d form drafts dropped", pruned, replies, removed, drafts)


def drop_form_drafts(session: Session, before: datetime) -> int:
    """Request forms left half-filled since before ``before`` (FORM_DRAFT_DAYS): their fields, an identity
    number among them, are dropped; the user starts again with /apply."""
    result = session.execute(update(DialogueState)
                             .where(DialogueState.flow == form.FLOW, DialogueState.updated_at < before)
                             .values(flow=None, step=None, data=None))
    return int(getattr(result, "rowcount", 0) or 0)


def prune_generated(session: Session, settings: Settings, folder: Path | None = None) -> int:
    """Files the bot made to send (``/report``) once delivered: kept INBOX_RETENTION_DAYS days, then
    removed unless a message still waiting needs them."""
    folder = (folder or default_data_dir() / "attachments" / GENERATED).resolve()
    if not folder.is_dir():
        return 0
    waiting = {str(Path(d["path"]).resolve()) for documents in session.scalars(
        select(OutboxMessage.documents).where(OutboxMessage.status == PENDING, OutboxMessage.documents.is_not(None)))
        for d in documents or [] if d.get("path")}
    cutoff = time_module.time() - settings.inbox_retention_days * 86400
    removed = 0
    for path in folder.glob("*/*"):
        if str(path.resolve()) not in waiting and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
            if not any(path.parent.iterdir()):
                path.parent.rmdir()
    return removed


def prune_attachments(session: Session, settings: Settings, today: date, folder: Path | None = None) -> int:
    """Files attached in the terminal to replies of tickets closed more than ATTACHMENT_RETENTION_YEARS
    years ago (never, by default). The messages stay in the history; only the stored copies go."""
    years = settings.attachment_retention_years
    if years <= 0:
        return 0
    folder = (folder or default_data_dir() / "attachments").resolve()
    cutoff = today.replace(year=today.year - years) if not (today.month == 2 and today.day == 29) \
        else date(today.year - years, 2, 28)
    old = set(session.scalars(select(Ticket.number).where(Ticket.closed_on.is_not(None), Ticket.closed_on < cutoff)))
    keep: set[Path] = set()
    drop: set[Path] = set()
    for number, documents in session.execute(select(OutboxMessage.ticket_number, OutboxMessage.documents)
                                             .where(OutboxMessage.documents.is_not(None))):
        for document in documents or []:
            if not document.get("path"):
                continue
            path = Path(document["path"]).resolve()
            if folder not in path.parents:
                continue  # never a file outside the attachments folder
            (drop if number in old else keep).add(path)
    removed = 0
    for path in drop - keep:
        try:
            path.unlink()
            removed += 1
        except FileNotFoundError:
            continue
        if path.parent != folder and not any(path.parent.iterdir()):
            path.parent.rmdir()
    return removed
