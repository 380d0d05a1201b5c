"""A fake Telegram Bot API on 127.0.0.1 that python-telegram-bot talks to over real HTTP.

It answers getMe, getUpdates (long polling), sendMessage, editMessageText, answerCallbackQuery,
setMyCommands, sendDocument (an upload, or a file_id), deleteWebhook; it records every call and can fail
on purpose. Updates may carry text, a button press, or a file (``push_document``).
"""

from __future__ import annotations

import email.policy
import json
import threading
import time
from collections.abc import Callable
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

TOKEN = "123456:TEST-token"
BOT = {"id": 999, "is_bot": True, "first_name": "公开助手", "username": "gongkai_test_bot",
       "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}


def http_server(serve: Callable[[BaseHTTPRequestHandler], None]) -> tuple[ThreadingHTTPServer, threading.Thread]:
    """A quiet threaded HTTP server on a free port of 127.0.0.1 whose GETs and POSTs go to ``serve``, and
    the thread to start it in."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            serve(self)

        do_GET = do_POST  # noqa: N815

        def log_message(self, *_args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    return server, threading.Thread(target=server.serve_forever, daemon=True)


class FakeBotApi:
    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.failed: list[tuple[str, int]] = []
        # "method" or "method:chat_id" → status codes (or whole error bodies) to answer before succeeding
        self.failures: dict[str, list[Any]] = {}
        # "method" or "method:chat_id" → how many calls to carry out and then answer with a dropped connection
        self.drops: dict[str, list[int]] = {}
        self.dropped: list[tuple[str, dict[str, Any]]] = []
        self._updates: list[dict[str, Any]] = []
        self._cond = threading.Condition()
        self._next_update = 1
        self._next_message = 1
        self.server, self.thread = http_server(self._serve)

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> FakeBotApi:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        with self._cond:
            self._cond.notify_all()
        self.server.shutdown()
        self.server.server_close()

    # --- what the test does ----------------------------------------------------------------------
    def push_text(self, user: int, text: str, chat: int | None = None, reply_to: dict[str, Any] | None = None) -> int:
        message: dict[str, Any] = {"message_id": self._message_id(), "date": int(time.time()),
                                   "chat": {"id": chat or user, "type": "private" if chat in (None, user) else "group"},
                                   "from": {"id": user, "is_bot": False, "first_name": f"u{user}"}, "text": text}
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        return self._push({"message": message})

    def push_document(self, user: int, file_id: str, file_name: str, caption: str = "", chat: int | None = None,
                      reply_to: dict[str, Any] | None = None) -> int:
        """A message with a file attached (and maybe a caption), as Telegram delivers one: by file_id."""
        message: dict[str, Any] = {"message_id": self._message_id(), "date": int(time.time()),
                                   "chat": {"id": chat or user, "type": "private" if chat in (None, user) else "group"},
                                   "from": {"id": user, "is_bot": False, "first_name": f"u{user}"},
                                   "document": {"file_id": file_id, "file_unique_id": f"u-{file_id}",
                                                "file_name": file_name, "file_size": 1234}}
        if caption:
            message["caption"] = caption
            if caption.startswith("/"):
                message["caption_entities"] = [{"type": "bot_command", "offset": 0,
                                                "length": len(caption.split()[0])}]
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        return self._push({"message": message})

    def push_button(self, user: int, data: str, message: dict[str, Any]) -> int:
        query = {"id": str(self._next_update), "from": {"id": user, "is_bot": False, "first_name": f"u{user}"},
                 "chat_instance": "ci", "data": data, "message": message}
        return self._push({"callback_query": query})

    def sent(self, method: str = "sendMessage") -> list[dict[str, Any]]:
        return [params for name, params in self.calls if name == method]

    # --- the server side -------------------------------------------------------------------------
    def _push(self, body: dict[str, Any]) -> int:
        with self._cond:
            update_id = self._next_update
            self._next_update += 1
            self._updates.append({"update_id": update_id, **body})
            self._cond.notify_all()
        return update_id

    def _message_id(self) -> int:
        self._next_message += 1
        return self._next_message

    def _serve(self, request: BaseHTTPRequestHandler) -> None:
        parts = request.path.strip("/").split("/")
        if len(parts) != 2 or parts[0] != f"bot{self.token}":
            return self._reply(request, 401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
        method, params = parts[1], self._params(request)
        pending = self.failures.get(f"{method}:{params.get('chat_id')}") or self.failures.get(method)
        if pending:
            failure = pending.pop(0)  # a status code, or {"code", "description", "parameters"}
            code = failure["code"] if isinstance(failure, dict) else failure
            self.failed.append((method, code))
            body: dict[str, Any] = {"ok": False, "error_code": code, "description": _DESCRIPTIONS.get(code, "Bad Gateway")}
            if code == 429:
                body["parameters"] = {"retry_after": 1}
            if isinstance(failure, dict):
                body.update({k: v for k, v in failure.items() if k in ("description", "parameters")})
            return self._reply(request, code, body)
        self.calls.append((method, params))  # the calls that succeeded
        drops = self.drops.get(f"{method}:{params.get('chat_id')}") or self.drops.get(method)
        if drops:  # done, but the answer is lost: the connection closes without a response
            drops.pop(0)
            self.dropped.append((method, params))
            request.close_connection = True
            return None
        return self._reply(request, 200, {"ok": True, "result": self._result(method, params)})

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return BOT
        if method == "getUpdates":
            return self._get_updates(int(params.get("offset") or 0), float(params.get("timeout") or 0))
        if method in ("sendMessage", "editMessageText", "sendDocument"):
            chat = int(params.get("chat_id") or 0)
            message: dict[str, Any] = {"message_id": int(params.get("message_id") or self._message_id()),
                                       "date": int(time.time()), "from": BOT,
                                       "chat": {"id": chat, "type": "private"}}
            if "text" in params:
                message["text"] = params["text"]
            if "reply_markup" in params:
                message["reply_markup"] = json.loads(params["reply_markup"])
            if method == "sendDocument":  # an upload (multipart) or a file_id Telegram already has
                file_id = params["document"] if isinstance(params.get("document"), str) else "f1"
                message["document"] = {"file_id": file_id, "file_unique_id": f"u-{file_id}",
                                       "file_name": params.get("filename", "")}
            return message
        return True  # answerCallbackQuery, setMyCommands, deleteWebhook, …

    def _get_updates(self, offset: int, timeout: float) -> list[dict[str, Any]]:
        deadline = time.monotonic() + min(timeout, 1.0)
        with self._cond:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            while not self._updates and time.monotonic() < deadline:
                self._cond.wait(deadline - time.monotonic())
            return list(self._updates)

    @staticmethod
    def _params(request: BaseHTTPRequestHandler) -> dict[str, Any]:
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length) if length else b""
        kind = request.headers.get("Content-Type", "")
        if kind.startswith("multipart/form-data"):
            message = BytesParser(policy=email.policy.default).parsebytes(b"Content-Type: " + kind.encode() + b"\r\n\r\n" + body)
            params: dict[str, Any] = {}
            for part in message.iter_parts():
                name = part.get_param("name", header="content-disposition")
                payload = part.get_payload(decode=True) or b""
                filename = part.get_filename()
                if filename:
                    params["filename"], params["content"] = filename, payload
                else:
                    params[str(name)] = payload.decode()
            return params
        if kind.startswith("application/json"):
            return dict(json.loads(body or b"{}"))
        return {k: v[0] for k, v in parse_qs(body.decode()).items()}

    @staticmethod
    def _reply(request: BaseHTTPRequestHandler, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        try:
            request.send_response(status)
            request.send_header("Content-Type", "application/json")
            request.send_header("Content-Length", str(len(data)))
            request.end_headers()
            request.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):  # the bot stopped while a long poll waited
            pass


_DESCRIPTIONS = {429: "Too Many Requests: retry after 1", 403: "Forbidden: bot was blocked by the user",
                 500: "Internal Server Error", 502: "Bad Gateway"}


class PollingBot:
    """Runs the real Application (polling) in a thread against a FakeBotApi; ``say`` waits for the answer."""

    def __init__(self, fake: FakeBotApi, application: Any, done: dict[int, threading.Event]) -> None:
        import asyncio

        self.fake, self.application, self.done = fake, application, done
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import asyncio

        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(self.application.run())  # a TelegramRuntime, polling

    def __enter__(self) -> PollingBot:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.application.stop_running()
        self.thread.join(timeout=30)
        self.loop.close()

    def wait(self, update_id: int, timeout: float = 60) -> None:
        event = self.done.setdefault(update_id, threading.Event())
        assert event.wait(timeout), f"update {update_id} was not handled"

    def last_markup(self, chat: int) -> dict[str, Any] | None:
        for params in reversed(self.fake.sent()):
            if int(params["chat_id"]) == chat and "reply_markup" in params:
                return params
        return None

    def say(self, user: int, line: str) -> None:
        """A line as the terminal reads it: only a number picks that choice of the last reply with buttons."""
        text = line.strip()
        last = self.last_markup(user)
        if last is not None and text.isdigit():
            rows = json.loads(last["reply_markup"])["inline_keyboard"]
            if 1 <= int(text) <= len(rows):
                message = {"message_id": 1, "date": int(time.time()), "chat": {"id": user, "type": "private"},
                           "from": BOT, "text": last["text"]}
                self.wait(self.fake.push_button(user, rows[int(text) - 1][0]["callback_data"], message))
                return
        self.wait(self.fake.push_text(user, text))


def on_handled_events() -> tuple[dict[int, threading.Event], Any]:
    done: dict[int, threading.Event] = {}

    def handled(update_id: int) -> None:
        done.setdefault(update_id, threading.Event()).set()

    return done, handled
