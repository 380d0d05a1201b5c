"""Importing an office register into tickets (idempotent) and exporting a year back to it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import texts
from bot.errors import InvalidInput
from bot.stats.layout import COLUMN_OF_TYPE
from bot.stats.models import ImportedRequest
from bot.stats.register import PRINTED_OUTCOME, RegisterRow, RowError, parse_row, read_rows, write_rows
from bot.tickets.base import ServiceBase
from bot.tickets.codes import Action, ApplicantType, Channel, Role, TicketKind
from bot.tickets.models import RequestDetails, Ticket
from bot.tickets.numbering import allocate_number
from bot.tickets.status import TicketStatus

# Imported requests carry only the register's fields; the channel is not in a register.
IMPORT_CHANNEL = Channel.COUNTER.value


@dataclass
class ImportResult:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    imported: bool = True  # False when invalid rows stopped the whole import


def validate_file(path: Path, today: date) -> tuple[list[RegisterRow], list[RowError]]:
    """Every row parsed, or its line and reason; a file-level problem raises InvalidInput."""
    rows: list[RegisterRow] = []
    errors: list[RowError] = []
    seen: set[str] = set()
    for raw in read_rows(path):
        if raw.problem is not None:
            errors.append(RowError(raw.line, raw.problem))
            continue
        try:
            row = parse_row(raw.line, raw.values, today)
        except InvalidInput as exc:
            errors.append(RowError(raw.line, str(exc)))
            continue
        if row.register_no is not None:
            if row.register_no in seen:
                errors.append(RowError(row.line, texts.IMPORT_DUPLICATE_NO.format(value=row.register_no)))
                continue
            seen.add(row.register_no)
        rows.append(row)
    return rows, errors


class RegisterOps(ServiceBase):
    def import_register(self, session: Session, actor: str, path: Path, *, skip_invalid: bool = False) -> ImportResult:
        """Import a register; nothing changes unless every row is valid (or ``skip_invalid``)."""
        self._require(session, actor, Action.CREATED, Role.STAFF)
        rows, errors = validate_file(path, self.clock.today())
        result = ImportResult(errors=errors)
        if errors and not skip_invalid:
            result.imported = False
            return result
        occurrences: Counter[str] = Counter()
        for row in rows:
            key = row.content_key(0)
            occurrences[key] += 1
            key = row.content_key(occurrences[key])
            outcome = self._apply(session, actor, row, key)
            setattr(result, outcome, getattr(result, outcome) + 1)
        return result

    def _apply(self, session: Session, actor: str, row: RegisterRow, key: str) -> str:
        if row.register_no is not None:
            ticket = self._by_register_no(session, row.register_no)
            if ticket is not None:
                return self._update(session, actor, ticket, row)
        elif session.scalar(select(ImportedRequest.ticket_id).where(ImportedRequest.content_key == key)):
            return "unchanged"
        self._create(session, actor, row, key)
        return "added"

    @staticmethod
    def _by_register_no(session: Session, register_no: str) -> Ticket | None:
        """A row names its request by the register's number, or by our ticket number (an export)."""
        ticket_id = session.scalar(select(ImportedRequest.ticket_id).where(ImportedRequest.register_no == register_no))
        if ticket_id is not None:
            return session.get(Ticket, ticket_id)
        return session.scalar(select(Ticket).where(Ticket.number == register_no,
                                                   Ticket.kind == TicketKind.DISCLOSURE_REQUEST.value))

    def _create(self, session: Session, actor: str, row: RegisterRow, key: str) -> None:
        ticket = Ticket(number=allocate_number(session, row.received_on.year),
                        kind=TicketKind.DISCLOSURE_REQUEST.value, status=TicketStatus.RECEIVED.value,
                        channel=IMPORT_CHANNEL, subject=row.subject, created_at=self.clock.now(),
                        received_on=row.received_on, extension_days=0)
        self._refresh_due(ticket)
        session.add(ticket)
        session.flush()
        # Identity fields are not in a register: left empty, the row is marked as imported below.
        session.add(RequestDetails(ticket_id=ticket.id, applicant_name="", applicant_type=row.applicant_type,
                                   id_kind="", id_number="", form="", delivery=""))
        session.add(ImportedRequest(ticket_id=ticket.id, register_no=row.register_no, content_key=key,
                                    imported_at=self.clock.now()))
        self._event(session, ticket, actor, Action.CREATED, dst=ticket.status, kind=ticket.kind,
                    source="register", line=row.line, received=row.received_on.isoformat())
        if row.closed_on is not None:
            self._close_imported(session, actor, ticket, row)

    def _close_imported(self, session: Session, actor: str, ticket: Ticket, row: RegisterRow) -> None:
        assert row.closed_on is not None and row.outcome is not None
        ticket.outcome, ticket.closed_on = row.outcome, row.closed_on
        self._move(session, ticket, TicketStatus.CLOSED, actor, Action.CLOSED, outcome=row.outcome,
                   closed=row.closed_on.isoformat(), source="register")

    def _update(self, session: Session, actor: str, ticket: Ticket, row: RegisterRow) -> str:
        changes = _changes(ticket, row)
        if not changes:
            return "unchanged"
        if ticket.status == TicketStatus.CLOSED and row.closed_on is None:
            raise InvalidInput(str(RowError(row.line, texts.IMPORT_REOPEN)))
        ticket.subject, ticket.received_on = row.subject, row.received_on
        if ticket.details is not None:
            ticket.details.applicant_type = row.applicant_type
        if ticket.status != TicketStatus.CLOSED and row.closed_on is not None:
            self._close_imported(session, actor, ticket, row)
            return "updated"
        ticket.outcome, ticket.closed_on = row.outcome or ticket.outcome, row.closed_on or ticket.closed_on
        self._refresh_due(ticket)
        self._event(session, ticket, actor, Action.NOTE, source="register", line=row.line, changed=changes)
        return "updated"

    def export_register(self, session: Session, year: int, path: Path) -> int:
        """Write the disclosure requests received in ``year`` as a register; returns how many."""
        statement = (
            select(Ticket, RequestDetails.applicant_type, ImportedRequest.register_no)
            .outerjoin(RequestDetails, RequestDetails.ticket_id == Ticket.id)
            .outerjoin(ImportedRequest, ImportedRequest.ticket_id == Ticket.id)
            .where(Ticket.kind == TicketKind.DISCLOSURE_REQUEST.value,
                   Ticket.received_on >= date(year, 1, 1), Ticket.received_on <= date(year, 12, 31))
            .order_by(Ticket.received_on, Ticket.number)
        )
        rows = [_register_row(ticket, kind, register_no) for ticket, kind, register_no in session.execute(statement)]
        write_rows(path, rows)
        return len(rows)


