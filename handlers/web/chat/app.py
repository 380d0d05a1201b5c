"""``chat_app(app)``: the citizens' chat page. Each message is a form post; the page is rendered again
(static/chat.js posts the same form with fetch and swaps the answered page's conversation in).

Thin, like the other adapters: a post becomes an ``Incoming`` of channel ``web`` (the visitor id from the
signed cookie is the user and the chat), the engine handles it in one transaction, and in that same
transaction the message, its replies and whatever waits in the outbox for the visitor are added to the
transcript the page shows: a receipt (with its access code, shown once) is never filed without being kept.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from typing import Any, TypeVar

import jinja2
from sqlalchemy.orm import Session
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from bot import texts, webchat
from bot.agency import effective_settings
from bot.app import App
from bot.dialogue.messages import Incoming, Reply, clean
from bot.errors import DatabaseUnavailable
from bot.tickets.clock import SHANGHAI
from handlers.web.chat.security import BodyLimit, ChatHeaders

log = logging.getLogger(__name__)
T = TypeVar("T")
COOKIE = "gongkai_visitor"
MAX_UPDATE_ID = 2**62  # a form's message id: the same form posted twice has one effect
# Always on the page (the engine's menu buttons), whatever the last reply offered.
MENU = {"m:apply": texts.BTN_APPLY, "m:status": texts.BTN_STATUS, "m:privacy": texts.BTN_PRIVACY}
MAX_BODY = 64 * 1024  # bytes of a post: 2,000 characters of text with room to spare; no files


def _templates() -> Jinja2Templates:
    env = jinja2.Environment(loader=jinja2.PackageLoader("handlers.web.chat", "templates"),
                             autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True)
    env.globals["t"] = texts
    env.filters["local"] = lambda at: at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
    return Jinja2Templates(env=env)


class Chat:
    """The chat of one process: the App (settings, database, engine) and its templates."""

    def __init__(self, app: App) -> None:
        self.app, self.settings, self.engine = app, app.settings, app.engine
        self.templates = _templates()
        self._key: bytes | None = None
        self.agency_name = app.settings.agency_name  # the page header's; refreshed from the database per page

    def now(self) -> Any:
        return self.engine.clock.now()

    async def run(self, action: Callable[[Session], T]) -> T:
        def transaction() -> T:
            with self.app.db.session() as session:
                return action(session)

        return await run_in_threadpool(transaction)

    async def key(self) -> bytes:
        """The shared signing key: written once (by whichever process comes first), then read once per process."""
        if self._key is None:
            self._key = await self.run(lambda s: webchat.signing_key(s, self.now()))
        return self._key

    def visitor(self, request: Request, key: bytes) -> str | None:
        return webchat.unsign(key, request.cookies.get(COOKIE, ""))

    def render(self, request: Request, name: str, key: bytes, visitor: str, context: dict[str, Any],
               status: int = 200) -> Response:
        base = str(request.scope.get("root_path", "")).rstrip("/")
        response = self.templates.TemplateResponse(request, name, {
            "base": base, "csrf": webchat.csrf_token(key, visitor), "agency": self.agency_name,
            "error": None, "new_window": False, **context}, status_code=status)
        https = request.url.scheme == "https"
        # Inside a frame on another site the cookie is a third-party one: SameSite=None, which browsers
        # accept only with Secure (so behind HTTPS); over plain HTTP (development) Lax.
        response.set_cookie(COOKIE, webchat.sign(key, visitor), httponly=True, secure=https,
                            samesite="none" if https else "lax", path=base or "/",
                            max_age=self.settings.web_transcript_days * 86400)
        if https:
            # Partitioned (CHIPS): a jar of its own per site embedding the chat, which browsers blocking
            # third-party cookies (Safari; Chromium 156 as tests/test_web_chat_frame.py runs it) still keep.
            # Starlette writes the attribute only on Python 3.14+.
            ours = f"{COOKIE}=".encode()
            response.raw_headers = [(h, v + b"; Partitioned" if h == b"set-cookie" and v.startswith(ours) else v)
                                    for h, v in response.raw_headers]
        return response

    async def page(self, request: Request, key: bytes, visitor: str, *, error: str | None = None,
                   status: int = 200, text: str = "", new_window: bool = False) -> Response:
        def read(session: Session) -> list[webchat.Line]:
            webchat.deliver(session, self.settings, visitor, self.now())
            self.agency_name = effective_settings(session, self.settings).agency_name  # as staff last saved it
            return webchat.lines(session, visitor, self.settings, self.now())

        lines = await self.run(read)
        last_visitor = max((i for i, line in enumerate(lines) if line.speaker == webchat.VISITOR), default=-1)
        active = next((i for i in range(len(lines) - 1, last_visitor, -1) if lines[i].buttons), None)
        return self.render(request, "chat.html", key, visitor, {
            "lines": lines, "active": active, "error": error, "new_window": new_window, "text": text,
            "mid": secrets.randbelow(MAX_UPDATE_ID), "menu": MENU,
            "privacy": texts.PRIVACY.format(form_draft_days=self.settings.form_draft_days)}, status)

    async def show(self, request: Request) -> Response:
        key = await self.key()
        return await self.page(request, key, self.visitor(request, key) or webchat.new_visitor())

    async def post(self, request: Request) -> Response:
        key = await self.key()
        form = await request.form(max_files=0, max_fields=10)
        visitor = self.visitor(request, key)
        if visitor is None:  # no cookie came back: cookies off, or blocked in another site's frame
            return await self.page(request, key, webchat.new_visitor(), error=texts.WEB_CHAT_NO_COOKIE,
                                   status=403, new_window=True)
        if not webchat.csrf_ok(key, visitor, _field(form, "csrf")):
            return await self.page(request, key, visitor, error=texts.WEB_CHAT_CSRF, status=403)
        text = clean(str(form.get("text") or "")).strip()
        button = _field(form, "button") or None
        if len(text) > webchat.MAX_MESSAGE:
            return await self.page(request, key, visitor, status=413, text=text, error=texts.WEB_CHAT_TOO_LONG.format(
                limit=webchat.MAX_MESSAGE, length=len(text)))
        def check(session: Session) -> tuple[str | None, str | None]:  # one transaction: the limits, the button
            refusal = self._limits(session, visitor, request)
            if refusal or not button:
                return refusal, None
            return None, MENU.get(button) or webchat.button_label(session, visitor, button)

        refusal, label = await self.run(check)
        if refusal:
            return await self.page(request, key, visitor, error=refusal, status=429, text=text)
        if not text and not button:
            return self._back(request)
        if button and label is None:
            return await self.page(request, key, visitor, error=texts.WEB_CHAT_EXPIRED_CHOICE, status=409)
        mid = _field(form, "mid")
        update_id = int(mid) if mid.isdigit() and int(mid) < MAX_UPDATE_ID else None
        incoming = Incoming(webchat.CHANNEL, visitor, visitor, text="" if button else text, button=button,
                            update_id=update_id, staff_allowed=False)  # web visitors are citizens
        def keep(session: Session, replies: list[Reply]) -> None:  # in the engine's transaction
            self._record(session, visitor, label or text, replies)

        await run_in_threadpool(lambda: self.engine.process(incoming, keep=keep))
        return self._back(request)

    def _limits(self, session: Session, visitor: str, request: Request) -> str | None:
        now, address = self.now(), request.client.host if request.client else "unknown"
        if not webchat.within_limit(session, f"v:{visitor}", now, self.settings.web_chat_limit):
            return texts.WEB_CHAT_TOO_FAST.format(limit=self.settings.web_chat_limit)
        if not webchat.within_limit(session, f"a:{address}", now, self.settings.web_address_limit):
            return texts.WEB_CHAT_ADDRESS_TOO_FAST.format(limit=self.settings.web_address_limit)
        return None

    def _record(self, session: Session, visitor: str, said: str, replies: list[Reply]) -> None:
        """In order: what was waiting for the visitor (it came first), their message, the replies, then what
        handling it queued for them (a request's receipt)."""
        now = self.now()
        webchat.deliver(session, self.settings, visitor, now, earlier_only=True)
        webchat.add(session, visitor, webchat.VISITOR, Reply(said), now)
        for reply in replies:
            webchat.add(session, visitor, webchat.BOT, reply, now)
        webchat.deliver(session, self.settings, visitor, now)

    def _back(self, request: Request) -> Response:
        base = str(request.scope.get("root_path", "")).rstrip("/")
        return RedirectResponse(f"{base}/#latest", status_code=303)

    async def file(self, request: Request) -> Response:
        """A file sent to this visitor (a staff reply's attachment): only to the visitor it was sent to."""
        key = await self.key()
        visitor = self.visitor(request, key)
        line, n = int(request.path_params["line"]), int(request.path_params["n"])
        held = await self.run(lambda s: webchat.held_file(s, visitor, line, n)) if visitor else None
        if held is None:
            return self.render(request, "problem.html", key, visitor or webchat.new_visitor(),
                               {"error": texts.WEB_CHAT_FILE_GONE}, 404)
        name, path = held
        return FileResponse(path, filename=name, content_disposition_type="attachment")

    # --- 查询办理进度: number and access code, from any browser ------------------------------------

    async def lookup_form(self, request: Request) -> Response:
        key = await self.key()
        visitor = self.visitor(request, key) or webchat.new_visitor()
        return self.render(request, "lookup.html", key, visitor, {"progress": None, "number": ""})

    async def _lookup_post(self, request: Request) -> tuple[bytes, str, FormData, Response | None]:
        """A post of the lookup page: its key, visitor and form, or the page that refuses it (a form not
        from this site; too many tries: guessing codes is slow)."""
        key = await self.key()
        form = await request.form(max_files=0, max_fields=10)
        visitor = self.visitor(request, key)
        context = {"progress": None, "number": _field(form, "number")[:20]}
        if visitor is None or not webchat.csrf_ok(key, visitor, _field(form, "csrf")):
            return key, "", form, self.render(request, "lookup.html", key, visitor or webchat.new_visitor(),
                                              {**context, "error": texts.WEB_CHAT_CSRF}, 403)
        refusal = await self.run(lambda s: self._limits(s, visitor, request))
        if refusal:
            return key, visitor, form, self.render(request, "lookup.html", key, visitor,
                                                   {**context, "error": refusal}, 429)
        return key, visitor, form, None

    async def lookup(self, request: Request) -> Response:
        key, visitor, form, refused = await self._lookup_post(request)
        if refused is not None:
            return refused
        number, code = _field(form, "number")[:20], _field(form, "code")[:20]
        progress = await self.run(lambda s: webchat.lookup(s, number, code))
        if progress is None:
            return self.render(request, "lookup.html", key, visitor,
                               {"progress": None, "number": number, "error": texts.WEB_LOOKUP_NONE}, 404)
        return self.render(request, "lookup.html", key, visitor, {
            "progress": progress, "number": number, "code": code,
            "status": texts.STATUS_LABELS.get(progress.status, progress.status)})

    async def lookup_file(self, request: Request) -> Response:
        """A file of a message on the lookup page: the number and the access code are checked again."""
        key, visitor, form, refused = await self._lookup_post(request)
        if refused is not None:
            return refused
        number, code = _field(form, "number")[:20], _field(form, "code")[:20]
        message, n = _field(form, "message"), _field(form, "n")
        held = await self.run(lambda s: webchat.lookup_file(s, number, code, int(message), int(n))) \
            if message.isdigit() and n.isdigit() and len(message) < 19 else None
        if held is None:
            return self.render(request, "problem.html", key, visitor, {"error": texts.WEB_CHAT_FILE_GONE}, 404)
        name, path = held
        return FileResponse(path, filename=name, content_disposition_type="attachment")


def _root(request: Request) -> str:
    return str(request.scope.get("root_path", "")).rstrip("/")


def _field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def chat_app(app: App) -> Starlette:
    """The chat of ``app``: the page at its root, the lookup, the widget script and the assets."""
    chat = Chat(app)

    async def unavailable(request: Request, exc: Exception) -> Response:
        log.warning("web chat: database unavailable for %s", request.url.path)
        return Response(texts.WEB_CHAT_UNAVAILABLE, status_code=503, media_type="text/plain; charset=utf-8")

    async def refused(request: Request, exc: Exception) -> Response:
        """Starlette's refusals (a file sent, a body too large, no such page) in Chinese, on a page of the site;
        a message refused keeps the conversation on screen."""
        status = exc.status_code if isinstance(exc, HTTPException) else 500
        message = {400: texts.WEB_CHAT_BAD_FORM, 404: texts.WEB_CHAT_NOT_FOUND, 405: texts.WEB_CHAT_NOT_FOUND,
                   413: texts.WEB_CHAT_BODY_TOO_LARGE.format(limit=webchat.MAX_MESSAGE)}.get(
                       status, texts.WEB_CHAT_UNAVAILABLE)
        key = await chat.key()
        visitor = chat.visitor(request, key) or webchat.new_visitor()
        if request.method == "POST" and status in (400, 413) and request.url.path.rstrip("/") == _root(request):
            return await chat.page(request, key, visitor, error=message, status=status)
        return chat.render(request, "problem.html", key, visitor, {"error": message}, status)

    async def widget(request: Request) -> Response:
        return chat.templates.TemplateResponse(request, "widget.js", {}, media_type="text/javascript; charset=utf-8")

    routes = [
        Route("/", chat.show, methods=["GET", "HEAD"]), Route("/", chat.post, methods=["POST"]),
        Route("/lookup", chat.lookup_form, methods=["GET", "HEAD"]), Route("/lookup", chat.lookup, methods=["POST"]),
        Route("/lookup/file", chat.lookup_file, methods=["POST"]),
        Route("/files/{line:int}/{n:int}", chat.file, methods=["GET"]),
        Route("/widget.js", widget, methods=["GET", "HEAD"]),
        Mount("/static", StaticFiles(packages=[("handlers.web.chat", "static")]), name="static"),
    ]
    return Starlette(routes=routes, middleware=[Middleware(ChatHeaders, allowed_origins=app.settings.web_allowed_origins),
                                                Middleware(BodyLimit, limit=MAX_BODY)],
                     exception_handlers={DatabaseUnavailable: unavailable, HTTPException: refused})
