"""The web server of ``python -m bot web``: the console at /staff and /healthz, behind trusted proxies.

The application is the one every web-facing channel shares (``handlers.web.server.create_app``, which
the Telegram webhook uses too); this only says what ``web`` mounts on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.types import ASGIApp
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from bot.app import App
from bot.tickets.clock import Clock
from handlers.web.chat import chat_app
from handlers.web.server import Lifespan, create_app
from handlers.web.staff.app import staff_app


def healthz_route(app: App) -> Route:
    """200 when the database answers, 503 when it does not."""

    def ping() -> bool:
        try:
            with app.db.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return True
        except SQLAlchemyError:  # unreachable, refused, not migrated …: not healthy
            return False

    async def healthz(_request: Request) -> Response:
        ok = await run_in_threadpool(ping)
        return PlainTextResponse("ok" if ok else "database unavailable", status_code=200 if ok else 503)

    return Route("/healthz", healthz, methods=["GET", "HEAD"])


def create_site(app: App, *, clock: Clock | None = None, lifespans: Sequence[Lifespan] = ()) -> ASGIApp:
    """/staff (the console), /healthz, and the citizens' web chat at / (or WEB_CHAT_PREFIX); ``lifespans``:
    the work that runs while it serves (`python -m bot web` gives the outbox's senders and the daily jobs)."""
    site = create_app(routes=[healthz_route(app), Mount("/staff", staff_app(app, clock=clock)),
                              Mount(app.settings.web_chat_prefix, chat_app(app))], lifespans=lifespans)
    return with_proxies(site, app.settings.web_trusted_proxies)


def with_proxies(asgi: ASGIApp, trusted: str) -> ASGIApp:
    """Honour X-Forwarded-Proto/-For from the addresses WEB_TRUSTED_PROXIES names, and from no one else."""
    hosts = [h.strip() for h in trusted.split(",") if h.strip()]
    if not hosts:
        return asgi
    return cast(ASGIApp, ProxyHeadersMiddleware(cast(Any, asgi), trusted_hosts=hosts))
