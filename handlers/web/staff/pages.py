"""The wrapper of every signed-in page: who asks, and the pages for what went wrong."""

from __future__ import annotations

import functools
import logging
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot import texts
from bot.errors import DatabaseUnavailable, PermissionDenied, TicketNotFound
from handlers.web.staff.console import Console, Page, Refused, Viewer, base_path

log = logging.getLogger(__name__)


def page(console: Console):  # type: ignore[no-untyped-def]
    """Make ``fn(request, viewer)`` an endpoint: signed-in staff only; refusals become their own pages."""

    def wrap(fn: Page):  # type: ignore[no-untyped-def]
        @functools.wraps(fn)
        async def endpoint(request: Request) -> Response:
            viewer: Viewer | None = None
            try:
                viewer = await console.viewer(request)
                if viewer is None:
                    return _to_login(request)
                return await fn(request, viewer)
            except Refused as exc:
                return problem(console, request, viewer, exc.status, exc.message)
            except PermissionDenied as exc:  # recorded as an event, like the CLI's refusals
                return problem(console, request, viewer, 403, str(exc))
            except TicketNotFound as exc:
                return problem(console, request, viewer, 404, str(exc))
            except DatabaseUnavailable:
                log.warning("database unavailable for %s", request.url.path)
                return problem(console, request, viewer, 503, texts.WEB_DATABASE_UNAVAILABLE)

        return endpoint

    return wrap


def problem(console: Console, request: Request, viewer: Viewer | None, status: int, message: str) -> Response:
    return console.render(request, "problem.html", {"viewer": viewer, "status": status, "message": message,
                                                    "title": texts.WEB_PROBLEM_TITLES.get(status, "")}, status)


def _to_login(request: Request) -> Response:
    target = request.url.path if request.method == "GET" else base_path(request) + "/"
    return RedirectResponse(f"{base_path(request)}/login?next={quote(target)}", status_code=303)
