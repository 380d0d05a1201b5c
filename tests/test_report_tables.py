"""Tables 三 and 四 for a hand-computed scenario across the 2024/2025 year boundary, and the checks."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import update

from bot.db import Database
from bot.stats.report import build_report, publish
from bot.tickets.clock import FixedClock
from bot.tickets.models import Ticket
from tests.ticket_helpers import STAFF, form, open_db, service_on

COLUMNS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
TODAY = date(2026, 3, 2)


def _file(db: Database, received: date, applicant_type: str, **kwargs: Any) -> str:
    id_kind = "resident_id" if applicant_type == "natural_person" else "uscc"
    id_number = "11010519491231002X" if id_kind == "resident_id" else "91350100M000100Y43"
    with db.session() as s:
        ticket = service_on(TODAY).register_request(
            s, STAFF, channel="post", received_on=received,
            form=form(applicant_type=applicant_type, id_kind=id_kind, id_number=id_number, **kwargs))
        return ticket.number


def _close(db: Database, number: str, outcome: str, on: date) -> None:
    with db.session() as s:
        service_on(TODAY).close(s, STAFF, number, outcome=outcome, on=on)


@pytest.fixture
def scenario(db_url: str) -> Database:
    """The scenario of docs/report.md, by hand (report year 2025)."""
    db = open_db(db_url)
    svc = service_on(TODAY)
    a = _file(db, date(2024, 12, 10), "natural_person")            # closed in January: 二, （一）
    _close(db, a, "disclosed", date(2025, 1, 8))
    b = _file(db, date(2024, 12, 20), "commercial")                # 补正 across the year: 二, （四）3
    with db.session() as s:
        svc.ask_correction(s, STAFF, b, matters="请写明文号", on=date(2024, 12, 23))
    with db.session() as s:
        svc.record_correction(s, STAFF, b, on=date(2025, 1, 6))
    _close(db, b, "still_unclear", date(2025, 1, 20))
    c = _file(db, date(2024, 12, 30), "legal_services")            # withdrawn: 二, （六）3
    _close(db, c, "withdrawn", date(2025, 1, 3))
    d = _file(db, date(2024, 11, 5), "natural_person")             # closed in 2024: not in 2025
    _close(db, d, "disclosed", date(2024, 11, 20))
    _file(db, date(2024, 12, 31), "research")                      # still open: 二 and 四
    f = _file(db, date(2025, 3, 3), "public_interest")             # 一, （二）
    _close(db, f, "partly_disclosed", date(2025, 3, 20))
    g = _file(db, date(2025, 12, 29), "natural_person")            # 一, closed 2026: 四
    _close(db, g, "not_held", date(2026, 1, 5))
    _file(db, date(2025, 6, 2), "other_org")                       # 一, open: 四
    _file(db, date(2026, 1, 2), "natural_person")                  # next year: nowhere in 2025
    with db.session() as s:
        svc.register_enquiry(s, STAFF, channel="counter", question="怎样申请？", received_on=date(2025, 5, 5))
        svc.add_remedy(s, STAFF, a, kind="review", filed_on=date(2025, 2, 10), decided_on=date(2025, 4, 1),
                       result="upheld")
        svc.add_remedy(s, STAFF, f, kind="lawsuit_direct", filed_on=date(2025, 11, 1),
                       decided_on=date(2026, 1, 15), result="corrected")   # decided after 31 Dec: 尚未审结
        svc.add_remedy(s, STAFF, d, kind="review", filed_on=date(2024, 12, 1))  # filed in 2024: not counted
    yield db
    db.dispose()


def _report(db: Database, year: int) -> dict[str, Any]:
    with db.session() as s:
        return build_report(s, year)


def _row(report: dict[str, Any], label: str) -> list[int]:
    row = next(r for r in report["table3"]["rows"] if r["label"] == label)
    return [row["values"][c] for c in COLUMNS]


#                                                          自然 商业 科研 公益 法律 其他 总计
EXPECTED_2025 = {
    "一、本年新收政府信息公开申请数量":                          [1, 0, 0, 1, 0, 1, 3],
    "二、上年结转政府信息公开申请数量":                          [1, 1, 1, 0, 1, 0, 4],
    "（一）予以公开":                                             [1, 0, 0, 0, 0, 0, 1],
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）":  [0, 0, 0, 1, 0, 0, 1],
    "（三）不予公开":                                             [0, 0, 0, 0, 0, 0, 0],
    "（四）无法提供":                                             [0, 1, 0, 0, 0, 0, 1],
    "3.补正后申请内容仍不明确":                                  [0, 1, 0, 0, 0, 0, 1],
    "（六）其他处理":                                             [0, 0, 0, 0, 1, 0, 1],
    "3.其他":                                                     [0, 0, 0, 0, 1, 0, 1],
    "（七）总计":                                                 [1, 1, 0, 1, 1, 0, 4],
    "四、结转下年度继续办理":                                    [1, 0, 1, 0, 0, 1, 3],
}


def test_the_hand_computed_year_2025(scenario: Database) -> None:
    report = _report(scenario, 2025)
    assert report["format"] == "2021"
    for label, values in EXPECTED_2025.items():
        assert _row(report, label) == values, label
    assert report["table4"]["行政复议"] == {"结果维持": 1, "结果纠正": 0, "其他结果": 0, "尚未审结": 0, "总计": 1}
    assert report["table4"]["行政诉讼"]["未经复议直接起诉"]["尚未审结"] == 1
    assert report["table4"]["行政诉讼"]["复议后起诉"]["总计"] == 0
    assert report["enquiries"]["escalated"] == 1
    failing = [c for c in report["checks"] if c["status"] == "fail"]
    assert failing == []
    # No published 2024 report and no table 二 figures: those checks are uncertain, never passed on 0.
    uncertain = [c["name"] for c in report["checks"] if c["status"] == "uncertain"]
    assert any("上年" in name for name in uncertain) and any("现行有效" in name for name in uncertain)


def test_rows_are_the_printed_rows_in_order(scenario: Database) -> None:
    rows = _report(scenario, 2025)["table3"]["rows"]
    labels = [r["label"] for r in rows]
    assert labels[:4] == ["一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "三、本年度办理结果",
                          "（一）予以公开"]
    assert labels[-2:] == ["（七）总计", "四、结转下年度继续办理"]
    assert len(rows) == 30  # 一, 二, 三 (header), （一）…（七）, the 19 numbered items, 四
    header = rows[2]
    assert header["values"] == {} and header["group"] is None
    item = next(r for r in rows if r["label"] == "1.属于国家秘密")
    assert item["group"] == "（三）不予公开"


def test_next_year_carries_over_what_2025_left_open(scenario: Database) -> None:
    with scenario.session() as s:
        publish(s, 2025, actor=STAFF, at=FixedClock.on(TODAY).now())
    report = _report(scenario, 2026)
    assert _row(report, "二、上年结转政府信息公开申请数量") == [1, 0, 1, 0, 0, 1, 3]
    carry = [c for c in report["checks"] if c["name"].startswith("上年“结转下年度继续办理”")]
    assert len(carry) == 7 and all(c["status"] == "pass" for c in carry)


def test_a_corrupted_ticket_fails_the_checks_visibly(scenario: Database) -> None:
    with scenario.session() as s:
        s.execute(update(Ticket).where(Ticket.outcome == "partly_disclosed").values(outcome="lost_code"))
    report = _report(scenario, 2025)
    failed = {c["name"]: c["detail"] for c in report["checks"] if c["status"] == "fail"}
    assert "勾稽关系：第一项＋第二项＝第三项（七）总计＋第四项（社会公益组织）" in failed
    assert "1 + 0 = 1 ≠ 0 + 0 = 0" in failed["勾稽关系：第一项＋第二项＝第三项（七）总计＋第四项（社会公益组织）"]
    assert "1 件本年办结的申请没有可识别的办理结果" in failed["每件申请都计入表中"]
