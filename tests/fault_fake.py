"""A Bot API that fails on purpose, and a Telegram that pushes updates to webhooks, for the fault test.

``FaultyBotApi`` serves each worker under its own prefix (``/w<k>/bot<token>/<method>``) so a delivery
can be traced to the worker that made it. A seeded share of sends is answered 500 or 429 (retry_after)
before anything is delivered, some answers are delayed, and some are *dropped*: the message is
delivered, then the connection closes without an answer (the worker cannot know it arrived). Chats in
``refused`` always get 400, chats in ``blocked`` always 403.

``WebhookPusher`` delivers updates like Telegram: POST with the secret to one of the workers, and again
(to another) until one answers 200 — when the answer is slow, when the worker is down, on 5xx.
"""

from __future__ import annotations

import io
import json
import random
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

import httpx

from tests.telegram_fake import BOT, TOKEN, FakeBotApi, http_server


@dataclass
class Delivery:
    worker: str
    method: str
    chat: str
    text: str
    markup: str
    at: float
    dropped: bool = False


@dataclass
class Odds:
    """The share of sends answered each way (the rest succeed)."""

    error_500: float = 0.08
    error_429: float = 0.04
    dropped: float = 0.03
    delayed: float = 0.10


@dataclass
class FaultyBotApi:
    seed: int = 10
    odds: Odds = field(default_factory=Odds)
    refused: set[str] = field(default_factory=set)  # chats that get 400 on every send
    blocked: set[str] = field(default_factory=set)  # chats that get 403 on every send

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.lock = threading.Lock()
        self.deliveries: list[Delivery] = []
        self.answered: dict[int, int] = {}  # status → how many sends got it
        self.calls: list[tuple[str, str, dict[str, Any]]] = []
        self._message_id = 1000
        self.server, self.thread = http_server(self._serve)

    def root(self, worker: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/{worker}"

    def __enter__(self) -> FaultyBotApi:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def delivered(self, chat: str) -> list[Delivery]:
        with self.lock:
            return [d for d in self.deliveries if d.chat == chat]

    def _serve(self, request: BaseHTTPRequestHandler) -> None:
        parts = request.path.strip("/").split("/")
        if len(parts) != 3 or parts[1] != f"bot{TOKEN}":
            return _reply(request, 404, {"ok": False, "error_code": 404, "description": "Not Found"})
        worker, method = parts[0], parts[2]
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length) if length else b""
        if len(body) < length:  # the worker died while sending: nothing arrived
            request.close_connection = True
            return None
        request.rfile = io.BytesIO(body)  # type: ignore[assignment]
        params = FakeBotApi._params(request)
        with self.lock:
            self.calls.append((worker, method, params))
        if method not in ("sendMessage", "sendDocument"):
            if method == "getMe":
                return _reply(request, 200, {"ok": True, "result": BOT})
            return _reply(request, 200, {"ok": True, "result": True})
        chat = str(params.get("chat_id"))
        with self.lock:
            draw = self.rng.random()
            delay = self.rng.uniform(0.05, 0.4)
        odds = self.odds
        if chat in self.refused:
            return self._error(request, 400, "Bad Request: chat not found")
        if chat in self.blocked:
            return self._error(request, 403, "Forbidden: bot was blocked by the user")
        if draw < odds.error_500:
            return self._error(request, 500, "Internal Server Error")
        draw -= odds.error_500
        if draw < odds.error_429:
            return self._error(request, 429, "Too Many Requests: retry after 1", {"retry_after": 1})
        draw -= odds.error_429
        dropped = draw < odds.dropped
        if not dropped and draw - odds.dropped < odds.delayed:
            time.sleep(delay)
        with self.lock:
            self._message_id += 1
            message_id = self._message_id
            self.deliveries.append(Delivery(worker, method, chat, str(params.get("text", "")),
                                            str(params.get("reply_markup", "")), time.monotonic(), dropped))
            self.answered[200] = self.answered.get(200, 0) + 1
        if dropped:  # delivered; the answer never comes back
            request.close_connection = True
            return None
        result = {"message_id": message_id, "date": int(time.time()), "from": BOT,
                  "chat": {"id": int(chat), "type": "private"}, "text": params.get("text", "")}
        return _reply(request, 200, {"ok": True, "result": result})

    def _error(self, request: BaseHTTPRequestHandler, code: int, description: str,
               parameters: dict[str, Any] | None = None) -> None:
        with self.lock:
            self.answered[code] = self.answered.get(code, 0) + 1
        body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
        if parameters:
            body["parameters"] = parameters
        _reply(request, code, body)


