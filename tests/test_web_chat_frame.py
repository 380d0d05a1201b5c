"""The widget on another site, in a real browser: the district's portal (https://127.0.0.1:…, a tiny
server of its own) carries the README's snippet; the chat (`python -m bot web` serving HTTPS itself, on
https://localhost:…, another site) opens in its frame, answers there, and keeps the conversation over a
reload of the portal: its cookie is a third-party one there. Chromium (156, headless) blocks third-party
cookies by default, and is left so: the cookie works because it is Partitioned (CHIPS) besides
SameSite=None; Secure. A portal not listed in WEB_ALLOWED_ORIGINS gets the frame refused, and so does the
staff console, even from the listed portal.

The certificate is made for the test by trustme (a test certificate authority) and Chromium told to accept it."""

from __future__ import annotations

import contextlib
import http.server
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path

from tests.test_web_browser import bot_env, chromium, postgres, shot, web  # noqa: F401  (fixtures)

PORTAL = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>鹤城区人民政府</title></head>
<body><h1>鹤城区人民政府门户网站</h1><p>政府信息公开专栏</p>
{snippet}
</body></html>"""



def certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for localhost and 127.0.0.1 (from a throwaway authority), and its key."""
    import trustme

    cert, key = folder / "cert.pem", folder / "key.pem"
    issued = trustme.CA().issue_cert("localhost", "127.0.0.1")
    issued.cert_chain_pems[0].write_to_path(str(cert))
    issued.private_key_pem.write_to_path(str(key))
    return cert, key


@contextlib.contextmanager
def portal(pages: dict[str, str], cert: Path, key: Path) -> Iterator[str]:
    """A site of its own over HTTPS on 127.0.0.1 serving these pages (path → HTML); its origin."""

    class Pages(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802  (http.server's name)
            body = pages.get(self.path.split("?")[0])
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write((body or "").encode())

        def log_message(self, *_args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def open_widget(driver, origin: str) -> None:  # type: ignore[no-untyped-def]
    """The portal's home page, the widget's button pressed; into its frame once loaded (whatever it shows)."""
    from selenium.webdriver.common.by import By

    driver.switch_to.default_content()
    driver.get(f"{origin}/")
    driver.find_element(By.XPATH, "//button[normalize-space(.)='在线咨询']").click()
    enter(driver, driver.find_element(By.CSS_SELECTOR, "iframe[title]"))


def enter(driver, frame) -> None:  # type: ignore[no-untyped-def]
    """Switch into ``frame`` once its document has loaded (the chat, or the error page of a refusal)."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver.switch_to.frame(frame)
    WebDriverWait(driver, 30).until(lambda d: d.execute_script(
        "return location.href !== 'about:blank' && document.readyState === 'complete'"))


def in_frame(driver) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """What the frame shows: its address, whether it is the chat or the console's sign-in, its text."""
    return driver.execute_script(
        "return {href: location.href, chat: !!document.getElementById('chat'),"
        " login: !!document.getElementById('password'), text: document.body ? document.body.innerText : ''}")


def test_the_widget_on_another_site_chats_in_its_frame_and_only_listed_sites_may_frame(  # type: ignore[no-untyped-def]
        postgres, tmp_path: Path) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    cert, key = certificate(tmp_path)
    chat_at = "https://localhost:{port}"
    pages: dict[str, str] = {}
    with portal(pages, cert, key) as allowed, portal(pages, cert, key) as other:
        env = bot_env(postgres, tmp_path, WEB_ALLOWED_ORIGINS=allowed)
        with web(env, "--ssl-certfile", str(cert), "--ssl-keyfile", str(key), base=chat_at) as chat:
            snippet = f'<script src="{chat}/widget.js" async></script>'  # the README's snippet
            pages["/"] = PORTAL.format(snippet=snippet)
            pages["/console.html"] = PORTAL.format(snippet=f'<iframe title="工作台" src="{chat}/staff/login"></iframe>')
            driver = chromium("--ignore-certificate-errors")
            try:
                open_widget(driver, allowed)
                assert in_frame(driver)["chat"] and "使用前请阅读个人信息说明" in str(in_frame(driver)["text"])
                driver.find_element(By.ID, "text").send_keys("区长信箱收到多少封来信？")
                driver.find_element(By.CSS_SELECTOR, "button.send").click()
                WebDriverWait(driver, 30).until(lambda d: d.execute_script(  # the answer, or a refusal
                    "return document.querySelectorAll('.log .msg').length === 2 || !!document.getElementById('error')"))
                shown = [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".log .msg .text")]
                assert len(shown) == 2 and "出处" in shown[1], in_frame(driver)["text"]
                driver.switch_to.default_content()
                shot(driver, "24-chat-widget")

                open_widget(driver, allowed)  # the portal reloaded: the frame's cookie kept the conversation
                again = [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".log .msg .text")]
                assert again == ["区长信箱收到多少封来信？", shown[1]], in_frame(driver)["text"]

                open_widget(driver, other)  # a portal not listed: no chat in its frame
                refused = in_frame(driver)  # Chromium's error page instead
                assert not refused["chat"] and str(refused["href"]).startswith("chrome-error:"), refused

                driver.switch_to.default_content()  # the console, even from the listed portal
                driver.get(f"{allowed}/console.html")
                enter(driver, driver.find_element(By.TAG_NAME, "iframe"))
                console = in_frame(driver)
                assert not console["login"] and str(console["href"]).startswith("chrome-error:"), console
            finally:
                driver.quit()
