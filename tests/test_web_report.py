"""The report page through HTTP: tables as printed, checks, table 二 entry, publishing, files, the register."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from bot.app import App
from bot.stats.models import ProactiveFigure, PublishedReport
from bot.tickets.clock import FixedClock
from bot.tickets.models import Ticket, TicketEvent
from tests.dialogue_helpers import STAFF, SUPERVISOR
from tests.test_web_tickets import file_request, service
from tests.web_helpers import post, signed_in

REPORT = "/staff/report?year=2025"
HEADER = "登记编号,收到日期,申请人类型,申请内容,办结日期,办理结果"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock.on(date(2026, 3, 2))


def a_year_of_requests(app: App) -> None:
    """2025: one request partly disclosed, one withdrawn, one still open at the year's end."""
    for day, outcome in ((date(2025, 3, 3), "partly_disclosed"), (date(2025, 6, 2), "withdrawn"),
                         (date(2025, 12, 1), None)):
        clock = FixedClock.on(day)
        number = file_request(app, clock)
        if outcome:
            with app.db.session() as session:
                service(app, session, clock).close(session, STAFF, number, outcome=outcome)


def cell(html: str, label: str) -> list[str]:
    """The seven figures of the table 三 line whose last label cell is ``label``."""
    match = re.search(rf">{re.escape(label)}</th>\s*((?:<td class=\"num\">[^<]*</td>\s*)+)", html)
    assert match, label
    return re.findall(r'<td class="num">([^<]*)</td>', match[1])


