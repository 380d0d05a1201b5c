"""One ticket: the request as filed, how its due date was counted, its history, and every action as a form.

Each action calls the same service method as the CLI (``tickets claim`` …) and the staff chat
(``/claim`` …); a failed rule re-shows the page with the reason and the values typed, nothing stored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as default
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from bot import texts
from bot.dialogue import outbox
from bot.dialogue.messages import Document
from bot.dialogue.models import OutboxMessage
from bot.errors import BotError, InvalidInput, PermissionDenied
from bot.settings import default_data_dir
from bot.tickets.base import normalize_number
from bot.tickets.codes import Action, PauseKind, RemedyKind, RemedyResult, Role, TicketKind
from bot.tickets.models import Ticket, TicketEvent
from bot.tickets.outcomes import ENQUIRY_OUTCOMES, OUTCOMES
from bot.tickets.render import event_parts, outcome_label
from bot.tickets.service import TicketService
from bot.tickets.staff import list_staff
from bot.tickets.status import TicketStatus, allowed
from bot.tickets.views import TicketDetail
from handlers.web.staff.console import Console, Refused, Viewer, field, files, redirect
from handlers.web.staff.pages import page
from handlers.web.staff.uploads import REPLY_TYPES, Upload, read_upload


def parse_day(value: str) -> date | None:
    """An optional date typed in a form (YYYY-MM-DD; the browser's date field sends that)."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(texts.DATE_FORMAT.format(value=value)) from None


def parse_int(value: str, label: str) -> int | None:
    if not value:
        return None
    if not value.isascii() or not value.isdigit():
        raise InvalidInput(texts.WEB_NOT_A_NUMBER.format(label=label, value=value))
    return int(value)


def attachment_path(number: str, event_id: int, name: str) -> Path:
    """Where a file uploaded with a reply is kept (the outbox delivers it from there)."""
    return default_data_dir() / "attachments" / "tickets" / number / str(event_id) / name


@dataclass(frozen=True)
class Attachment:
    event_id: int
    name: str
    at: str
    actor: str
    stored: bool  # a copy on this machine (else a Telegram file id, sent without being downloaded)


@dataclass
class TicketPage:
    detail: TicketDetail
    staff: list[tuple[str, str]]
    attachments: list[Attachment]
    actions: set[str]
    history: list[tuple[str, str, str]] = default(default_factory=list)


def available(detail: TicketDetail, viewer: Viewer) -> set[str]:
    """The forms the page shows, asked of the same transition table the service obeys."""
    row, facts = detail.row, detail.facts
    moves = allowed(row.kind, row.status)
    is_open = row.status != TicketStatus.CLOSED
    request = row.kind == TicketKind.DISCLOSURE_REQUEST
    actions = {"note"}
    if is_open:
        actions |= {"assign", "reply"}
        if row.assignee != viewer.name:
            actions.add("claim")
    if TicketStatus.CLOSED in moves:
        actions |= {"close", "withdrawn"}
    if not request:
        return actions
    actions.add("remedy")
    if TicketStatus.AWAITING_CORRECTION in moves and not facts.get("correction_asked_on"):
        actions.add("correction")
    if row.status == TicketStatus.AWAITING_CORRECTION:
        actions.add("corrected")
    if TicketStatus.IN_CONSULTATION in moves:
        actions.add("consult")
    if row.status == TicketStatus.IN_CONSULTATION:
        actions.add("consulted")
    if TicketStatus.AWAITING_FEE in moves:
        actions.add("fee")
    if row.status == TicketStatus.AWAITING_FEE:
        actions.add("paid")
    if row.status == TicketStatus.RECEIVED and not facts.get("extension_days") \
            and facts.get("extension_requested_days") is None:
        actions.add("extend")
    if facts.get("extension_requested_days") is not None and viewer.has(Role.SUPERVISOR):
        actions.add("approve")
    return actions


def outcome_menu(kind: str) -> list[tuple[str, str, str]]:
    """(code, table 三 row, article) in the order of the rows of table 三; enquiries: their three."""
    if kind == TicketKind.ENQUIRY:
        return [(code, texts.ENQUIRY_OUTCOME_LABELS[code], "") for code in sorted(ENQUIRY_OUTCOMES)]
    return [(code, outcome_label(code), o.article or texts.NO_ARTICLE) for code, o in OUTCOMES.items()]


def _attachments(session: Session, ticket: Ticket, detail: TicketDetail) -> list[Attachment]:
    stored_names = {d.get("name") for row in session.scalars(
        select(OutboxMessage.documents).where(OutboxMessage.ticket_number == ticket.number)) for d in (row or [])
        if d.get("path")}
    found = []
    for event in detail.events:
        if event.action == Action.DOCUMENT_SENT and event.id is not None:
            name = str(event.data.get("file", ""))
            stored = attachment_path(ticket.number, event.id, name).is_file() or name in stored_names
            at, actor, _what = event_parts(event)
            found.append(Attachment(event.id, name, at, actor, stored))
    return found


# --- actions: each reads its fields and calls one service method -------------------------------------

Call = Callable[[TicketService, Session, str, str, FormData], Any]


def _close(service: TicketService, session: Session, actor: str, number: str, form: FormData) -> Any:
    outcome = field(form, "outcome")
    if not outcome:
        raise InvalidInput(texts.WEB_OUTCOME_REQUIRED)
    return service.close(session, actor, number, outcome=outcome, agency=field(form, "agency") or None,
                         on=parse_day(field(form, "on")))


ACTIONS: dict[str, tuple[Call, str]] = {
    "claim": (lambda svc, s, a, n, f: svc.claim(s, a, n), "claimed"),
    "assign": (lambda svc, s, a, n, f: svc.assign(s, a, n, to=field(f, "to")), "assigned"),
    "note": (lambda svc, s, a, n, f: svc.note(s, a, n, text=field(f, "text")), "noted"),
    "correction": (lambda svc, s, a, n, f: svc.ask_correction(
        s, a, n, matters=field(f, "matters"), days=parse_int(field(f, "days"), texts.WEB_LABEL_DAYS),
        on=parse_day(field(f, "on"))), "correction"),
    "corrected": (lambda svc, s, a, n, f: svc.record_correction(s, a, n, on=parse_day(field(f, "on"))), "corrected"),
    "consult": (lambda svc, s, a, n, f: svc.start_consultation(
        s, a, n, party=field(f, "party"), on=parse_day(field(f, "on"))), "consult"),
    "consulted": (lambda svc, s, a, n, f: svc.end_consultation(s, a, n, on=parse_day(field(f, "on"))), "consulted"),
    "fee": (lambda svc, s, a, n, f: svc.send_fee_notice(
        s, a, n, amount=field(f, "amount"), on=parse_day(field(f, "on"))), "fee"),
    "paid": (lambda svc, s, a, n, f: svc.record_payment(s, a, n, on=parse_day(field(f, "on"))), "paid"),
    "extend": (lambda svc, s, a, n, f: svc.request_extension(
        s, a, n, days=parse_int(field(f, "days"), texts.WEB_LABEL_DAYS) or 0, reason=field(f, "reason")), "extend"),
    "approve": (lambda svc, s, a, n, f: svc.approve_extension(s, a, n), "approved"),
    "close": (_close, "closed"),
    "remedy": (lambda svc, s, a, n, f: svc.add_remedy(
        s, a, n, kind=field(f, "kind"), filed_on=parse_day(field(f, "filed")) or _missing(texts.WEB_LABEL_FILED),
        decided_on=parse_day(field(f, "decided")), result=field(f, "result") or RemedyResult.PENDING.value), "remedy"),
    "remedy_result": (lambda svc, s, a, n, f: svc.decide_remedy(
        s, a, parse_int(field(f, "record"), texts.WEB_LABEL_RECORD) or 0,
        decided_on=parse_day(field(f, "decided")) or _missing(texts.WEB_LABEL_DECIDED),
        result=field(f, "result")), "remedy"),
}


def _missing(label: str) -> date:
    raise InvalidInput(texts.WEB_FIELD_REQUIRED.format(label=label))


def routes(console: Console) -> list[Route]:
    def load(session: Session, viewer: Viewer, number: str, *, reveal: bool = False) -> TicketPage:
        service = console.service(session)
        detail = service.detail(session, viewer.name, number, reveal=reveal)
        ticket = service.get(session, number)
        staff = [(m.name, m.role) for m in list_staff(session)]
        history = [event_parts(e) for e in reversed(detail.events)]
        return TicketPage(detail, staff, _attachments(session, ticket, detail), available(detail, viewer), history)

    async def show(request: Request, viewer: Viewer, number: str, *, error: str = "", values: dict[str, str] | None
                   = None, reveal: bool = False, status: int = 200, preview: dict[str, str] | None = None) -> Response:
        view = await console.run(lambda s: load(s, viewer, number, reveal=reveal))
        return console.render(request, "ticket.html", {
            "viewer": viewer, "p": view, "d": view.detail, "row": view.detail.row, "error": error or None,
            "values": values or {}, "outcomes": outcome_menu(view.detail.row.kind), "preview": preview,
            "parties": [PauseKind.THIRD_PARTY.value, PauseKind.AGENCY.value], "remedy_kinds": list(RemedyKind),
            "remedy_results": list(RemedyResult)}, status)

    @page(console)
    async def ticket(request: Request, viewer: Viewer) -> Response:
        return await show(request, viewer, normalize_number(request.path_params["number"]))

    @page(console)
    async def act(request: Request, viewer: Viewer) -> Response:
        number = normalize_number(request.path_params["number"])
        name = request.path_params["action"]
        form = await console.form(request, viewer)
        values = {k: v for k, v in form.multi_items() if isinstance(v, str) and k != "csrf"}
        if name == "reveal":  # shown in this answer only, and recorded (第二十九条's data is personal)
            return await show(request, viewer, number, reveal=True)
        if name not in ACTIONS and name not in ("reply", "preview", "withdrawn"):
            raise Refused(404, texts.WEB_NOT_FOUND)
        try:
            if name == "reply":
                uploads = [await read_upload(f, max_bytes=console.settings.web_upload_max_mb * 1024 * 1024,
                                             types=REPLY_TYPES) for f in files(form, "files")]
                await console.run(lambda s: _reply(console, s, viewer, number, field(form, "text"), uploads))
                return redirect(request, f"/tickets/{number}", "replied")
            if name in ("preview", "withdrawn"):
                letter = await console.run(lambda s: _preview(console, s, viewer, number, form, name))
                chosen = {"outcome": "withdrawn"} if name == "withdrawn" else {
                    "outcome": field(form, "outcome"), "agency": field(form, "agency"), "on": field(form, "on")}
                return await show(request, viewer, number, preview={"letter": letter, **chosen})
            call, notice = ACTIONS[name]
            await console.run(lambda s: call(console.service(s), s, viewer.name, number, form))
        except PermissionDenied:
            raise  # its own page (403); the refusal is recorded
        except BotError as exc:
            return await show(request, viewer, number, error=str(exc), values={"action": name, **values}, status=400)
        return redirect(request, f"/tickets/{number}", notice)

    @page(console)
    async def download(request: Request, viewer: Viewer) -> Response:
        number = normalize_number(request.path_params["number"])
        event_id = int(request.path_params["event"])

        def find(session: Session) -> tuple[str, Path] | None:
            console.service(session).detail(session, viewer.name, number)  # staff only; a refusal is recorded
            event = session.get(TicketEvent, event_id)
            ticket = console.service(session).get(session, number)
            if event is None or event.ticket_id != ticket.id or event.action != Action.DOCUMENT_SENT:
                return None
            name = str((event.data or {}).get("file", ""))
            path = attachment_path(number, event_id, name)
            if path.is_file():
                return name, path
            for row in session.scalars(select(OutboxMessage.documents).where(OutboxMessage.ticket_number == number)):
                for doc in row or []:
                    if doc.get("name") == name and doc.get("path") and Path(doc["path"]).is_file():
                        return name, Path(doc["path"])
            return None

        found = await console.run(find)
        if found is None:
            raise Refused(404, texts.WEB_FILE_NOT_KEPT)
        return FileResponse(found[1], filename=found[0], media_type="application/octet-stream",
                            content_disposition_type="attachment")

    return [
        Route("/tickets/{number}", ticket, methods=["GET"]),
        Route("/tickets/{number}/files/{event:int}", download, methods=["GET"]),
        Route("/tickets/{number}/{action}", act, methods=["POST"]),
    ]


def _reply(console: Console, session: Session, viewer: Viewer, number: str, text: str, uploads: list[Upload]) -> None:
    """A reply with its files: the service records it; the files are kept and go out with its message."""
    service = console.service(session)
    ticket = service.get(session, number)
    service.reply(session, viewer.name, number, text=text, files=[u.name for u in uploads])
    if not uploads:
        return
    session.flush()
    events = list(session.scalars(select(TicketEvent).where(
        TicketEvent.ticket_id == ticket.id, TicketEvent.action == Action.DOCUMENT_SENT.value)
        .order_by(TicketEvent.id.desc()).limit(len(uploads))))[::-1]
    documents = []
    for event, upload in zip(events, uploads, strict=True):
        path = attachment_path(ticket.number, event.id, upload.name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(upload.content)
        documents.append(Document(upload.name, path=str(path)))
    outbox.attach_to_reply(session, ticket.number, tuple(documents))  # its message is written at commit


def _preview(console: Console, session: Session, viewer: Viewer, number: str, form: FormData, name: str) -> str:
    """The closing letter as it would be sent: the close is done in a savepoint and undone."""
    service = console.service(session)
    savepoint = session.begin_nested()
    try:
        if name == "withdrawn":
            return str(service.close(session, viewer.name, number, outcome="withdrawn"))
        return str(_close(service, session, viewer.name, number, form))
    finally:
        savepoint.rollback()
