"""A real browser against a real `python -m bot web` on PostgreSQL: a request filed in the terminal chat is
handled from sign-in to the closing letter, and the report and its .xlsx count it.

Chromium and chromium-driver come from Debian (`apt-get install -y chromium chromium-driver`; CI installs
them); Selenium is given the driver's path so it downloads nothing. A screenshot of every page is saved
into a temporary folder, or into the folder SCREENSHOTS names (`SCREENSHOTS=docs/screenshots` refreshes the
ones the README shows).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from openpyxl import load_workbook

from bot.tickets.clock import SHANGHAI
from tests.conftest import POSTGRES_URL, _postgres_database
from tests.ports import free_port

ROOT = Path(__file__).parents[1]
SHOTS = Path(os.environ.get("SCREENSHOTS") or tempfile.mkdtemp(prefix="screenshots-"))
CHROMIUM, DRIVER = shutil.which("chromium"), "/usr/bin/chromedriver"
STAFF, ADMIN, PASSWORD = "li", "zhou", "a long enough password"
FORM = ["/apply", "张三", "1", "1", "11010519491231002X", "13812345678", "zhang.san@example.com", "1",
        "鹤城区2025年财政预算执行情况", "2", "1", "1"]

pytestmark = pytest.mark.skipif(
    CHROMIUM is None or not os.access(DRIVER, os.X_OK),
    reason="chromium and chromium-driver are not installed (apt-get install -y chromium chromium-driver)")


@pytest.fixture
def postgres() -> Iterator[str]:
    if not POSTGRES_URL:
        if os.environ.get("CI"):
            pytest.fail("CI must set TEST_POSTGRES_URL so the browser test runs on PostgreSQL")
        pytest.skip("TEST_POSTGRES_URL is not set: the browser test runs on PostgreSQL (CI runs it)")
    yield from _postgres_database()


def run_bot(env: dict[str, str], *args: str, stdin: str = "") -> str:
    done = subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True,
                          env=env, cwd=env["GONGKAI_DATA_DIR"], timeout=180)
    assert done.returncode == 0, done.stderr
    return done.stdout




def bot_env(postgres: str, tmp_path: Path, **settings: str) -> dict[str, str]:
    """The environment of `python -m bot …` on this database, with its own data and cache folders."""
    env = {**os.environ, "DATABASE_URL": postgres, "GONGKAI_DATA_DIR": str(tmp_path / "data"),
           "GONGKAI_CACHE_DIR": str(tmp_path / "cache"), "GONGKAI_STAFF": "", "PYTHONUNBUFFERED": "1", **settings}
    Path(env["GONGKAI_DATA_DIR"]).mkdir(exist_ok=True)
    return env


@contextlib.contextmanager
def web(env: dict[str, str], *options: str, base: str = "http://127.0.0.1:{port}") -> Iterator[str]:
    """`python -m bot web` on a free port (with these options) until the block ends; its address."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "bot", "web", "--port", str(port), *options], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = base.format(port=port)
    try:
        for _ in range(150):
            try:
                if httpx.get(f"{base}/healthz", timeout=1, verify=False).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert process.poll() is None, process.stdout.read() if process.stdout else ""
            time.sleep(0.2)
        else:
            pytest.fail("python -m bot web did not answer /healthz")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture
def server(postgres: str, tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    env = bot_env(postgres, tmp_path)
    run_bot(env, "staff", "add", ADMIN)  # the first: an administrator
    run_bot(env, "staff", "add", STAFF, "--role", "staff", "--as", ADMIN)
    for name in (STAFF, ADMIN):
        run_bot(env, "staff", "passwd", name, "--as", name, "--password-stdin", stdin=PASSWORD + "\n")
    with web(env) as base:
        yield base, env


def chromium(*arguments: str, prefs: dict[str, object] | None = None):  # type: ignore[no-untyped-def]
    """A headless Chromium of its own (a fresh profile), 1280×800, in Chinese; these arguments and
    preferences added (a later --window-size wins)."""
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM or ""
    for argument in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-dev-shm-usage", f"--user-data-dir={tempfile.mkdtemp(prefix='chromium-')}",
                     "--window-size=1280,800", "--lang=zh-CN", *arguments):
        options.add_argument(argument)
    if prefs:
        options.add_experimental_option("prefs", prefs)
    driver = webdriver.Chrome(service=Service(executable_path=DRIVER), options=options)
    driver.implicitly_wait(5)
    return driver


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[object]:
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    driver = chromium(prefs={"download.default_directory": str(downloads), "download.prompt_for_download": False})
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    driver.downloads = downloads  # type: ignore[attr-defined]
    try:
        yield driver
    finally:
        driver.quit()


def shot(driver, name: str) -> None:  # type: ignore[no-untyped-def]
    """A screenshot of the whole page at 1280 wide, into SHOTS."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1280, max(800, min(int(height) + 40, 6000)))
    driver.save_screenshot(str(SHOTS / f"{name}.png"))
    driver.set_window_size(1280, 800)


def click(driver, element) -> None:  # type: ignore[no-untyped-def]
    """Click, and wait for the next page (a form's answer, a link's target) to replace this one."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    page = driver.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(driver, 30).until(lambda _driver: _replaced(page))


