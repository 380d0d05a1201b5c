"""Differences since publishing, in every format and in `/report Y`; the enquiry figures frozen with the tables."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from openpyxl import load_workbook

from bot.app import App
from bot.dialogue.messages import Incoming
from bot.stats import chart
from bot.stats.report import publish
from bot.tickets.clock import SHANGHAI, FixedClock
from tests.dialogue_helpers import STAFF, make_app
from tests.fonts import needs_font

REGISTER = "\n".join([
    "登记编号,收到日期,申请人类型,申请内容,办结日期,办理结果",
    "R1,2024-12-10,自然人,财政预算,2025-01-08,予以公开",
    "R2,2024-12-30,法律服务机构,征地,,",
])
CHANGED = REGISTER.replace("R2,2024-12-30,法律服务机构,征地,,", "R2,2024-12-30,法律服务机构,征地,2025-02-01,予以公开")
MOVED = ("表三/（一）予以公开/法律服务机构", 0, 1)
QUESTION = "区长信箱收到多少封来信？"  # the bundled report answers it




@pytest.fixture
def run(cli: Any, db_url: str, tmp_path: Path) -> Any:
    """2025 published, then a request closed in February: seven cells of 2025 differ."""

    def call(*args: str) -> tuple[int, str, str]:
        status, out, err = cli("--db", db_url, *args)
        assert status == 0, err
        return status, out, err

    call("staff", "add", "li")
    for text in (REGISTER, CHANGED):
        (tmp_path / "r.csv").write_text(text + "\n", encoding="utf-8")
        call("tickets", "import", str(tmp_path / "r.csv"), "--as", "li")
        if text == REGISTER:
            call("report", "publish", "--year", "2025", "--as", "li")
    return call


def _cells(run: Any) -> list[dict[str, Any]]:
    cells: list[dict[str, Any]] = json.loads(run("report", "--year", "2025", "--format", "json")[1])["differences"]["cells"]
    assert {"where": MOVED[0], "published": 0, "now": 1} in cells
    return cells


def test_csv_lists_the_differences(run: Any) -> None:
    cells = _cells(run)
    rows = list(csv.reader(io.StringIO(run("report", "--year", "2025", "--format", "csv")[1])))
    start = next(i for i, row in enumerate(rows) if row and row[0].startswith("与已发布报告（"))
    assert rows[start][1:] == ["已发布", "现为"]
    assert [list(map(str, MOVED))] == [row for row in rows[start + 1:] if row and row[0] == MOVED[0]]
    assert len([row for row in rows[start + 1:] if row]) == len(cells)


def test_xlsx_has_a_sheet_of_differences(run: Any, tmp_path: Path) -> None:
    cells = _cells(run)
    run("report", "--year", "2025", "--format", "xlsx", "--output", str(tmp_path / "r.xlsx"))
    sheet = load_workbook(tmp_path / "r.xlsx")["与已发布报告的差异"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert str(rows[0][0]).startswith("与已发布报告（") and rows[1] == ["位置", "已发布", "现为"]
    assert list(MOVED) in rows[2:] and len(rows) == 2 + len(cells)


def test_an_unpublished_year_has_no_sheet_of_differences(run: Any, tmp_path: Path) -> None:
    run("report", "--year", "2024", "--format", "xlsx", "--output", str(tmp_path / "r.xlsx"))
    assert "与已发布报告的差异" not in load_workbook(tmp_path / "r.xlsx").sheetnames
    assert "与已发布报告" not in run("report", "--year", "2024", "--format", "csv")[1]


@needs_font
def test_docx_lists_the_differences(run: Any, tmp_path: Path) -> None:
    cells = _cells(run)
    run("report", "--year", "2025", "--format", "docx", "--output", str(tmp_path / "r.docx"))
    document = Document(str(tmp_path / "r.docx"))
    assert any(p.text.startswith("与已发布报告（") and p.text.endswith("的差异") for p in document.paragraphs)
    table = document.tables[-1]
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == ["位置", "已发布", "现为"] and list(map(str, MOVED)) in rows and len(rows) == 1 + len(cells)


# --- the enquiry figures are frozen too; `/report Y` says how many cells differ -------------------------


@pytest.fixture
def app(db_url: str) -> Iterator[App]:
    clock = FixedClock(datetime(2025, 3, 3, 10, tzinfo=SHANGHAI).astimezone(UTC))
    app = make_app(db_url, clock)
    app.__dict__["clock"] = clock
    yield app
    app.close()


def _ask(app: App) -> None:
    app.engine.handle(Incoming("telegram", "alice", "alice", text=QUESTION))


def _report_text(app: App) -> str:
    replies = app.engine.handle(Incoming("telegram", STAFF, STAFF, text="/report 2025"))
    return replies[0].text


def test_publishing_freezes_the_enquiry_figures(app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chart, "CJK_FONTS", ("No Such Font SC",))  # quick: the .xlsx alone
    _ask(app)
    assert "与已发布报告" not in _report_text(app)  # not published: nothing to compare with
    with app.db.session() as session:
        figures = publish(session, 2025, actor=STAFF, at=datetime(2025, 3, 3, tzinfo=UTC))
    assert figures["enquiries"]["questions_asked"] == 1
    assert "与已发布报告（2025-03-03T00:00:00+00:00）一致。" in _report_text(app)
    _ask(app)
    _ask(app)
    from bot.stats.report import build_report

    with app.db.session() as session:
        cells = build_report(session, 2025)["differences"]["cells"]
    assert cells == [{"where": "一、咨询情况/机器人解答数", "published": 1, "now": 3},
                     {"where": "一、咨询情况/群众提问数", "published": 1, "now": 3}]
    assert "有 2 格数字不同" in _report_text(app)


def test_a_snapshot_without_enquiry_figures_compares_the_tables_only(app: App) -> None:
    """Years published before the enquiry figures were frozen show no spurious differences."""
    from bot.stats.models import PublishedReport
    from bot.stats.report import build_report

    _ask(app)
    with app.db.session() as session:
        publish(session, 2025, actor=STAFF, at=datetime(2025, 3, 3, tzinfo=UTC))
        row = session.get(PublishedReport, 2025)
        assert row is not None
        row.figures = {k: v for k, v in row.figures.items() if k != "enquiries"}
    _ask(app)
    with app.db.session() as session:
        assert build_report(session, 2025)["differences"]["cells"] == []


def test_csv_and_xlsx_carry_the_enquiry_figures(app: App, cli: Any, tmp_path: Path) -> None:
    _ask(app)
    app.engine.handle(Incoming("telegram", "bob", "bob", text="明天会下雨吗？"))
    url = app.settings.database_url
    rows = list(csv.reader(io.StringIO(cli("--db", url, "report", "--year", "2025", "--format", "csv")[1])))
    assert rows[0][0] == "一、咨询情况"
    assert ["群众提问数", "2"] in rows and ["机器人解答数", "1"] in rows and ["满意率", "无法计算"] in rows
    cli("--db", url, "report", "--year", "2025", "--format", "xlsx", "--output", str(tmp_path / "r.xlsx"))
    sheet = load_workbook(tmp_path / "r.xlsx")["一、咨询情况"]
    figures = {row[0]: row[1] for row in sheet.iter_rows(values_only=True)}
    assert figures == {"群众提问数": 2, "机器人解答数": 1, "转人工咨询数": 0, "工作人员答复数": 0,
                       "办结率": "无法计算", "满意率": "无法计算"}


def test_a_rate_that_changed_is_shown_in_percent() -> None:
    from bot.stats.render import to_csv, to_markdown

    results = dict.fromkeys(("结果维持", "结果纠正", "其他结果", "尚未审结", "总计"), 0)
    report = {"year": 2025, "format": "2021", "table3": {"columns": [], "rows": []}, "table2": {},
              "table4": {"行政复议": results, "行政诉讼": {"未经复议直接起诉": results, "复议后起诉": results}},
              "differences": {"published_at": "2025-03-03", "cells": [
                  {"where": "一、咨询情况/办结率", "published": 0.5, "now": 0.75}]}}
    assert "一、咨询情况/办结率：已发布 50.0%，现为 75.0%" in to_markdown(report)
    assert "一、咨询情况/办结率,50.0%,75.0%" in to_csv(report)
