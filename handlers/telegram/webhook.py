"""The webhook: Telegram POSTs each update here with its secret; it is answered 200 only once stored."""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1 << 20  # an update is a few kilobytes


def webhook_route(path: str, secret: str, accept: Callable[[dict[str, Any]], Awaitable[bool]]) -> Route:
    """POST ``path``: a wrong or missing secret is 403; an update is handled (or stored for another try)
    before the 200 — a 503 tells Telegram to deliver it again."""
    expected = secret.encode()

    async def endpoint(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not expected or not hmac.compare_digest(given, expected):
            return Response(status_code=403)
        body = await request.body()
        if len(body) > MAX_BODY:
            return Response(status_code=413)
        try:
            payload = json.loads(body)
            int(payload["update_id"])
        except (ValueError, TypeError, KeyError):
            return Response(status_code=400)
        try:
            recorded = await accept(payload)
        except Exception as exc:  # the database away: not acknowledged, Telegram delivers it again
            log.warning("update %s not stored (%s): answered 503", payload.get("update_id"), type(exc).__name__)
            recorded = False
        return Response(status_code=200 if recorded else 503)

    return Route(path if path.startswith("/") else "/" + path, endpoint, methods=["POST"])
