"""Every outcome row is reachable; random ticket histories always pass the checks; 2019 format."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from bot.db import Database
from bot.stats.checks import negative_check, table3_checks
from bot.stats.layout import COLUMN_OF_TYPE, table3_rows
from bot.stats.report import build_report
from bot.tickets.codes import ApplicantType, RemedyKind, RemedyResult
from bot.tickets.models import RemedyRecord, RequestDetails, Ticket
from bot.tickets.outcomes import OUTCOMES

TYPES = list(ApplicantType)


def _add(session: Any, n: int, received: date, kind: str, closed: date | None = None,
         outcome: str | None = None) -> Ticket:
    ticket = Ticket(number=f"{received.year}-{n:06d}", kind="disclosure_request",
                    status="closed" if closed else "received", channel="counter", subject="s",
                    created_at=received, received_on=received, closed_on=closed, outcome=outcome,
                    extension_days=0)
    session.add(ticket)
    session.flush()
    session.add(RequestDetails(ticket_id=ticket.id, applicant_name="", applicant_type=kind, id_kind="",
                               id_number="", form="", delivery=""))
    return ticket


@pytest.fixture(scope="module")
def memory() -> Iterator[Database]:
    db = Database("sqlite://")
    yield db
    db.dispose()


def test_every_outcome_code_reaches_its_own_row(memory: Database) -> None:
    """One request per outcome code, closed in 2025; each lands in its row and its column."""
    with memory.session() as s:
        for n, code in enumerate(OUTCOMES, start=1):
            _add(s, n, date(2025, 2, 1), TYPES[n % 6].value, date(2025, 3, 1), code)
        report = build_report(s, 2025)
        s.rollback()
    rows = {r["label"]: r for r in report["table3"]["rows"]}
    for n, (code, outcome) in enumerate(OUTCOMES.items(), start=1):
        assert rows[outcome.row]["values"][COLUMN_OF_TYPE[TYPES[n % 6]]] >= 1, code
        assert rows[outcome.row]["group"] == (outcome.group if outcome.row != outcome.group else "三、本年度办理结果")
    leaves = [r.label for r in table3_rows("2021") if r.kind == "leaf" and r.group is not None]
    assert len(leaves) == 21  # （一）, （二） and the 19 numbered items: every one reached
    assert [label for label in leaves if rows[label]["values"]["总计"] == 0] == []
    assert rows["（七）总计"]["values"]["总计"] == len(OUTCOMES)
    assert all(c["status"] != "fail" for c in report["checks"])


def test_years_before_2021_use_the_2019_format(memory: Database) -> None:
    with memory.session() as s:
        _add(s, 1, date(2020, 2, 1), "commercial", date(2020, 3, 1), "fee_unpaid")
        _add(s, 2, date(2020, 2, 1), "commercial", date(2020, 3, 1), "withdrawn")
        report = build_report(s, 2020)
        s.rollback()
    assert report["format"] == "2019"
    labels = [r["label"] for r in report["table3"]["rows"]]
    assert "3.其他" not in labels and len(labels) == 27
    other = next(r for r in report["table3"]["rows"] if r["label"] == "（六）其他处理")
    assert other["values"]["商业企业"] == 2
    assert "规范性文件" in report["table2"] and "政府集中采购" in report["table2"]
    assert not any("现行有效" in c["name"] for c in report["checks"])  # no such column in 2019's table 二
    assert all(c["status"] != "fail" for c in report["checks"])


def test_a_corrupted_report_fails_each_check_it_breaks() -> None:
    rows: list[dict[str, Any]] = [{"label": r.label, "group": r.group,
                                   "values": {} if r.kind == "header" else dict.fromkeys(
                                       ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"], 0)}
                                  for r in table3_rows("2021")]
    by = {r["label"]: r for r in rows}
    by["1.属于国家秘密"]["values"].update({"自然人": 1, "总计": 1})  # an item without its group or 总计
    checks = {c["name"]: c for c in table3_checks(rows, {})}
    assert checks["（三）不予公开等于其各子项之和"]["status"] == "fail"
    assert checks["（七）总计等于（一）至（六）之和（自然人）"]["status"] == "pass"  # （三） itself still 0
    by["（七）总计"]["values"]["其他"] = None  # a missing value is uncertain, never 0
    checks = {c["name"]: c for c in table3_checks(rows, {})}
    assert checks["勾稽关系：第一项＋第二项＝第三项（七）总计＋第四项（其他）"]["status"] == "uncertain"


day = st.dates(min_value=date(2019, 1, 1), max_value=date(2025, 12, 31))
history = st.tuples(day, st.sampled_from(TYPES), st.one_of(st.none(), st.integers(0, 500)),
                    st.sampled_from(list(OUTCOMES)))
remedy = st.tuples(day, st.sampled_from(list(RemedyKind)), st.sampled_from(list(RemedyResult)),
                   st.integers(0, 400))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(history, max_size=40), st.lists(remedy, max_size=8))
def test_random_histories_always_pass_the_checks(memory: Database, tickets: list[Any], remedies: list[Any]) -> None:
    with memory.session() as s:
        s.execute(delete(RemedyRecord))
        s.execute(delete(RequestDetails))
        s.execute(delete(Ticket))
        made = [_add(s, n, received, kind.value,
                     None if days is None else received + timedelta(days=days), outcome)
                for n, (received, kind, days, outcome) in enumerate(tickets, start=1)]
        for filed, kind, result, days in remedies:
            if made:
                decided = None if result == RemedyResult.PENDING else filed + timedelta(days=days)
                s.add(RemedyRecord(ticket_id=made[0].id, kind=kind.value, filed_on=filed, decided_on=decided,
                                   result=result.value))
        s.flush()
        reports = {y: build_report(s, y) for y in range(2019, 2027)}
        s.rollback()
    for year, report in reports.items():
        bad = [c for c in report["checks"] if c["status"] == "fail"]
        assert bad == [], (year, bad)
        if year > 2019:
            before = {r["label"]: r["values"] for r in reports[year - 1]["table3"]["rows"]}
            now = {r["label"]: r["values"] for r in report["table3"]["rows"]}
            assert before["四、结转下年度继续办理"] == now["二、上年结转政府信息公开申请数量"]


@pytest.mark.parametrize("report_format", ["2021", "2019"])
def test_every_label_is_printed_in_the_template(report_format: str) -> None:
    from bot.stats.layout import COLUMNS as T3_COLUMNS
    from bot.stats.layout import RESULT_COLUMNS
    from bot.stats.proactive import layout
    from tests.conftest import DATA

    template = (DATA / "law" / f"template-{report_format}.md").read_text(encoding="utf-8")
    cells = {cell.strip().strip("*") for line in template.splitlines() if line.startswith("|")
             for cell in line.split("|")}
    labels = [row.label for row in table3_rows(report_format)] + list(T3_COLUMNS)
    for group in ("行政复议", "行政诉讼·未经复议直接起诉", "行政诉讼·复议后起诉"):  # table 四, flattened there
        cells |= {f"{group}：{c}" for c in RESULT_COLUMNS if f"{group}：{c}" in template}
        labels += [f"{group}：{c}" for c in RESULT_COLUMNS]
    for _item, label, columns in layout(report_format):
        labels += [label, *(column for _f, column in columns)]
    assert [label for label in labels if label not in cells] == []
    assert "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）" in template


def test_a_2019_decrease_is_not_a_negative_figure(memory: Database) -> None:
    """2019 format: 本年增/减 of table 二 may be below 0 (fewer items than the year before); nothing else may."""
    from bot.stats.proactive import set_figure

    with memory.session() as s:
        for item, field, value in (("licensing", "change", "-3"), ("fees", "change", "-1")):
            set_figure(s, year=2019, report_format="2019", item=item, field=field, raw=value, actor="li",
                       at=datetime(2020, 1, 5, tzinfo=UTC))
        report = build_report(s, 2019)
        s.rollback()
    assert report["table2"]["行政许可"]["本年增/减"] == -3
    check = next(c for c in report["checks"] if c["name"] == "没有负数")
    assert check["status"] == "pass", check["detail"]
    report["table3"]["rows"][0]["values"]["自然人"] = -1  # a corrupted count still fails the check
    report["table2"]["行政许可"]["处理决定数量"] = -2
    check = negative_check(report)
    assert check["status"] == "fail"
    assert "表三/一、本年新收政府信息公开申请数量/自然人=-1" in check["detail"]
    assert "表二/行政许可/处理决定数量=-2" in check["detail"] and "本年增/减" not in check["detail"]