def _replaced(page) -> bool:  # type: ignore[no-untyped-def]
    """Whether the old page's root is gone. Selenium's ``staleness_of`` expects a StaleElementReference,
    but while the next page loads chromium may answer "Node with given id does not belong to the
    document" instead (a plain WebDriverException): both mean the old page was replaced."""
    from selenium.common.exceptions import WebDriverException

    try:
        page.is_enabled()
    except WebDriverException:
        return True
    return False


def sign_in(driver, base: str, name: str) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    driver.get(f"{base}/staff/login")
    driver.find_element(By.ID, "name").send_keys(name)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    click(driver, driver.find_element(By.CSS_SELECTOR, 'form[action$="/login"] button'))


def submit(driver, action: str, **fields: str) -> None:  # type: ignore[no-untyped-def]
    """Fill and submit the ticket form whose action ends with ``action``."""
    from selenium.webdriver.common.by import By

    form = driver.find_element(By.CSS_SELECTOR, f'form[action$="/{action}"]')
    for name, value in fields.items():
        form.find_element(By.NAME, name).send_keys(value)
    click(driver, form.find_element(By.CSS_SELECTOR, 'button[type="submit"]'))


def test_a_request_from_the_terminal_chat_handled_in_the_browser(server, browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    base, env = server
    driver = browser
    receipt = run_bot(env, "chat", "--user", "alice", stdin="\n".join(FORM) + "\n")
    number = receipt.split("申请编号：")[1].split()[0]
    year = datetime.now(UTC).astimezone(SHANGHAI).year

    driver.get(f"{base}/staff/")
    assert "/staff/login" in driver.current_url
    shot(driver, "01-login")
    sign_in(driver, base, STAFF)
    assert "待办工单" in driver.title
    row = driver.find_element(By.LINK_TEXT, number)
    assert "138****5678" in driver.page_source and "13812345678" not in driver.page_source
    shot(driver, "02-queue")
    click(driver, row)
    assert "110*************2X" in driver.page_source and "11010519491231002X" not in driver.page_source
    shot(driver, "03-ticket")

    submit(driver, "claim")
    assert "已认领" in driver.page_source
    submit(driver, "correction", matters="请写明所需预算执行情况报告的文号或发布日期")
    assert "待补正" in driver.page_source
    submit(driver, "corrected")
    assert "收到补正之日" in driver.page_source
    attachment = tmp_path / "部分公开的信息.pdf"
    attachment.write_bytes(b"%PDF-1.4\n% the part that can be disclosed\n")
    submit(driver, "reply", text="您申请的信息中可以公开的部分见附件。", files=str(attachment))
    assert "答复已记录" in driver.page_source and "部分公开的信息.pdf" in driver.page_source

    close = driver.find_element(By.CSS_SELECTOR, 'form[action$="/preview"]')
    close.find_element(By.ID, "outcome-partly_disclosed").click()
    click(driver, close.find_element(By.CSS_SELECTOR, 'button[type="submit"]'))
    letter = driver.find_element(By.CSS_SELECTOR, "pre.letter").text
    assert "本机关作区分处理" in letter and "第三十七条" in letter
    shot(driver, "04-closing-letter-preview")
    submit(driver, "close")
    assert "已办结" in driver.page_source
    shot(driver, "05-ticket-closed")

    chat = run_bot(env, "chat", "--user", "alice", "--files", str(tmp_path / "received"))
    assert "请写明所需预算执行情况报告的文号或发布日期" in chat  # the 补正 notice
    assert "部分公开的信息.pdf" in chat and (tmp_path / "received" / "部分公开的信息.pdf").exists()
    assert "本机关作区分处理" in chat and "请评价本次办理" in chat  # the closing letter

    driver.get(f"{base}/staff/report?year={year}")
    line = driver.find_element(By.XPATH, "//th[starts-with(normalize-space(.), '（二）部分公开')]/..")
    assert [c.text for c in line.find_elements(By.TAG_NAME, "td")][0] == "1"
    shot(driver, "06-report")
    driver.find_element(By.CSS_SELECTOR, f'a[href$="/report/download/{year}.xlsx"]').click()
    found: list[Path] = []
    for _ in range(200):
        found = list(driver.downloads.glob(f"*{year}.xlsx"))  # the name bot.stats.files gives it
        if found:
            break
        time.sleep(0.1)
    assert found, "the .xlsx was not downloaded"
    sheet = load_workbook(found[0])["三、依申请公开"]
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    assert any(str(r[1] or "").startswith("（二）部分公开") and r[3] == 1 for r in rows)

    driver.get(f"{base}/staff/knowledge")
    shot(driver, "07-knowledge")
    driver.get(f"{base}/staff/account")
    shot(driver, "08-account")
    driver.set_window_size(390, 844)  # a phone
    driver.get(f"{base}/staff/tickets/{number}")
    driver.save_screenshot(str(SHOTS / "09-ticket-phone.png"))
    driver.set_window_size(1280, 800)
    click(driver, driver.find_element(By.CSS_SELECTOR, 'form[action$="/logout"] button'))
    assert "已退出" in driver.page_source
    sign_in(driver, base, ADMIN)
    driver.get(f"{base}/staff/admin")
    assert "工作人员与身份" in driver.page_source
    shot(driver, "10-admin")
