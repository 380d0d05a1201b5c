"""What every page of the staff console shares: the signed-in member, transactions, templates, forms.

Pages are thin: they read the form, call the same services as the CLI and the staff chat inside one
transaction (a refusal's event is committed, a failed rule changes nothing), and render a template.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar
from urllib.parse import quote

import jinja2
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.templating import Jinja2Templates

from bot import accounts, texts
from bot.agency import effective_settings
from bot.app import App
from bot.errors import PermissionDenied
from bot.tickets.calendar_store import build_calendar
from bot.tickets.clock import SHANGHAI, Clock, SystemClock
from bot.tickets.codes import Action, Role
from bot.tickets.render import due_text, outcome_label
from bot.tickets.service import TicketService
from bot.tickets.staff import RANK, find_staff, require_role
from bot.workdays import Due, YearSchedule, chinese_calendar_schedules

log = logging.getLogger(__name__)
T = TypeVar("T")
SESSION_COOKIE = "gongkai_staff"
LOGIN_COOKIE = "gongkai_login"  # the sign-in form's CSRF token, before there is a session
PAGE_SIZE = 50


@dataclass(frozen=True)
class Viewer:
    """The signed-in staff member of a request."""

    name: str
    role: str
    csrf: str

    def has(self, role: Role) -> bool:
        return RANK[Role(self.role)] >= RANK[role]


class Refused(Exception):
    """A request the console answers with a page of its own (403, 404 …) instead of the one asked for."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("handlers.web.staff", "templates"),
        autoescape=jinja2.select_autoescape(["html"], default_for_string=True, default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["t"] = texts
    env.filters["due"] = lambda row: due_text(row.due_on, row.provisional, row.overdue, row.due_soon)
    env.filters["outcome"] = outcome_label
    env.filters["local"] = lambda at: at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") if at else ""
    env.filters["label"] = lambda code, labels: labels.get(code, code) if code else ""
    env.filters["day"] = lambda v: due_text(v.date, v.provisional) if isinstance(v, Due) else (str(v) if v else "")
    return Jinja2Templates(env=env)


class Console:
    """The console of one process: the App (settings, database, knowledge) and its templates."""

    def __init__(self, app: App, clock: Clock | None = None) -> None:
        self.app = app
        self.settings = app.settings
        self.clock: Clock = clock or SystemClock()
        self.templates = _templates()
        self.idle = timedelta(hours=self.settings.web_session_hours)
        self._base_calendar: list[YearSchedule] = chinese_calendar_schedules()  # package data: read once

    # --- the database -----------------------------------------------------------------------------

    def service(self, session: Session) -> TicketService:
        """The ticket service of the CLI and the chat, with the calendar as stored now."""
        calendar = build_calendar(session, self.settings, base=self._base_calendar)
        return TicketService(self.settings, calendar, self.clock)

    async def run(self, action: Callable[[Session], T]) -> T:
        """One transaction in a worker thread; a refusal is committed (it is an event), then raised."""
        return await run_in_threadpool(self._transaction, action)

    def _transaction(self, action: Callable[[Session], T]) -> T:
        denied: PermissionDenied | None = None
        with self.app.db.session() as session:
            try:
                return action(session)
            except PermissionDenied as exc:
                denied = exc
        assert denied is not None
        raise denied

    # --- who is asking ----------------------------------------------------------------------------

    async def viewer(self, request: Request) -> Viewer | None:
        token = request.cookies.get(SESSION_COOKIE, "")
        if not token:
            return None

        def look(session: Session) -> Viewer | None:
            row = accounts.current_session(session, token, at=self.clock.now(), idle=self.idle)
            member = find_staff(session, row.staff_name) if row is not None else None
            if row is None or member is None:
                return None
            request.state.agency = effective_settings(session, self.settings).agency_name
            return Viewer(member.name, member.role, row.csrf)

        return await self.run(look)

    async def require(self, request: Request, viewer: Viewer, role: Role, action: Action) -> None:
        """Refuse (and record the refusal, as the CLI does) unless the viewer holds ``role``."""
        if viewer.has(role):
            return
        await self.run(lambda s: require_role(s, at=self.clock.now(), actor=viewer.name, action=action, role=role))

    # --- forms ------------------------------------------------------------------------------------

    async def form(self, request: Request, viewer: Viewer) -> FormData:
        """The posted form, once its CSRF token matches the session's (else a 403 page, nothing done)."""
        form = await request.form(max_files=20, max_fields=400)
        given = form.get("csrf")
        if not isinstance(given, str) or not accounts.same_token(viewer.csrf, given):
            raise Refused(403, texts.WEB_CSRF_REFUSED)
        return form

    def render(self, request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
        return self.templates.TemplateResponse(request, name, {**self.base_context(request), **context},
                                               status_code=status)

    def base_context(self, request: Request) -> dict[str, Any]:
        return {"base": base_path(request), "agency": getattr(request.state, "agency", self.settings.agency_name),
                "viewer": None, "error": None, "max_mb": self.settings.web_upload_max_mb,
                "notice": texts.WEB_NOTICES.get(request.query_params.get("ok", ""), "")}


def base_path(request: Request) -> str:
    """Where the console is mounted (``/staff``): links and forms are built from it."""
    return str(request.scope.get("root_path", "")).rstrip("/")


def redirect(request: Request, path: str, notice: str = "") -> RedirectResponse:
    """303 to a console path (after a form is done), with a notice key the next page shows."""
    url = base_path(request) + path
    if notice:
        url += ("&" if "?" in url else "?") + "ok=" + quote(notice)
    return RedirectResponse(url, status_code=303)


def field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def files(form: FormData, name: str) -> list[UploadFile]:
    return [f for f in form.getlist(name) if isinstance(f, UploadFile) and f.filename]


Page = Callable[[Request, Viewer], Awaitable[Response]]
