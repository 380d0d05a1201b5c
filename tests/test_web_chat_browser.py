"""A real browser in the citizens' web chat of a real `python -m bot web` on PostgreSQL: two questions, a
request (one identity number refused first), a reload, the lookup in a second browser profile, a staff
reply from the console seen on the next visit. Screenshots (20-…) go where tests/test_web_browser.py's SHOTS says."""

from __future__ import annotations

import contextlib
import re
import tempfile
from collections.abc import Iterator

from tests.dialogue_helpers import BAD_CHECK_DIGIT, RESIDENT_ID
from tests.test_web_browser import (  # noqa: F401  (fixtures)
    CHROMIUM,
    DRIVER,
    STAFF,
    browser,
    click,
    postgres,
    server,
    shot,
    sign_in,
    submit,
)

FORM = ["张三", "1", "1", BAD_CHECK_DIGIT, RESIDENT_ID, "13812345678", "zhang.san@example.com", "1",
        "鹤城区2025年财政预算执行情况", "2", "1", "1"]


@contextlib.contextmanager
def second_profile() -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM or ""
    for argument in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage",
                     f"--user-data-dir={tempfile.mkdtemp(prefix='chromium-')}", "--window-size=412,900",
                     "--lang=zh-CN"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path=DRIVER), options=options)
    driver.implicitly_wait(5)
    try:
        yield driver
    finally:
        driver.quit()


def send(driver, text: str) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    driver.find_element(By.ID, "text").send_keys(text)
    click(driver, driver.find_element(By.CSS_SELECTOR, "button.send"))


def choose(driver, n: int) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    click(driver, driver.find_elements(By.CSS_SELECTOR, ".log .choices button:enabled")[n - 1])


def messages(driver) -> list[str]:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    return [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".log .msg .text")]


def test_a_citizen_in_the_web_chat(server, browser) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from selenium.webdriver.common.by import By

    base, _env = server
    driver = browser
    driver.get(f"{base}/")
    assert "个人信息说明" in driver.page_source and driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "zh-CN"
    shot(driver, "20-chat-first-visit")
    send(driver, "区长信箱收到多少封来信？")
    send(driver, "政府信息公开申请多长时间答复？")
    answers = messages(driver)
    assert len(answers) == 4 and "出处" in answers[1] and "出处" in answers[3]
    click(driver, driver.find_element(By.CSS_SELECTOR, '.menu button[value="m:apply"]'))
    for line in FORM:
        if line.isdigit() and len(line) == 1:
            choose(driver, int(line))
        else:
            send(driver, line)
        if line == BAD_CHECK_DIGIT:
            assert "校验位" in driver.page_source
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
