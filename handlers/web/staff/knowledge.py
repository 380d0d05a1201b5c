"""The knowledge page: the documents loaded, a new report (the ingestion of `python -m bot ingest`), the
questions the bot could not answer, and the guide changes that teach it (with their undo)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot import guide, questions, texts
from bot.errors import BotError, InvalidInput, PermissionDenied
from bot.questions import UnansweredQuestion
from bot.tickets.codes import Action, Role
from bot.tickets.history import record_event
from bot.tickets.staff import require_role
from handlers.web.staff.console import Console, Viewer, field, files, redirect
from handlers.web.staff.pages import page
from handlers.web.staff.uploads import REPORT_TYPES, as_file, read_upload
from knowledge import guide_edits
from knowledge.guide_edits import GuideEdit, GuideEntry
from knowledge.service import DocumentSummary, IngestResult, summaries
from knowledge.structure import Hints

SHOWN_QUESTIONS = 50


@dataclass
class KnowledgePage:
    documents: list[DocumentSummary]
    questions: list[UnansweredQuestion]
    entries: list[GuideEntry]
    edits: list[GuideEdit]


def routes(console: Console) -> list[Route]:
    retention = timedelta(days=console.settings.question_retention_days)

    def load(session: Session) -> KnowledgePage:
        return KnowledgePage(summaries(session),
                             questions.recent(session, at=console.clock.now(), retention=retention,
                                              limit=SHOWN_QUESTIONS),
                             guide_edits.entries(session), guide_edits.history(session))

    async def show(request: Request, viewer: Viewer, *, error: str = "", status: int = 200,
                   values: dict[str, str] | None = None) -> Response:
        await console.require(request, viewer, Role.STAFF, Action.VIEWED)
        view = await console.run(load)
        titles = {e.id: e.title for e in view.entries}
        return console.render(request, "knowledge.html", {
            "viewer": viewer, "k": view, "titles": titles, "error": error or None, "values": values or {},
            "retention": console.settings.question_retention_days, "can_ingest": viewer.has(Role.ADMIN)}, status)

    @page(console)
    async def knowledge_page(request: Request, viewer: Viewer) -> Response:
        return await show(request, viewer)

    @page(console)
    async def ingest(request: Request, viewer: Viewer) -> Response:
        form = await console.form(request, viewer)
        now = console.clock.now()
        await console.run(lambda s: require_role(s, at=now, actor=viewer.name, action=Action.DOCUMENT_INGESTED,
                                                 role=Role.ADMIN))
        try:
            year = field(form, "year")
            if year and not (year.isascii() and year.isdigit() and len(year) == 4):
                raise InvalidInput(texts.WEB_NOT_A_NUMBER.format(label=texts.WEB_LABEL_YEAR, value=year))
            uploads = files(form, "file")
            if not uploads:
                raise InvalidInput(texts.WEB_UPLOAD_REQUIRED)
            upload = await read_upload(uploads[0], max_bytes=console.settings.web_upload_max_mb * 1024 * 1024,
                                       types=REPORT_TYPES)
        except BotError as exc:
            return await show(request, viewer, error=str(exc), status=400)
        hints = Hints(title=field(form, "title"), agency=field(form, "agency"), year=int(year) if year else None)

        def parse_and_store() -> IngestResult:
            with as_file(upload) as path:  # the CLI's ingestion, in its own transaction
                return console.app.knowledge.ingest(path, hints)

        result = await run_in_threadpool(parse_and_store)  # a PDF may take seconds: not on the event loop
        if not result.ok:
            return await show(request, viewer, status=400,
                              error=texts.INGEST_FAILED.format(path=upload.name, reason=result.reason))
        await console.run(lambda s: record_event(s, at=now, actor=viewer.name, action=Action.DOCUMENT_INGESTED, data={
            "title": result.title, "agency": result.agency, "year": result.year}))
        return redirect(request, "/knowledge", "ingested")

    def _question(form_value: str) -> int | None:
        return int(form_value) if form_value.isascii() and form_value.isdigit() else None

    async def change(request: Request, viewer: Viewer, notice: str, action_name: str) -> Response:
        form = await console.form(request, viewer)
        values = {k: v for k, v in form.multi_items() if isinstance(v, str) and k != "csrf"}
        now = console.clock.now()
        question = _question(field(form, "question"))

        def act(session: Session) -> None:
            if action_name == "phrasing":
                guide.add_phrasing(session, at=now, actor=viewer.name, entry_id=field(form, "entry"),
                                   phrasing=field(form, "phrasing"), question_id=question)
            elif action_name == "entry":
                asked = str(form.get("asked_as") or "").splitlines()
                guide.add_entry(session, at=now, actor=viewer.name, title=field(form, "title"),
                                basis=field(form, "basis"), answer=field(form, "answer"), asked_as=asked,
                                question_id=question)
            elif action_name == "undo":
                edit = _question(field(form, "edit"))
                if edit is None:
                    raise InvalidInput(texts.WEB_GUIDE_NO_EDIT.format(id=field(form, "edit")))
                guide.undo(session, at=now, actor=viewer.name, edit_id=edit)
            elif question is not None:
                guide.dismiss(session, at=now, actor=viewer.name, question_id=question)

        try:
            await console.run(act)
        except PermissionDenied:
            raise
        except BotError as exc:
            return await show(request, viewer, error=str(exc), status=400, values={"form": action_name, **values})
        return redirect(request, "/knowledge", notice)

    def action(notice: str, name: str):  # type: ignore[no-untyped-def]
        @page(console)
        async def endpoint(request: Request, viewer: Viewer) -> Response:
            return await change(request, viewer, notice, name)

        return endpoint

    return [
        Route("/knowledge", knowledge_page, methods=["GET"]),
        Route("/knowledge/ingest", ingest, methods=["POST"]),
        Route("/knowledge/phrasing", action("phrasing", "phrasing"), methods=["POST"]),
        Route("/knowledge/entry", action("entry", "entry"), methods=["POST"]),
        Route("/knowledge/undo", action("undone", "undo"), methods=["POST"]),
        Route("/knowledge/dismiss", action("dismissed", "dismiss"), methods=["POST"]),
    ]
