"""The yearly tables: 二、三、四 as the template prints them, checks, differences, table 二 entry,
publishing, downloads, and the register import and export — the services of `python -m bot report`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any
from urllib.parse import quote

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot import texts
from bot.errors import BotError, InvalidInput, PermissionDenied
from bot.stats.files import file_name, render
from bot.stats.importing import ImportResult, RegisterOps
from bot.stats.layout import RESULTS, format_for_year
from bot.stats.proactive import layout, parse_value, set_figure
from bot.stats.report import build_report, publish_as
from bot.tickets.calendar_store import build_calendar
from bot.tickets.clock import SHANGHAI
from bot.tickets.codes import Action, Role
from bot.tickets.staff import require_role
from handlers.web.staff.console import Console, Refused, Viewer, field, files, redirect
from handlers.web.staff.pages import page
from handlers.web.staff.uploads import REGISTER_TYPES, as_file, read_upload
from knowledge import template_labels as labels

FIRST_YEAR = 2008  # the first reports under the 2007 regulation
DOWNLOADS = ("xlsx", "docx", "csv", "md")
MEDIA = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "csv": "text/csv; charset=utf-8", "md": "text/markdown; charset=utf-8"}
CHECK_ORDER = {"fail": 0, "uncertain": 1, "pass": 2}


@dataclass(frozen=True)
class Cell:
    text: str
    colspan: int = 1
    rowspan: int = 1


def table3_lines(report: dict[str, Any]) -> list[tuple[list[Cell], list[Any]]]:
    """Table 三 as printed: label cells (merged like the template) and the seven figures of each line.

    As in the template (and the .xlsx), a （n） with items has no line of its own: its label stands,
    merged, beside its items; 三、本年度办理结果 stands merged beside all its lines.
    """
    rows = report["table3"]["rows"]
    columns = report["table3"]["columns"]
    grouped = {r["group"] for r in rows}
    printed = [r for r in rows if r["label"] not in grouped]
    results = [r for r in printed if r["group"] is not None]
    lines: list[tuple[list[Cell], list[Any]]] = []
    seen: set[str] = set()
    for row in printed:
        cells: list[Cell] = []
        if row["group"] is None:
            cells.append(Cell(row["label"], colspan=3))
        else:
            if RESULTS not in seen:
                seen.add(RESULTS)
                cells.append(Cell(RESULTS, rowspan=len(results)))
            if row["group"] == RESULTS:
                cells.append(Cell(row["label"], colspan=2))
            else:
                if row["group"] not in seen:
                    seen.add(row["group"])
                    cells.append(Cell(row["group"], rowspan=sum(r["group"] == row["group"] for r in printed)))
                cells.append(Cell(row["label"]))
        lines.append((cells, [row["values"].get(c) for c in columns]))
    return lines


def table2_sections(report_format: str, report: dict[str, Any]) -> list[tuple[str, list[tuple[str, str, list[
        tuple[str, str, Any]]]]]]:
    """Table 二 by its 第二十条 headings: (heading, [(item code, label, [(field, column, value)])])."""
    sections: list[tuple[str, list[Any]]] = []
    rows = {row.label: row.item for row in labels.table2(report_format)}
    for item, label, columns in layout(report_format):
        heading = labels.article_20(rows[label])
        if not sections or sections[-1][0] != heading:
            sections.append((heading, []))
        sections[-1][1].append((item, label, [(f, c, report["table2"][label][c]) for f, c in columns]))
    return sections


def _year(console: Console, raw: str) -> int:
    this_year = console.clock.now().astimezone(SHANGHAI).year
    if not (raw.isascii() and raw.isdigit() and len(raw) == 4 and FIRST_YEAR <= int(raw) <= this_year):
        raise InvalidInput(texts.WEB_BAD_YEAR.format(value=raw, first=FIRST_YEAR, last=this_year))
    return int(raw)


def routes(console: Console) -> list[Route]:
    def register_ops(session: Session) -> RegisterOps:
        return RegisterOps(console.settings, build_calendar(session, console.settings), console.clock)

    async def show(request: Request, viewer: Viewer, year: int, *, error: str = "", status: int = 200,
                   import_errors: list[str] | None = None, typed: dict[str, str] | None = None) -> Response:
        report = await console.run(lambda s: build_report(s, year))
        this_year = console.clock.now().astimezone(SHANGHAI).year
        return console.render(request, "report.html", {
            "viewer": viewer, "year": year, "years": list(range(this_year, FIRST_YEAR - 1, -1)), "r": report,
            "t3": table3_lines(report), "t2": table2_sections(report["format"], report), "typed": typed or {},
            "checks": sorted(report["checks"], key=lambda c: CHECK_ORDER.get(c["status"], 3)),
            "labels": labels, "downloads": DOWNLOADS, "error": error or None, "import_errors": import_errors or [],
            "can_publish": viewer.has(Role.SUPERVISOR)}, status)

    def requested_year(request: Request) -> int:
        raw = request.query_params.get("year", "")
        if not raw:
            return console.clock.now().astimezone(SHANGHAI).year - 1
        try:
            return _year(console, raw)
        except InvalidInput as exc:
            raise Refused(400, str(exc)) from None

    @page(console)
    async def report_page(request: Request, viewer: Viewer) -> Response:
        return await show(request, viewer, requested_year(request))

    @page(console)
    async def figures(request: Request, viewer: Viewer) -> Response:
        form = await console.form(request, viewer)
        year = _posted_year(console, field(form, "year"))
        report_format = format_for_year(year)
        typed = {k: v.strip() for k, v in form.multi_items() if isinstance(v, str) and "." in k}
        now = console.clock.now()

        def save(session: Session) -> None:
            require_role(session, at=now, actor=viewer.name, action=Action.NOTE, role=Role.STAFF)  # as the CLI
            cells = [(item, f) for item, _label, columns in layout(report_format) for f, _c in columns]
            for item, f in cells:  # every cell checked before any is stored
                if typed.get(f"{item}.{f}"):
                    parse_value(report_format, item, f, typed[f"{item}.{f}"])
            for item, f in cells:
                if typed.get(f"{item}.{f}"):
                    set_figure(session, year=year, report_format=report_format, item=item, field=f,
                               raw=typed[f"{item}.{f}"], actor=viewer.name, at=now)

        try:
            await console.run(save)
        except PermissionDenied:
            raise
        except BotError as exc:
            return await show(request, viewer, year, error=str(exc), status=400, typed=typed)
        return _back(request, year, "figures")

    @page(console)
    async def publish_page(request: Request, viewer: Viewer) -> Response:
        form = await console.form(request, viewer)
        year = _posted_year(console, field(form, "year"))
        now = console.clock.now()

        def done(session: Session) -> None:
            publish_as(session, year, actor=viewer.name, at=now)

        await console.run(done)
        return _back(request, year, "published")

    @page(console)
    async def download(request: Request, viewer: Viewer) -> Response:
        year, fmt = _posted_year(console, request.path_params["year"]), request.path_params["fmt"]
        if fmt not in DOWNLOADS:
            raise Refused(404, texts.WEB_NOT_FOUND)
        await console.require(request, viewer, Role.STAFF, Action.VIEWED)

        def make(session: Session) -> str | bytes:
            return render(session, console.settings, build_report(session, year), fmt)

        try:
            content = await console.run(make)
        except BotError as exc:  # the .docx needs a CJK font for its chart: the message names the package
            raise Refused(409, str(exc)) from None
        data = content if isinstance(content, bytes) else content.encode("utf-8-sig" if fmt == "csv" else "utf-8")
        return _attachment(data, file_name(year, fmt), MEDIA[fmt])

    @page(console)
    async def import_register(request: Request, viewer: Viewer) -> Response:
        form = await console.form(request, viewer)
        year = _posted_year(console, field(form, "year"))
        uploads = files(form, "file")
        try:
            if not uploads:
                raise InvalidInput(texts.WEB_UPLOAD_REQUIRED)
            upload = await read_upload(uploads[0], max_bytes=console.settings.web_upload_max_mb * 1024 * 1024,
                                       types=REGISTER_TYPES)

            def run_import(session: Session) -> ImportResult:
                with as_file(upload) as path:  # every row is checked first: all or nothing
                    return register_ops(session).import_register(session, viewer.name, path)

            result = await console.run(run_import)
        except PermissionDenied:
            raise
        except BotError as exc:
            return await show(request, viewer, year, error=str(exc), status=400)
        if result.errors:
            return await show(request, viewer, year, error=texts.IMPORT_REFUSED.format(n=len(result.errors)),
                              status=400, import_errors=[str(e) for e in result.errors])
        return _back(request, year, "imported")

    @page(console)
    async def export_register(request: Request, viewer: Viewer) -> Response:
        year, ext = _posted_year(console, request.path_params["year"]), request.path_params["ext"]
        if ext not in ("csv", "xlsx"):
            raise Refused(404, texts.WEB_NOT_FOUND)
        await console.require(request, viewer, Role.STAFF, Action.VIEWED)

        def export(session: Session) -> bytes:
            with TemporaryDirectory(prefix="gongkai-register-") as folder:
                path = Path(folder) / f"register.{ext}"
                register_ops(session).export_register(session, year, path)
                return path.read_bytes()

        data = await console.run(export)
        return _attachment(data, texts.WEB_REGISTER_FILE.format(year=year, ext=ext),
                           MEDIA["xlsx"] if ext == "xlsx" else MEDIA["csv"])

    return [
        Route("/report", report_page, methods=["GET"]),
        Route("/report/figures", figures, methods=["POST"]),
        Route("/report/publish", publish_page, methods=["POST"]),
        Route("/report/import", import_register, methods=["POST"]),
        Route("/report/download/{year}.{fmt}", download, methods=["GET"]),
        Route("/report/register/{year}.{ext}", export_register, methods=["GET"]),
    ]


def _posted_year(console: Console, raw: str) -> int:
    try:
        return _year(console, raw)
    except InvalidInput as exc:
        raise Refused(400, str(exc)) from None


def _back(request: Request, year: int, notice: str) -> Response:
    return redirect(request, f"/report?year={year}", notice)


def _attachment(data: bytes, name: str, media: str) -> Response:
    return Response(data, media_type=media, headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})