def _reply(request: BaseHTTPRequestHandler, status: int, body: dict[str, Any]) -> None:
    data = json.dumps(body).encode()
    try:
        request.send_response(status)
        request.send_header("Content-Type", "application/json")
        request.send_header("Content-Length", str(len(data)))
        request.end_headers()
        request.wfile.write(data)
    except (BrokenPipeError, ConnectionResetError):
        pass


@dataclass
class PushStats:
    pushes: int = 0  # POSTs made
    redelivered: int = 0  # POSTs after a first one for the same update (slow answer, worker down, 5xx)
    duplicated: int = 0  # updates pushed again on purpose after their 200
    acknowledged: set[int] = field(default_factory=set)


class WebhookPusher:
    """Delivers updates to the workers' webhooks as Telegram does."""

    def __init__(self, ports: list[int], secret: str, *, seed: int = 10, timeout: float = 3.0,
                 duplicate_share: float = 1 / 3) -> None:
        self.ports, self.secret, self.timeout = ports, secret, timeout
        self.rng = random.Random(seed)
        self.duplicate_share = duplicate_share
        self.lock = threading.Lock()
        self.stats = PushStats()
        self._next_update = 1
        self._next_message = 1
        self.client = httpx.Client(timeout=timeout)

    def close(self) -> None:
        self.client.close()

    def update_id(self) -> int:
        with self.lock:
            self._next_update += 1
            return self._next_update

    def message_id(self) -> int:
        with self.lock:
            self._next_message += 1
            return self._next_message

    def text(self, user: int, text: str, chat: int | None = None) -> dict[str, Any]:
        message: dict[str, Any] = {"message_id": self.message_id(), "date": int(time.time()),
                                   "chat": {"id": chat or user, "type": "private"},
                                   "from": {"id": user, "is_bot": False, "first_name": f"u{user}"}, "text": text}
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        return {"update_id": self.update_id(), "message": message}

    def button(self, user: int, data: str) -> dict[str, Any]:
        message = {"message_id": self.message_id(), "date": int(time.time()), "chat": {"id": user, "type": "private"},
                   "from": BOT, "text": "…"}
        update_id = self.update_id()
        return {"update_id": update_id, "callback_query": {
            "id": str(update_id), "from": {"id": user, "is_bot": False, "first_name": f"u{user}"},
            "chat_instance": "ci", "data": data, "message": message}}

    def push(self, update: dict[str, Any], deadline: float = 120.0) -> None:
        """POST until a worker answers 200 (then, now and then, once more on purpose)."""
        end = time.monotonic() + deadline
        first = True
        while True:
            with self.lock:
                port = self.rng.choice(self.ports)
                self.stats.pushes += 1
                if not first:
                    self.stats.redelivered += 1
            first = False
            try:
                answer = self.client.post(f"http://127.0.0.1:{port}/hook", json=update,
                                          headers={"X-Telegram-Bot-Api-Secret-Token": self.secret})
                if answer.status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > end:
                raise TimeoutError(f"update {update['update_id']} never acknowledged")
            time.sleep(0.2)
        with self.lock:
            self.stats.acknowledged.add(int(update["update_id"]))
            again = self.rng.random() < self.duplicate_share
        if again:  # Telegram may deliver an update twice: the second must have no effect
            with self.lock:
                self.stats.duplicated += 1
            self.push_once_more(update)

    def push_once_more(self, update: dict[str, Any]) -> None:
        for _ in range(100):
            port = self.rng.choice(self.ports)
            try:
                if self.client.post(f"http://127.0.0.1:{port}/hook", json=update,
                                    headers={"X-Telegram-Bot-Api-Secret-Token": self.secret}).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
