"""Administration (administrators only): staff and roles, passwords, the holiday schedule, the agency's
details named in replies — the services of `staff add/remove`, `staff passwd` and `holidays load`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot import accounts, agency, texts
from bot.cli_admin import _change_lines
from bot.errors import BotError, InvalidInput, PermissionDenied
from bot.settings import Settings
from bot.tickets.codes import Action, Role
from bot.tickets.service import HolidayLoad
from bot.tickets.staff import add_staff, list_staff, remove_staff
from bot.workdays import parse_holiday_file
from handlers.web.staff.console import Console, Viewer, field, files, redirect
from handlers.web.staff.pages import page
from handlers.web.staff.uploads import HOLIDAY_TYPES, read_upload


@dataclass(frozen=True)
class Member:
    name: str
    role: str
    has_password: bool
    locked_until: datetime | None


def routes(console: Console) -> list[Route]:
    def load(session: Session) -> tuple[list[Member], Settings]:
        now = console.clock.now()
        members = [Member(m.name, m.role, m.password_hash is not None, accounts.locked_until(session, m.name, now))
                   for m in list_staff(session)]
        return members, agency.effective_settings(session, console.settings)

    async def show(request: Request, viewer: Viewer, *, error: str = "", status: int = 200,
                   values: dict[str, str] | None = None, holidays: dict[str, Any] | None = None) -> Response:
        await console.require(request, viewer, Role.ADMIN, Action.ADMIN_OPENED)
        members, settings = await console.run(load)
        return console.render(request, "admin.html", {
            "viewer": viewer, "members": members, "settings": settings, "fields": agency.AGENCY_FIELDS,
            "roles": [r.value for r in Role], "error": error or None, "values": values or {},
            "holidays": holidays}, status)

    @page(console)
    async def admin_page(request: Request, viewer: Viewer) -> Response:
        return await show(request, viewer)

    async def act(request: Request, viewer: Viewer, notice: str, work: Any) -> Response:
        """Run ``work(session, form)`` as an administrator; a bad value re-shows the page with the reason."""
        await console.require(request, viewer, Role.ADMIN, Action.ADMIN_OPENED)
        form = await console.form(request, viewer)
        values = {k: v for k, v in form.multi_items() if isinstance(v, str) and k not in ("csrf", "password", "again")}
        try:
            await console.run(lambda s: work(s, form))
        except PermissionDenied:
            raise
        except BotError as exc:
            return await show(request, viewer, error=str(exc), status=400, values=values)
        return redirect(request, "/admin", notice)

    @page(console)
    async def save_staff(request: Request, viewer: Viewer) -> Response:
        return await act(request, viewer, "staff", lambda s, f: add_staff(
            s, at=console.clock.now(), by=viewer.name, name=field(f, "name"), role=field(f, "role")))

    @page(console)
    async def remove(request: Request, viewer: Viewer) -> Response:
        return await act(request, viewer, "removed", lambda s, f: remove_staff(
            s, at=console.clock.now(), by=viewer.name, name=field(f, "name")))

    @page(console)
    async def password(request: Request, viewer: Viewer) -> Response:
        def work(session: Session, form: Any) -> None:
            new, again = str(form.get("password") or ""), str(form.get("again") or "")
            if new != again:
                raise InvalidInput(texts.WEB_PASSWORD_MISMATCH)
            accounts.set_password(session, at=console.clock.now(), by=viewer.name, name=field(form, "name"),
                                  password=new)

        return await act(request, viewer, "password", work)

    @page(console)
    async def save_agency(request: Request, viewer: Viewer) -> Response:
        return await act(request, viewer, "agency", lambda s, f: agency.save(
            s, console.settings, at=console.clock.now(), by=viewer.name,
            values={k: field(f, k) for k in agency.AGENCY_FIELDS}))

    @page(console)
    async def holidays(request: Request, viewer: Viewer) -> Response:
        await console.require(request, viewer, Role.ADMIN, Action.ADMIN_OPENED)
        form = await console.form(request, viewer)
        replace = field(form, "replace") == "1"
        try:
            uploads = files(form, "file")
            if uploads:
                upload = await read_upload(uploads[0], max_bytes=1024 * 1024, types=HOLIDAY_TYPES)
                try:
                    content = upload.content.decode("utf-8-sig")  # a BOM (Windows Notepad) is fine
                except UnicodeDecodeError:
                    raise InvalidInput(texts.HOLIDAY_FILE_UNREADABLE.format(
                        path=upload.name, reason=texts.HOLIDAY_FILE_REASONS["UnicodeDecodeError"])) from None
            else:
                content = str(form.get("content") or "")
            if not content.strip():
                raise InvalidInput(texts.WEB_UPLOAD_REQUIRED)
            schedules = parse_holiday_file(content)

            def load_file(session: Session) -> HolidayLoad:
                return console.service(session).load_holidays(session, viewer.name, schedules, replace_known=replace)

            result = await console.run(load_file)
        except PermissionDenied:
            raise
        except BotError as exc:
            return await show(request, viewer, error=str(exc), status=400)
        if not result.loaded:  # a known year: show what would change, and ask again
            changes = [line for change in result.changes if change.known for line in _change_lines(change)]
            return await show(request, viewer, status=409, holidays={
                "content": content, "changes": changes,
                "years": "、".join(map(str, result.blocked))})
        return redirect(request, "/admin", "holidays")

    return [
        Route("/admin", admin_page, methods=["GET"]),
        Route("/admin/staff", save_staff, methods=["POST"]),
        Route("/admin/staff/remove", remove, methods=["POST"]),
        Route("/admin/password", password, methods=["POST"]),
        Route("/admin/holidays", holidays, methods=["POST"]),
        Route("/admin/agency", save_agency, methods=["POST"]),
    ]