def _register_row(ticket: Ticket, applicant_type: str | None, register_no: str | None) -> dict[str, Any]:
    closed = ticket.status == TicketStatus.CLOSED
    return {
        "register_no": register_no or ticket.number,
        "received_on": ticket.received_on.isoformat(),
        "applicant_type": COLUMN_OF_TYPE.get(ApplicantType(applicant_type)) if applicant_type else None,
        "subject": ticket.subject,
        "closed_on": ticket.closed_on.isoformat() if closed and ticket.closed_on else None,
        "outcome": PRINTED_OUTCOME.get(ticket.outcome or "") if closed else None,
    }


def _changes(ticket: Ticket, row: RegisterRow) -> list[str]:
    """The fields a register row changes; an outcome counts as the same when it is the same row of 三."""
    stored_row = PRINTED_OUTCOME.get(ticket.outcome or "")
    closed = ticket.status == TicketStatus.CLOSED
    pairs = {
        "received_on": (ticket.received_on, row.received_on),
        "applicant_type": (ticket.details.applicant_type if ticket.details else None, row.applicant_type),
        "subject": (ticket.subject, row.subject),
        "closed_on": (ticket.closed_on if closed else None, row.closed_on),
        "outcome": (stored_row if closed else None, PRINTED_OUTCOME.get(row.outcome or "")),
    }
    return [name for name, (old, new) in pairs.items() if old != new]
