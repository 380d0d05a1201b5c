"""``staff_app(app)``: the staff console as a Starlette application to mount (at /staff)."""

from __future__ import annotations

from datetime import UTC, datetime

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from bot import agency, texts
from bot.app import App
from bot.tickets.clock import Clock
from handlers.web.staff import admin, auth, knowledge, queue, report, tickets
from handlers.web.staff.console import Console
from handlers.web.staff.pages import problem
from handlers.web.staff.security import SecurityHeaders

MAX_BODY_MB_OVER_UPLOADS = 2  # forms around the files


def staff_app(app: App, *, clock: Clock | None = None) -> Starlette:
    """The console of ``app`` (its settings and database); every asset is served from this package."""
    console = Console(app, clock)
    with app.db.session() as session:  # the agency's details move into the database on first start
        agency.seed(session, app.settings, at=datetime.now(UTC))

    async def not_found(request: Request, exc: Exception) -> Response:
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        return problem(console, request, None, status, texts.WEB_PROBLEM_TITLES.get(status, ""))

    routes = [
        *auth.routes(console), *queue.routes(console), *tickets.routes(console), *report.routes(console),
        *knowledge.routes(console), *admin.routes(console),
        Mount("/static", StaticFiles(packages=[("handlers.web.staff", "static")]), name="static"),
    ]
    return Starlette(routes=routes, middleware=[Middleware(SecurityHeaders)],
                     exception_handlers={404: not_found, 405: not_found},
                     max_body_size=(app.settings.web_upload_max_mb * 5 + MAX_BODY_MB_OVER_UPLOADS) * 1024 * 1024)
