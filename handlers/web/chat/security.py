"""Headers of the chat's answers: the console's, except that the sites in WEB_ALLOWED_ORIGINS may frame it."""

from __future__ import annotations

from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send


def content_security_policy(allowed_origins: str) -> str:
    """Every asset from the package, no inline script; framing by this site and the named origins only."""
    ancestors = " ".join(["'self'", *allowed_origins.split()])
    return ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            f"connect-src 'self'; form-action 'self'; frame-ancestors {ancestors}; base-uri 'none'")


class ChatHeaders:
    """Pure ASGI middleware. No X-Frame-Options: it cannot name several origins (CSP does)."""

    def __init__(self, app: ASGIApp, allowed_origins: str) -> None:
        self.app = app
        self.policy = content_security_policy(allowed_origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = str(scope["path"]).endswith((".js", ".css"))

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["Content-Security-Policy"] = self.policy
                headers["X-Content-Type-Options"] = "nosniff"
                headers["Referrer-Policy"] = "same-origin"
                if not static:  # the conversation carries personal data: never cached
                    headers["Cache-Control"] = "no-store"
                    headers["Pragma"] = "no-cache"
            await send(message)

        await self.app(scope, receive, with_headers)


class BodyLimit:
    """Refuse a request body over ``limit`` bytes (by its Content-Length, else as it arrives) with an
    HTTPException(413) raised where the endpoint reads it, so the chat's own handler answers in Chinese
    (Starlette's ``max_body_size`` answers "Content Too Large" itself)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        received = 0

        async def limited() -> Message:
            nonlocal received
            if declared.isdigit() and int(declared) > self.limit:
                raise HTTPException(413)
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                raise HTTPException(413)
            return message

        await self.app(scope, limited, send)
