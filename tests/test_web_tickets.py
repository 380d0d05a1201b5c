"""The queue and the ticket page through HTTP: filters and counts, masking, every action, bad input, roles."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from bot.app import App
from bot.dialogue.models import OutboxMessage
from bot.tickets.calendar_store import build_calendar
from bot.tickets.clock import FixedClock
from bot.tickets.models import Ticket, TicketEvent
from bot.tickets.service import TicketService
from tests.dialogue_helpers import STAFF, SUPERVISOR
from tests.ticket_helpers import PHONE, RESIDENT_ID, form
from tests.web_helpers import post, signed_in

TICKET = "/staff/tickets/2026-000001"


def service(app: App, session, clock: FixedClock) -> TicketService:  # type: ignore[no-untyped-def]
    return TicketService(app.settings, build_calendar(session, app.settings), clock)


def file_request(app: App, clock: FixedClock, **changes: object) -> str:
    with app.db.session() as session:
        ticket = service(app, session, clock).file_from_chat(session, channel="terminal", chat_id="alice",
                                                             form=form(**changes))
        return ticket.number


def count(app: App, action: str) -> int:
    with app.db.session() as session:
        return session.scalar(select(func.count()).select_from(TicketEvent).where(TicketEvent.action == action)) or 0


def texts_of(html: str, css_class: str) -> list[str]:
    return [re.sub(r"\s+", " ", m).strip() for m in re.findall(rf'class="{css_class}"[^>]*>(.*?)</p>', html, re.S)]


def test_the_queue_filters_counts_and_pages(app: App, clock: FixedClock) -> None:
    for _ in range(53):
        file_request(app, clock)
    with app.db.session() as session:
        svc = service(app, session, clock)
        svc.register_enquiry(session, STAFF, channel="counter", question="怎样申请公开？")
        svc.claim(session, STAFF, "2026-1")
        svc.ask_correction(session, STAFF, "2026-2", matters="请写明文号")
        svc.start_consultation(session, STAFF, "2026-3", party="third_party")
        svc.send_fee_notice(session, STAFF, "2026-4", amount="20")
    clock.current += timedelta(days=26)  # 2026-03-28: the first requests are due on the 30th
    c = signed_in(app, clock)
    page = c.get("/staff/")
    counts = dict(re.findall(r'filter=(\w+)[^"]*"[^>]*>[^<]*<span class="count">(\d+)</span>', page.text))
    assert counts == {"open": "54", "mine": "1", "unassigned": "53", "due_soon": "50", "overdue": "0",
                      "correction": "1", "paused": "2"}
    assert "共 54 件，第 1/2 页" in page.text and page.text.count('<tr class=') == 50
    assert PHONE not in page.text and "138****5678" in page.text and RESIDENT_ID not in page.text
    second = c.get("/staff/?filter=open&page=2")
    assert second.text.count('<tr class=') == 4
    dues = re.findall(r"<td>(2026-\d\d-\d\d[^<]*)</td>\s*<td>", page.text + second.text)
    assert dues == sorted(dues)  # by due date (the 补正 request, with none, last)
    assert c.get("/staff/?filter=mine").text.count("<tr class=") == 1
    paused = c.get("/staff/?filter=paused&kind=disclosure_request")
    assert "2026-000003" in paused.text and "2026-000004" in paused.text and "2026-000005" not in paused.text
    enquiries = c.get("/staff/?kind=enquiry")
    assert enquiries.text.count("<tr class=") == 1 and "咨询" in enquiries.text
    clock.current += timedelta(days=5)
    c = signed_in(app, clock)
    overdue = c.get("/staff/?filter=overdue")
    assert "已逾期 <span class=\"count\">50</span>" in overdue.text and 'class="overdue"' in overdue.text
    assert c.get("/staff/?filter=nonsense&page=x").status_code == 200  # unknown values: the default view


def test_identity_numbers_and_phones_are_masked_until_revealed_and_the_reveal_is_recorded(
        app: App, clock: FixedClock) -> None:
    file_request(app, clock)
    c = signed_in(app, clock)
    page = c.get(TICKET)
    assert "110*************2X" in page.text and "138****5678" in page.text
    assert RESIDENT_ID not in page.text and PHONE not in page.text and "zhang.san@example.com" not in page.text
    assert page.headers["cache-control"] == "no-store"
    shown = post(c, f"{TICKET}/reveal", page=TICKET)
    assert shown.status_code == 200 and RESIDENT_ID in shown.text and PHONE in shown.text
    assert shown.headers["cache-control"] == "no-store"
    assert count(app, "revealed") == 1
    assert RESIDENT_ID not in c.get(TICKET).text  # masked again on the next view


def test_the_due_date_is_explained(app: App, clock: FixedClock) -> None:
    file_request(app, clock)
    with app.db.session() as session:
        service(app, session, clock).start_consultation(session, STAFF, "2026-1", party="agency")
    page = signed_in(app, clock).get(TICKET)
    assert "收到申请之日：2026-03-02" in page.text and "20 个工作日" in page.text
    assert "征求其他机关意见：2026-03-02 至 2026-03-23，其间 15 个工作日不计入（尚未结束" in page.text
    assert '<p class="due">2026-04-21</p>' in page.text  # 03-30 plus 15 working days (清明 4 to 6 April)


def test_a_request_handled_from_claim_to_close(app: App, clock: FixedClock) -> None:
    file_request(app, clock)
    c = signed_in(app, clock)
    steps = [("claim", {}, "claimed"), ("assign", {"to": SUPERVISOR}, "assigned"), ("note", {"text": "已电话联系"}, "noted"),
             ("correction", {"matters": "请写明文件名称", "days": "10"}, "correction"),
             ("corrected", {"on": "2026-03-02"}, "corrected"), ("consult", {"party": "third_party"}, "consult"),
             ("consulted", {}, "consulted"), ("fee", {"amount": "12.50"}, "fee"), ("paid", {}, "paid"),
             ("extend", {"days": "10", "reason": "需调取档案"}, "extend")]
    for action, data, notice in steps:
        done = post(c, f"{TICKET}/{action}", data, page=TICKET)
        assert done.status_code == 303 and done.headers["location"].endswith(f"ok={notice}"), (action, done.text)
    boss = signed_in(app, clock, SUPERVISOR)
    assert 'action="/staff/tickets/2026-000001/approve"' in boss.get(TICKET).text
    assert post(boss, f"{TICKET}/approve", page=TICKET).status_code == 303
    remedy = post(c, f"{TICKET}/remedy", {"kind": "review", "filed": "2026-03-02", "result": "pending"}, page=TICKET)
    assert remedy.status_code == 303
    with app.db.session() as session:
        record = session.scalar(select(Ticket).where(Ticket.number == "2026-000001")).remedies[0].id
    decided = post(c, f"{TICKET}/remedy_result", {"record": str(record), "decided": "2026-03-02",
                                                  "result": "upheld"}, page=TICKET)
    assert decided.status_code == 303
    page = c.get(TICKET)
    for label in ("认领", "指派", "内部备注", "告知补正", "收到补正", "开始征求意见", "征求意见结束", "发出收费通知",
                  "已缴费", "申请延期", "批准延期", "登记复议/诉讼", "复议/诉讼结果"):
        assert label in page.text, label
    assert "已延期" in page.text and "经负责人批准延长 10 个工作日" in page.text


def test_the_closing_letter_is_previewed_before_anything_is_stored(app: App, clock: FixedClock) -> None:
    file_request(app, clock)
    c = signed_in(app, clock)
    page = c.get(TICKET)
    assert "（二）部分公开" in page.text and "第三十七条" in page.text and "4.保护第三方合法权益" in page.text
    preview = post(c, f"{TICKET}/preview", {"outcome": "partly_disclosed"}, page=TICKET)
    assert preview.status_code == 200 and "答复预览" in preview.text and "本机关作区分处理" in preview.text
    with app.db.session() as session:
        assert session.scalar(select(Ticket.status)) == "received"
        assert session.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.text.contains("区分处理"))) == 0
    assert count(app, "closed") == 0
    sent = post(c, f"{TICKET}/close", {"outcome": "partly_disclosed"}, page=TICKET)
    assert sent.status_code == 303 and sent.headers["location"].endswith("ok=closed")
    with app.db.session() as session:
        assert session.scalar(select(Ticket.outcome)) == "partly_disclosed"
    withdrawn = post(c, f"{TICKET}/withdrawn", page=TICKET)
    assert withdrawn.status_code == 400  # closed: nothing more to close


@pytest.mark.parametrize(("action", "data", "message"), [
    ("note", {"text": "  "}, "内容不能为空"),
    ("assign", {"to": "nobody"}, "“nobody”不是工作人员"),
    ("correction", {"matters": ""}, "请说明需要补正的事项"),
    ("correction", {"matters": "文号", "days": "十"}, "应为整数"),
    ("correction", {"matters": "文号", "on": "2026-13-01"}, "格式不对"),
    ("correction", {"matters": "文号", "on": "2026-03-09"}, "晚于今天"),
    ("fee", {"amount": "abc"}, "收费金额须为正数"),
    ("fee", {"amount": "-5"}, "收费金额须为正数"),
    ("extend", {"days": "30", "reason": "档案"}, "1 至 20 个工作日"),
    ("extend", {"days": "10", "reason": ""}, "请说明延期理由"),
    ("consult", {"party": "fee"}, "征求意见对象“fee”无效"),
    ("close", {}, "请选择办理结果"),
    ("close", {"outcome": "not_this_agency"}, "请写明负责公开的行政机关"),
    ("close", {"outcome": "correction_overdue"}, "不能以“逾期不补正”办结"),
    ("preview", {"outcome": "made_up"}, "没有“made_up”这一办理结果"),
    ("remedy", {"kind": "review", "filed": ""}, "请填写“提出日期”"),
    ("remedy", {"kind": "review", "filed": "2026-03-02", "result": "upheld"}, "已审结的须同时填写"),
    ("corrected", {}, "不是“待补正”"),
    ("paid", {}, "不是“待缴信息处理费”"),
])
def test_bad_input_is_explained_on_the_page_and_nothing_is_stored(
        app: App, clock: FixedClock, action: str, data: dict[str, str], message: str) -> None:
    file_request(app, clock)
    c = signed_in(app, clock)
    with app.db.session() as session:
        before = session.scalar(select(func.count()).select_from(TicketEvent))
    response = post(c, f"{TICKET}/{action}", data, page=TICKET)
    assert response.status_code == 400 and message in response.text, response.text[-3000:]
    assert "已保留您填写的内容" in response.text
    with app.db.session() as session:
        assert session.scalar(select(func.count()).select_from(TicketEvent)) == before
        assert session.scalar(select(Ticket.status)) == "received"
    for value in data.values():
        if value.strip() and action in ("note", "correction", "extend", "fee"):
            assert value in response.text  # what was typed is still there


def test_a_reply_carries_files_within_limits(app: App, clock: FixedClock, tmp_path) -> None:  # type: ignore[no-untyped-def]
    file_request(app, clock)
    c = signed_in(app, clock)
    bad = [("程序.exe", b"MZ\x90\x00", "类型不能上传"), ("答复.pdf", b"<html>not a pdf</html>", "内容与扩展名不符"),
           ("空.pdf", b"", "是空的"), ("大.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "超过 10 MB")]
    for name, content, message in bad:
        response = post(c, f"{TICKET}/reply", {"text": "见附件"}, page=TICKET,
                        files=[("files", ("ok.pdf", b"%PDF-1.4", "application/pdf")), ("files", (name, content, "x"))])
        assert response.status_code == 400 and message in response.text, name
        assert count(app, "replied") == 0 and count(app, "document_sent") == 0  # not the good file either
    sent = post(c, f"{TICKET}/reply", {"text": "见附件"}, page=TICKET,
                files=[("files", ("../../答复书.pdf", b"%PDF-1.4 reply", "application/pdf")),
                       ("files", ("清单.xlsx", b"PK\x03\x04 sheet", "application/octet-stream"))])
    assert sent.status_code == 303 and count(app, "document_sent") == 2
    page = c.get(TICKET)
    links = re.findall(r'href="(/staff/tickets/2026-000001/files/\d+)">([^<]+)</a>', page.text)
    assert [name for _link, name in links] == ["答复书.pdf", "清单.xlsx"]
    download = c.get(links[0][0])
    assert download.status_code == 200 and download.content == b"%PDF-1.4 reply"
    assert "attachment" in download.headers["content-disposition"]
    assert download.headers["content-type"] == "application/octet-stream"
    empty = post(c, f"{TICKET}/reply", {"text": ""}, page=TICKET)
    assert empty.status_code == 400 and "内容不能为空" in empty.text


def test_roles_are_checked_and_every_refusal_is_recorded(app: App, clock: FixedClock) -> None:
    file_request(app, clock)
    c = signed_in(app, clock)
    post(c, f"{TICKET}/extend", {"days": "5", "reason": "档案"}, page=TICKET)
    assert 'action="/staff/tickets/2026-000001/approve"' not in c.get(TICKET).text  # a supervisor's button
    refused = post(c, f"{TICKET}/approve", page=TICKET)
    assert refused.status_code == 403 and "需要负责人身份" in refused.text
    with app.db.session() as session:
        denied = session.scalars(select(TicketEvent).where(TicketEvent.action == "denied")).all()
        assert [(e.actor, e.data["action"], e.ticket_id is not None) for e in denied] == [
            (STAFF, "extension_approved", True)]
    assert c.get("/staff/tickets/2026-999").status_code == 404
    assert post(c, f"{TICKET}/launch", page=TICKET).status_code == 404


def test_an_enquiry_has_only_the_forms_an_enquiry_can_use(app: App, clock: FixedClock) -> None:
    with app.db.session() as session:
        service(app, session, clock).register_enquiry(session, STAFF, channel="counter", question="怎样申请公开？")
    c = signed_in(app, clock)
    page = c.get(TICKET)
    actions = set(re.findall(r'action="/staff/tickets/2026-000001/(\w+)"', page.text))
    assert actions == {"claim", "assign", "reply", "note", "preview", "withdrawn"}
    assert "已引导至相应渠道" in page.text and "（一）予以公开" not in page.text
    assert post(c, f"{TICKET}/close", {"outcome": "answered"}, page=TICKET).status_code == 303


def test_dates_are_not_counted_from_the_server_clock_but_the_injected_one(app: App, clock: FixedClock) -> None:
    file_request(app, clock)
    clock.current += timedelta(days=1)
    c = signed_in(app, clock)
    post(c, f"{TICKET}/consult", {"party": "agency"}, page=TICKET)
    with app.db.session() as session:
        assert session.scalar(select(Ticket)).pauses[0].started_on == date(2026, 3, 3)
