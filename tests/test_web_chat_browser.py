"""A real browser in the citizens' web chat of a real `python -m bot web` on PostgreSQL: two questions, a
request (one identity number refused first), a reload, the lookup in a second browser profile, a staff
reply from the console seen on the next visit and received by e-mail at a local SMTP server (aiosmtpd);
messages are sent with fetch, without a reload. And the
same chat with JavaScript off: each message a form post. Screenshots (20-…) go where
tests/test_web_browser.py's SHOTS says."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.dialogue_helpers import BAD_CHECK_DIGIT, RESIDENT_ID
from tests.ports import free_port
from tests.test_web_browser import (  # noqa: F401  (fixtures)
    ADMIN,
    PASSWORD,
    STAFF,
    bot_env,
    browser,
    chromium,
    click,
    postgres,
    run_bot,
    server,
    shot,
    sign_in,
    submit,
    web,
)
from tests.test_web_chat_email import Mailbox, start

FORM = ["张三", "1", "1", BAD_CHECK_DIGIT, RESIDENT_ID, "13812345678", "zhang.san@example.com", "1",
        "鹤城区2025年财政预算执行情况", "2", "1", "1"]


@contextlib.contextmanager
def second_profile() -> Iterator[object]:
    driver = chromium("--window-size=412,900")  # a phone
    try:
        yield driver
    finally:
        driver.quit()


def answered(driver, button) -> None:  # type: ignore[no-untyped-def]
    """Press a button of the chat form and wait for the answer: chat.js posts with fetch and adds the new
    messages to the page (the page itself stays), then lets the send button be pressed again."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    before = count(driver)
    button.click()
    WebDriverWait(driver, 30).until(
        lambda d: count(d) > before and d.find_element(By.CSS_SELECTOR, "button.send").is_enabled())


def count(driver) -> int:  # type: ignore[no-untyped-def]
    return int(driver.execute_script("return document.querySelectorAll('.log .msg').length"))


def send(driver, text: str) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    driver.find_element(By.ID, "text").send_keys(text)
    answered(driver, driver.find_element(By.CSS_SELECTOR, "button.send"))


def choose(driver, n: int) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    answered(driver, driver.find_elements(By.CSS_SELECTOR, ".log .choices button:enabled")[n - 1])


def messages(driver) -> list[str]:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    return [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".log .msg .text")]


@pytest.fixture
def mailed(postgres: str, tmp_path: Path) -> Iterator[tuple[str, Mailbox]]:  # noqa: F811
    """`python -m bot web` with SMTP_URL naming a local SMTP server; the site's address and the mailbox."""
    box, port = Mailbox(), free_port()
    controller = start(box, port)
    env = bot_env(postgres, tmp_path, SMTP_URL=f"smtp://127.0.0.1:{port}")
    run_bot(env, "staff", "add", ADMIN)
    run_bot(env, "staff", "add", STAFF, "--role", "staff", "--as", ADMIN)
    run_bot(env, "staff", "passwd", STAFF, "--as", STAFF, "--password-stdin", stdin=PASSWORD + "\n")
    try:
        with web(env) as base:
            yield base, box
    finally:
        controller.stop()


