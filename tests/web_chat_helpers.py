"""A citizen in the web chat, driven over HTTP (Starlette's TestClient): what they see, what they send."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from starlette.testclient import TestClient

from bot import texts
from bot.app import App
from handlers.web.staff.site import create_site

_INPUT = re.compile(r'name="(csrf|mid)" value="([^"]*)"')


@dataclass
class Message:
    speaker: str
    text: str = ""
    buttons: list[tuple[str, str, bool]] = field(default_factory=list)  # value, label, enabled


class _Page(HTMLParser):
    """The messages of the log (speaker, text, buttons), read from the page as a browser shows them."""

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[Message] = []
        self._in: str | None = None
        self._button: tuple[str, bool] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "li" and "msg" in classes:
            self.messages.append(Message("bot" if "bot" in classes else "visitor"))
        elif self.messages and tag == "p" and "text" in classes:
            self._in = "text"
        elif self.messages and tag == "button" and a.get("name") == "button" and "secondary" not in classes:
            self._button = (a.get("value") or "", "disabled" not in a)
            self._in = "button"

    def handle_endtag(self, tag: str) -> None:
        if tag in ("p", "button"):
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "text":
            self.messages[-1].text += data
        elif self._in == "button" and self._button is not None:
            self.messages[-1].buttons.append((self._button[0], data, self._button[1]))
            self._button = None


def messages(html: str) -> list[Message]:
    parser = _Page()
    parser.feed(html)
    return parser.messages


def as_terminal(message: Message) -> str:
    """A bot message as the terminal chat prints it (handlers.terminal.format_reply)."""
    return "\n".join([message.text, *(texts.TERMINAL_CHOICE.format(n=i, label=label)
                                      for i, (_v, label, _on) in enumerate(message.buttons, 1))])


def site_client(app: App, *, base_url: str = "http://testserver") -> TestClient:
    return TestClient(create_site(app), base_url=base_url, follow_redirects=False)


class Visitor:
    """One browser: its cookie jar, the page it last saw."""

    def __init__(self, client: TestClient, prefix: str = "") -> None:
        self.client, self.prefix = client, prefix
        self.html = self.open()

    def open(self) -> str:
        response = self.client.get(self.prefix + "/")
        assert response.status_code == 200, response.text[:500]
        self.html = response.text
        return self.html

    def fields(self) -> dict[str, str]:
        return dict(_INPUT.findall(self.html))

    def post(self, **data: str):  # type: ignore[no-untyped-def]
        response = self.client.post(self.prefix + "/", data={**self.fields(), **data})
        if response.status_code == 303:
            self.open()
        else:
            self.html = response.text
        return response

    def say(self, text: str):  # type: ignore[no-untyped-def]
        return self.post(text=text)

    def press(self, n: int):  # type: ignore[no-untyped-def]
        """The n-th (1-based) choice of the latest message that offers any."""
        active = [v for m in messages(self.html) for v, _label, on in m.buttons if on]
        return self.post(button=active[n - 1])

    def line(self, line: str) -> None:
        """A line of a terminal script: a number picks a choice, anything else is typed."""
        active = [v for m in messages(self.html) for v, _label, on in m.buttons if on]
        response = self.press(int(line)) if line.isdigit() and 1 <= int(line) <= len(active) else self.say(line)
        assert response.status_code == 303, response.text[:1000]

    def bot_lines(self) -> list[str]:
        return [as_terminal(m) for m in messages(self.html) if m.speaker == "bot"]
