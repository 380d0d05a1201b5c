"""Signing in and out, and one's own password."""

from __future__ import annotations

import secrets

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot import accounts, texts
from bot.errors import BotError
from bot.tickets.clock import SHANGHAI
from handlers.web.staff.console import (
    LOGIN_COOKIE,
    SESSION_COOKIE,
    Console,
    Refused,
    Viewer,
    base_path,
    field,
    redirect,
)
from handlers.web.staff.pages import page


def _cookie_path(request: Request) -> str:
    return base_path(request) or "/"


def _safe_next(request: Request, value: str) -> str:
    """Where to go after signing in: a path inside the console, never another site."""
    base = base_path(request)
    if value.startswith(base + "/") and not value.startswith("//") and "\\" not in value:
        return value[len(base):]
    return "/"


def routes(console: Console) -> list[Route]:
    async def login_form(request: Request) -> Response:
        viewer = await console.viewer(request)
        if viewer is not None:
            return redirect(request, "/")
        return _login_page(request, "", status=200)

    def _login_page(request: Request, error: str, *, status: int, name: str = "") -> Response:
        token = secrets.token_urlsafe(32)
        response = console.render(request, "login.html", {
            "error": error, "name": name, "login_csrf": token,
            "next": request.query_params.get("next", "")}, status)
        response.set_cookie(LOGIN_COOKIE, token, httponly=True, samesite="lax", path=_cookie_path(request),
                            secure=request.url.scheme == "https")
        return response

    async def login(request: Request) -> Response:
        form = await request.form(max_files=0, max_fields=10)
        expected, given = request.cookies.get(LOGIN_COOKIE, ""), field(form, "csrf")
        if not accounts.same_token(expected, given):
            return _login_page(request, texts.WEB_CSRF_REFUSED, status=403)
        name, password = field(form, "name"), str(form.get("password") or "")
        now = console.clock.now()

        def attempt(session: Session) -> tuple[accounts.SignIn, accounts.Opened | None]:
            result = accounts.sign_in(session, at=now, name=name, password=password)
            if not result.ok:
                return result, None
            accounts.purge_sessions(session, at=now, idle=console.idle)
            return result, accounts.open_session(session, at=now, name=result.name)

        result, opened = await console.run(attempt)
        if opened is None:
            if result.locked_until is not None:
                until = result.locked_until.astimezone(SHANGHAI).strftime("%H:%M")
                return _login_page(request, texts.WEB_LOCKED.format(until=until), status=429, name=name)
            return _login_page(request, texts.WEB_SIGN_IN_FAILED, status=401, name=name)
        response = redirect(request, _safe_next(request, field(form, "next")))
        response.set_cookie(SESSION_COOKIE, opened.token, httponly=True, samesite="lax", path=_cookie_path(request),
                            secure=request.url.scheme == "https")
        response.delete_cookie(LOGIN_COOKIE, path=_cookie_path(request))
        return response

    @page(console)
    async def logout(request: Request, viewer: Viewer) -> Response:
        await console.form(request, viewer)
        token = request.cookies.get(SESSION_COOKIE, "")
        await console.run(lambda s: accounts.end_session(s, token, at=console.clock.now()))
        response = redirect(request, "/login", "signed_out")
        response.delete_cookie(SESSION_COOKIE, path=_cookie_path(request))
        return response

    @page(console)
    async def account(request: Request, viewer: Viewer) -> Response:
        return console.render(request, "account.html", {"viewer": viewer})

    @page(console)
    async def change_password(request: Request, viewer: Viewer) -> Response:
        form = await console.form(request, viewer)
        current, new, again = (str(form.get(k) or "") for k in ("current", "new", "again"))
        now = console.clock.now()

        def change(session: Session) -> None:
            if not accounts.sign_in(session, at=now, name=viewer.name, password=current).ok:
                raise Refused(400, texts.WEB_PASSWORD_WRONG)
            if new != again:
                raise Refused(400, texts.WEB_PASSWORD_MISMATCH)
            accounts.set_password(session, at=now, by=viewer.name, name=viewer.name, password=new)

        try:
            await console.run(change)
        except (Refused, BotError) as exc:
            message = exc.message if isinstance(exc, Refused) else str(exc)
            return console.render(request, "account.html", {"viewer": viewer, "error": message}, 400)
        # The password change ended every session of this member, this one too: sign in again.
        response = redirect(request, "/login", "password_changed")
        response.delete_cookie(SESSION_COOKIE, path=_cookie_path(request))
        return response

    return [
        Route("/login", login_form, methods=["GET"]),
        Route("/login", login, methods=["POST"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/account", account, methods=["GET"]),
        Route("/account/password", change_password, methods=["POST"]),
    ]