def test_a_citizen_in_the_web_chat(mailed, browser) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    base, mail = mailed
    driver = browser
    driver.get(f"{base}/")
    assert "使用前请阅读个人信息说明" in driver.page_source and driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN"
    shot(driver, "20-chat-first-visit")
    driver.execute_script("window.__still_here = 1")  # gone if a send loaded the page again
    send(driver, "区长信箱收到多少封来信？")
    box = driver.find_element(By.ID, "text")
    assert box.get_attribute("value") == "" and driver.switch_to.active_element == box
    assert "使用前请阅读个人信息说明" not in driver.page_source  # the notice before the first message has gone

    # A refusal (a CSRF token the server does not take): shown as an alert, the text kept to send again.
    driver.execute_script("document.querySelector('input[name=csrf]').value = 'stale'")
    box.send_keys("政府信息公开申请多长时间答复？")
    driver.find_element(By.CSS_SELECTOR, "button.send").click()
    WebDriverWait(driver, 30).until(lambda d: d.execute_script("return !!document.getElementById('error')"))
    error = driver.find_element(By.CSS_SELECTOR, "#error[role=alert]")
    assert "消息未发送" in error.text and count(driver) == 2
    assert box.get_attribute("value") == "政府信息公开申请多长时间答复？"
    answered(driver, driver.find_element(By.CSS_SELECTOR, "button.send"))  # the page's new token
    assert driver.execute_script("return document.getElementById('error')") is None  # the refusal has gone
    answers = messages(driver)
    assert len(answers) == 4 and "出处" in answers[1] and "出处" in answers[3]
    answered(driver, driver.find_element(By.CSS_SELECTOR, '.menu button[value="m:apply"]'))
    for line in FORM:
        if line.isdigit() and len(line) == 1:
            choose(driver, int(line))
        else:
            send(driver, line)
        if line == BAD_CHECK_DIGIT:
            assert "校验位" in driver.page_source
    assert driver.execute_script("return window.__still_here") == 1  # no message reloaded the page
    receipt = messages(driver)[-1]
    number = re.search(r"申请编号：(\S+)", receipt)[1]  # type: ignore[index]
    code = re.search(r"查询码：([A-Z0-9-]+)", receipt)[1]  # type: ignore[index]
    assert "答复期限" in receipt and RESIDENT_ID not in driver.page_source
    shot(driver, "21-chat-receipt")

    driver.refresh()  # a reload continues the conversation
    assert messages(driver)[-1] == receipt and "区长信箱收到多少封来信？" in messages(driver)[0]

    with second_profile() as other:  # another browser: number and access code
        other.get(f"{base}/lookup")
        other.find_element(By.ID, "number").send_keys(number)
        other.find_element(By.ID, "code").send_keys(code)
        click(other, other.find_element(By.CSS_SELECTOR, "form.lookup button"))
        assert other.find_element(By.ID, "status").text == "已收到"
        shot(other, "22-lookup-phone")

    staff = driver  # the staff member signs in (the console's own cookie, path /staff)
    sign_in(staff, base, STAFF)
    click(staff, staff.find_element(By.LINK_TEXT, number))
    submit(staff, "reply", text="您好，您申请的预算执行情况报告正在调取，请耐心等待。")
    assert "答复已记录" in staff.page_source

    driver.get(f"{base}/")  # the citizen's next visit
    assert "正在调取" in messages(driver)[-1]
    shot(driver, "23-chat-staff-reply")
    WebDriverWait(driver, 30).until(lambda _d: mail.received)  # … and the e-mail they gave
    letter = mail.letters()[0]
    assert len(mail.received) == 1 and mail.received[0][1] == ["zhang.san@example.com"]
    assert number in str(letter["Subject"]) and "正在调取" in letter.get_body(("plain",)).get_content()

    driver.execute_script("window.fetch = () => Promise.reject(new TypeError('Failed to fetch'))")  # offline
    driver.find_element(By.ID, "text").send_keys("谢谢")
    click(driver, driver.find_element(By.CSS_SELECTOR, "button.send"))  # posted the ordinary way instead
    said = [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".log .msg.visitor .text")]
    assert said.count("谢谢") == 1 and said[-1] == "谢谢" and messages(driver)[-1] != "谢谢"  # sent once, answered


def test_without_javascript_each_message_is_a_form_post(server) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from selenium.webdriver.common.by import By

    base, _env = server
    driver = chromium(prefs={"profile.managed_default_content_settings.javascript": 2})
    try:
        driver.get(f"{base}/")
        driver.find_element(By.ID, "text").send_keys("区长信箱收到多少封来信？")
        click(driver, driver.find_element(By.CSS_SELECTOR, "button.send"))  # a post: the page is replaced
        shown = messages(driver)
        assert len(shown) == 2 and shown[0] == "区长信箱收到多少封来信？" and "出处" in shown[1]
        click(driver, driver.find_element(By.CSS_SELECTOR, ".log .choices button:enabled"))  # a choice too
        assert len(messages(driver)) == 4
    finally:
        driver.quit()


WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def violations(driver) -> list[str]:  # type: ignore[no-untyped-def]
    """What axe-core (Deque's engine, run in the page) finds against WCAG 2.1 A and AA: one line each."""
    from axe_core_python.selenium import Axe

    found = Axe().run(driver, options=WCAG)
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in found["violations"]]


def test_the_chat_and_the_console_meet_wcag_2_1_aa_as_axe_checks_them(server, browser) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """The pages as a citizen and a staff member see them, each state that adds markup: first visit, a
    conversation with choices, an alert, the lookup, and the console's main pages."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    base, _env = server
    driver = browser
    driver.get(f"{base}/")
    assert violations(driver) == []  # the privacy notice, the empty log
    send(driver, "区长信箱收到多少封来信？")
    answered(driver, driver.find_element(By.CSS_SELECTOR, '.menu button[value="m:apply"]'))
    assert violations(driver) == []  # messages, sources, choices
    driver.execute_script("document.querySelector('input[name=csrf]').value = 'stale'")
    driver.find_element(By.ID, "text").send_keys("你好")
    driver.find_element(By.CSS_SELECTOR, "button.send").click()
    WebDriverWait(driver, 30).until(lambda d: d.execute_script("return !!document.getElementById('error')"))
    assert violations(driver) == []  # the alert
    driver.get(f"{base}/lookup")
    assert violations(driver) == []
    sign_in(driver, base, STAFF)
    for page in ("/staff/", "/staff/report", "/staff/knowledge", "/staff/account"):
        driver.get(base + page)
        assert violations(driver) == [], page
