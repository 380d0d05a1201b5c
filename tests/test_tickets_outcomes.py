"""Reply codes: each tied to its article and to exactly one row of table 三 (2021 format)."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from ticket_helpers import SETTINGS, STAFF, form, open_db, service_on

from bot import texts
from bot.tickets.clock import FixedClock
from bot.tickets.models import Ticket
from bot.tickets.outcomes import OUTCOMES, Remedy
from bot.tickets.replies import closing_reply
from bot.tickets.service import TicketService

TEMPLATE = Path(__file__).parent / "data" / "law" / "template-2021.md"


def template_rows() -> list[tuple[str, str]]:
    """(group, row) of every result row of table 三 in the template, as printed there."""
    rows = []
    for line in TEMPLATE.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells[0] == "三、本年度办理结果" and not cells[1].startswith("（七）"):
            rows.append((cells[1], cells[2] or cells[1]))
    return rows


def test_the_template_has_21_result_rows_besides_the_total() -> None:
    assert len(template_rows()) == 21


@pytest.mark.parametrize("code", list(OUTCOMES))
def test_every_code_names_one_row_of_the_template(code: str) -> None:
    outcome = OUTCOMES[code]
    assert (outcome.group, outcome.row) in template_rows()


def test_every_row_of_the_template_is_reached_by_a_code() -> None:
    reached = {(o.group, o.row) for o in OUTCOMES.values()}
    assert set(template_rows()) == reached


def test_shared_rows_and_withdrawal() -> None:
    rows = Counter((o.group, o.row) for o in OUTCOMES.values())
    assert rows[("（一）予以公开", "（一）予以公开")] == 2  # already public and disclosed
    assert rows[("（四）无法提供", "1.本机关不掌握相关政府信息")] == 2  # not held and not this agency's
    assert [c for c, o in OUTCOMES.items() if o.names_agency] == ["not_this_agency"]
    assert (OUTCOMES["withdrawn"].group, OUTCOMES["withdrawn"].row) == ("（六）其他处理", "3.其他")


@pytest.mark.parametrize("code", list(OUTCOMES))
def test_every_code_has_an_article_and_a_decision_text(code: str) -> None:
    outcome = OUTCOMES[code]
    if code in ("confirm_or_reissue", "withdrawn"):
        assert outcome.article is None  # the regulation has no article for these
    else:
        assert outcome.article is not None and re.fullmatch(r"第[一二三四五六七八九十]+条.*", outcome.article)
    assert texts.OUTCOME_DECISIONS[code]


def _closed(code: str, on: date) -> Ticket:
    return Ticket(number="2024-000007", kind="disclosure_request", received_on=date(2023, 12, 1),
                  outcome=code, closed_on=on, referred_agency="怀化市自然资源和规划局，电话 0745-0000000")


WITHHOLDING = ["partly_disclosed", "state_secret", "prohibited_by_law", "security_stability", "third_party_rights",
               "internal_affairs", "process_information", "enforcement_file"]
# 无法提供, 不予处理, 其他处理, and 第三十六条第（七）项: courts differ on whether review must come first.
UNSETTLED = ["administrative_query", "not_held", "not_this_agency", "needs_new_work", "still_unclear",
             "petition_complaint", "repeated", "publication", "excessive", "confirm_or_reissue",
             "correction_overdue", "fee_unpaid"]
RULE = "申请政府信息公开，行政机关不予公开的，申请人应当先向行政复议机关申请行政复议"


def test_every_outcome_has_its_remedies_class() -> None:
    assert [c for c, o in OUTCOMES.items() if o.remedy is Remedy.REVIEW_FIRST] == WITHHOLDING
    assert [c for c, o in OUTCOMES.items() if o.remedy is Remedy.UNSETTLED] == UNSETTLED
    assert [c for c, o in OUTCOMES.items() if o.remedy is Remedy.REVIEW_OR_LAWSUIT] == ["already_public", "disclosed"]
    assert [c for c, o in OUTCOMES.items() if o.remedy is Remedy.NONE] == ["withdrawn"]


@pytest.mark.parametrize("code", list(OUTCOMES))
def test_the_reply_states_decision_article_and_remedies(code: str) -> None:
    outcome = OUTCOMES[code]
    reply = closing_reply(_closed(code, date(2024, 3, 1)), SETTINGS)
    assert reply.count("2024-000007") == 1 and SETTINGS.agency_name in reply
    if outcome.article:
        assert outcome.article in reply
    if outcome.remedy is Remedy.NONE:
        assert "行政复议" not in reply and "行政诉讼" not in reply
        return
    assert SETTINGS.review_body in reply and SETTINGS.court in reply
    assert "六十日内" in reply and "《中华人民共和国行政复议法》第二十条" in reply
    if code in WITHHOLDING:
        # 行政复议法第二十三条第一款第（四）项: 不予公开 goes to review first; never a direct lawsuit.
        assert "须先申请行政复议" in reply and RULE in reply and "第二十三条第一款第（四）项" in reply
        assert "六个月" not in reply and "也可以" not in reply
        assert "第四十五条" in reply
    elif code in UNSETTLED:
        # Both routes as the law gives them, the rule as the law words it, and no "must".
        assert "须先" not in reply and "必须" not in reply
        assert "也可以自收到本答复之日起六个月内" in reply and "《中华人民共和国行政诉讼法》第四十六条" in reply
        assert RULE in reply and "第二十三条第一款第（四）项" in reply and "各地法院的认识也不一致" in reply
    else:
        assert "六个月内" in reply and "第二十三条" not in reply


def test_a_partial_disclosure_says_which_part_is_withheld() -> None:
    reply = closing_reply(_closed("partly_disclosed", date(2024, 3, 1)), SETTINGS)
    assert "本答复对您申请的部分信息不予公开，对此类答复须先申请行政复议" in reply


def test_an_information_not_held_reply_does_not_require_review_first() -> None:
    """The letter for 信息不存在 names both routes and leaves the applicant to judge the review-first rule."""
    reply = closing_reply(_closed("not_held", date(2024, 3, 1)), SETTINGS)
    remedies = reply.split("\n\n")[-2]
    assert remedies.startswith("如对本答复不服，您可以自收到本答复之日起六十日内向怀化市人民政府申请行政复议")
    assert "也可以自收到本答复之日起六个月内向怀化市中级人民法院提起行政诉讼" in remedies
    assert "须先申请行政复议" not in remedies


@pytest.mark.parametrize("code", ["state_secret", "partly_disclosed", "not_held", "fee_unpaid"])
def test_before_2024_every_reply_names_both_routes(code: str) -> None:
    reply = closing_reply(_closed(code, date(2023, 12, 29)), SETTINGS)
    assert "六个月内" in reply and "须先申请行政复议" not in reply and "第二十三条" not in reply


def test_not_this_agency_names_the_responsible_agency() -> None:
    reply = closing_reply(_closed("not_this_agency", date(2024, 3, 1)), SETTINGS)
    assert "怀化市自然资源和规划局" in reply


def _close_with(service: TicketService, session: Session, code: str, day: date) -> None:
    """Register a request on ``day`` and bring it to a close with ``code`` (meeting its preconditions)."""
    service.clock = FixedClock.on(day)
    ticket = service.register_request(session, STAFF, channel="post", form=form(), received_on=day)
    if code in ("correction_overdue", "still_unclear"):
        service.ask_correction(session, STAFF, ticket.number, matters="请写明文号", days=1)
        if code == "still_unclear":
            service.record_correction(session, STAFF, ticket.number)
    if code == "fee_unpaid":
        service.send_fee_notice(session, STAFF, ticket.number, amount="100")
    service.clock = FixedClock.on(day + timedelta(days=40))  # past every deadline
    agency = "怀化市自然资源和规划局" if code == "not_this_agency" else None
    service.close(session, STAFF, ticket.number, outcome=code, agency=agency)


def test_every_reply_code_reaches_its_row_through_the_service(db_url: str) -> None:
    """Close one request with each code; counting closed tickets by row fills every row of 三."""
    db = open_db(db_url)
    service = service_on(date(2024, 10, 14))
    for code in OUTCOMES:
        with db.session() as session:
            _close_with(service, session, code, date(2024, 10, 14))
    with db.session() as session:
        closed = session.scalars(select(Ticket).where(Ticket.status == "closed")).all()
        counted = Counter((OUTCOMES[t.outcome].group, OUTCOMES[t.outcome].row) for t in closed if t.outcome)
    assert set(counted) == set(template_rows())
    assert sum(counted.values()) == len(OUTCOMES)
    db.dispose()


@pytest.mark.parametrize("question", ["对信息不存在的答复不服，可以直接起诉吗？", "对信息不存在的答复不服，必须先复议吗？",
                                      "答复说信息不存在，我不服，能直接去法院告吗？"])
def test_the_guide_does_not_require_review_first_for_information_not_held(cli, sqlite_url: str,  # type: ignore[no-untyped-def]
                                                                          question: str) -> None:
    """The guide answers like the reply letter: review first for 不予公开; both routes for 信息不存在."""
    status, out, _ = cli("--db", sqlite_url, "ask", "--json", question)
    assert status == 0
    answer = json.loads(out)["answer"]
    assert not answer.startswith("不能直接起诉")
    assert "信息不存在" in answer and "各地法院的认识也不一致" in answer
    assert "60日内申请行政复议（《行政复议法》第二十条）" in answer
    assert "6个月内直接起诉（《行政诉讼法》第四十六条）" in answer
    assert "申请政府信息公开，行政机关不予公开的，申请人应当先向行政复议机关申请行政复议" in answer