def test_the_tables_are_printed_like_the_template(app: App, clock: FixedClock) -> None:
    a_year_of_requests(app)
    page = signed_in(app, clock).get(REPORT)
    assert page.status_code == 200 and "2025 年政府信息公开工作年度报表" in page.text
    assert cell(page.text, "一、本年新收政府信息公开申请数量") == ["3", "0", "0", "0", "0", "0", "3"]
    assert cell(page.text, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）")[0] == "1"
    assert cell(page.text, "3.其他")[0] == "1"
    assert cell(page.text, "四、结转下年度继续办理")[-1] == "1"
    assert 'rowspan="22"' in page.text  # 三、本年度办理结果 stands beside its 22 lines
    assert re.search(r'rowspan="8">（三）不予公开</th>', page.text)
    assert "第二十条第（一）项" in page.text and "结果维持" in page.text and "复议后起诉" in page.text
    statuses = re.findall(r'<tr class="check-(\w+)">', page.text)
    assert statuses == sorted(statuses, key=["fail", "uncertain", "pass"].index)  # failures first
    assert "uncertain" in statuses  # table 二 is empty: its checks cannot be decided


def test_a_failing_check_comes_first(app: App, clock: FixedClock) -> None:
    a_year_of_requests(app)
    with app.db.session() as session:  # a request closed with a code table 三 does not know
        session.scalar(select(Ticket).where(Ticket.number == "2025-000001")).outcome = "lost"
    page = signed_in(app, clock).get(REPORT)
    assert re.findall(r'<tr class="check-(\w+)">', page.text)[0] == "fail"


def test_table_two_is_entered_all_or_nothing(app: App, clock: FixedClock) -> None:
    c = signed_in(app, clock)
    for typed, message in (({"regulations.issued": "3", "regulations.repealed": "x"}, "不是这一格可以填写的数值"),
                           ({"regulations.issued": "3", "licensing.decisions": "1.5"}, "不是这一格可以填写的数值"),
                           ({"regulations.issued": "3", "fees.amount": "-1"}, "不是这一格可以填写的数值")):
        bad = post(c, "/staff/report/figures", {"year": "2025", **typed}, page=REPORT)
        assert bad.status_code == 400 and message in bad.text
        assert 'value="3"' in bad.text  # what was typed is still there
        with app.db.session() as session:
            assert session.scalar(select(func.count()).select_from(ProactiveFigure)) == 0
    good = post(c, "/staff/report/figures", {"year": "2025", "regulations.issued": "3", "fees.amount": "12.5"},
                page=REPORT)
    assert good.status_code == 303
    page = c.get(REPORT)
    assert 'name="regulations.issued" inputmode="decimal" size="8" value="3"' in page.text
    assert 'value="12.5"' in page.text
    assert post(c, "/staff/report/figures", {"year": "1999"}, page=REPORT).status_code == 400


def test_publishing_needs_a_supervisor_and_shows_later_differences(app: App, clock: FixedClock) -> None:
    a_year_of_requests(app)
    c = signed_in(app, clock)
    assert "发布 2025 年报表" not in c.get(REPORT).text
    refused = post(c, "/staff/report/publish", {"year": "2025"}, page=REPORT)
    assert refused.status_code == 403
    with app.db.session() as session:
        denied = session.scalar(select(TicketEvent).where(TicketEvent.action == "denied"))
        assert denied is not None and denied.data["action"] == "report_published" and denied.actor == STAFF
        assert session.scalar(select(func.count()).select_from(PublishedReport)) == 0
    boss = signed_in(app, clock, SUPERVISOR)
    assert post(boss, "/staff/report/publish", {"year": "2025"}, page=REPORT).status_code == 303
    with app.db.session() as session:
        service(app, session, clock).close(session, STAFF, "2025-3", outcome="disclosed", on=date(2025, 12, 30))
    page = boss.get(REPORT)
    assert "与已发布报告" in page.text and "表三/（一）予以公开/自然人：已发布 0，现为 1" in page.text


def test_the_files_can_be_downloaded(app: App, clock: FixedClock) -> None:
    a_year_of_requests(app)
    c = signed_in(app, clock)
    xlsx = c.get("/staff/report/download/2025.xlsx")
    assert xlsx.status_code == 200 and "attachment" in xlsx.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(xlsx.content))["三、依申请公开"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert any(row[2] is None and row[1] and str(row[1]).startswith("（二）部分公开") and row[3] == 1
               for row in values)
    csv = c.get("/staff/report/download/2025.csv")
    assert csv.content.startswith("\ufeff".encode()) and "（二）部分公开" in csv.content.decode("utf-8-sig")
    assert "一、本年新收" in c.get("/staff/report/download/2025.md").text
    docx = c.get("/staff/report/download/2025.docx")
    assert docx.status_code in (200, 409)  # 409 names the font package when no CJK font is installed
    assert c.get("/staff/report/download/2025.exe").status_code == 404
    assert c.get("/staff/report/download/1999.xlsx").status_code == 400


def test_the_register_import_is_all_or_nothing_with_line_numbers(app: App, clock: FixedClock) -> None:
    c = signed_in(app, clock)
    bad = "\n".join([HEADER, "R1,2025-01-10,自然人,预算,2025-01-20,予以公开", "R2,2025-02-30,自然人,决算,,",
                     "R3,2025-03-01,外星人,规划,,"]) + "\n"
    refused = post(c, "/staff/report/import", {"year": "2025"}, page=REPORT,
                   files=[("file", ("台账.csv", bad.encode("utf-8-sig"), "text/csv"))])
    assert refused.status_code == 400 and "第 3 行" in refused.text and "第 4 行" in refused.text
    assert "未导入任何记录" in refused.text
    with app.db.session() as session:
        assert session.scalar(select(func.count()).select_from(Ticket)) == 0
    wrong = post(c, "/staff/report/import", {"year": "2025"}, page=REPORT,
                 files=[("file", ("台账.docx", b"PK\x03\x04", "x"))])
    assert wrong.status_code == 400 and "类型不能上传" in wrong.text
    good = "\n".join([HEADER, "R1,2025-01-10,自然人,预算,2025-01-20,予以公开", "R2,2025-02-10,商业企业,决算,,"])
    done = post(c, "/staff/report/import", {"year": "2025"}, page=REPORT,
                files=[("file", ("台账.csv", good.encode(), "text/csv"))])
    assert done.status_code == 303
    exported = c.get("/staff/report/register/2025.csv")
    text = exported.content.decode("utf-8-sig")
    assert exported.status_code == 200 and text.startswith(HEADER) and "R1,2025-01-10,自然人,预算" in text
    assert cell(c.get(REPORT).text, "（一）予以公开")[0] == "1"
