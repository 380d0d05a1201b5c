"""The tables of the .docx draft and the .xlsx workbook, cell by cell, against the template as transcribed.

Staff paste these tables into the published report, so every cell (text and merged area) must be where the
template (tests/data/law/template-2021.md, template-2019.md) prints it, for both formats.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from bot.tickets.models import Ticket
from tests.fonts import needs_font
from tests.template_md import Template, filled, template

REGISTER = "\n".join([
    "登记编号,收到日期,申请人类型,申请内容,办结日期,办理结果",
    "R1,2024-12-10,自然人,财政预算,2025-01-08,予以公开",
    "R2,2025-03-01,商业企业,规划,2025-03-09,不予公开：保护第三方合法权益",
    "R3,2025-03-02,法律服务机构,执法案卷,2025-04-09,部分公开",
    "R4,2025-05-02,社会公益组织,补偿标准,2025-05-30,其他处理：申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "R5,2025-12-02,科研机构,监测数据,,",
    "R6,2019-03-01,科研机构,数据,2019-03-09,其他处理：其他",
    "R7,2019-04-01,其他,名单,2019-04-20,无法提供：没有现成信息需要另行制作",
])
FIGURES = {
    2025: [("regulations", "issued", "3"), ("regulations", "in_force", "40"), ("licensing", "decisions", "1200"),
           ("coercion", "decisions", "7"), ("fees", "amount", "12.5")],
    2019: [("normative_documents", "published", "6"), ("licensing", "change", "-2"), ("fees", "previous", "4"),
           ("procurement", "projects", "9"), ("procurement", "amount", "30.5")],
}
CASES = [pytest.param(2025, "2021", id="2021-format"), pytest.param(2019, "2019", id="2019-format")]




@pytest.fixture
def run(cli: Any, sqlite_url: str, tmp_path: Path) -> Any:
    def call(*args: str) -> tuple[int, str, str]:
        status, out, err = cli("--db", sqlite_url, *args)
        assert status == 0, err
        return status, out, err

    call("staff", "add", "li")
    (tmp_path / "r.csv").write_text(REGISTER + "\n", encoding="utf-8")
    call("tickets", "import", str(tmp_path / "r.csv"), "--as", "li")
    for year, cells in FIGURES.items():
        for item, field, value in cells:
            call("report", "set", "--year", str(year), item, field, value, "--as", "li")
    engine = create_engine(sqlite_url)
    with Session(engine) as session:
        number = session.scalars(select(Ticket.number).where(Ticket.subject == "规划")).one()
    engine.dispose()
    call("tickets", "remedy", number, "--kind", "review", "--filed", "2025-04-01", "--as", "li")
    call("tickets", "remedy", number, "--kind", "lawsuit_after_review", "--filed", "2025-05-01",
         "--decided", "2025-06-01", "--result", "corrected", "--as", "li")
    return call


# --- the expected grid: (text, merge key) per cell; adjacent cells share a merged cell iff their keys are equal


Grid = list[list[tuple[str, Any]]]


def _shown(value: Any) -> str:
    if value is None:
        return ""
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def expected_table2(md: Template, report: dict[str, Any]) -> Grid:
    grid: Grid = []
    header = list(md.table2[0])
    for r, row in enumerate(md.table2):
        if row[0].startswith("第二十条"):  # the section heading spans the whole row
            grid.append([(row[0], ("heading", r))] * 4)
            continue
        if row[0] == "信息内容":
            header = filled(row)
            grid.append([(text, ("label", r, text)) for text in header])
            continue
        # A value spans the columns its heading spans in the 信息内容 row above.
        grid.append([(row[0], ("label", r, row[0]))] + [
            (_shown(report["table2"][row[0]][header[c]]), ("value", r, header[c])) for c in range(1, 4)])
    return grid


def expected_table3(md: Template, report: dict[str, Any]) -> Grid:
    corner = [(md.corner_note, "corner")] * 3
    columns = [c.split("：") for c in md.table3_columns]
    grid: Grid = [
        corner + [("申请人情况", ("head", "申请人情况"))] * len(columns),
        corner + [(c[0], ("head", c[0])) for c in columns],
        corner + [(c[-1], ("head", c[-1])) for c in columns],
    ]
    values = {row["label"]: row["values"] for row in report["table3"]["rows"]}
    for r, levels in enumerate(md.table3_rows, start=3):
        label = next(level for level in reversed(levels) if level)
        grid.append([(text, ("label", text)) for text in filled(levels)]
                    + [(_shown(values[label][c[-1]]), ("value", r, i)) for i, c in enumerate(columns)])
    return grid


def expected_table4(md: Template, report: dict[str, Any]) -> Grid:
    paths = md.table4_columns
    grid: Grid = [[(path[level if level < len(path) else -1], ("head", path[level if level < len(path) else -1]))
                   for path in paths] for level in range(3)]
    t4 = report["table4"]
    grid.append([(_shown(t4[p[0]][p[-1]] if len(p) == 2 else t4[p[0]][p[1]][p[-1]]), ("value", i))
                 for i, p in enumerate(paths)])
    return grid


def assert_grid(texts: list[list[str]], areas: list[list[Any]], expected: Grid) -> None:
    """Every cell's text as expected; two neighbours are one merged cell exactly where the template merges them."""
    assert [len(row) for row in texts] == [len(row) for row in expected]
    for r, row in enumerate(expected):
        for c, (text, key) in enumerate(row):
            assert texts[r][c] == text, f"cell ({r}, {c})"
            for r2, c2 in ((r, c + 1), (r + 1, c)):
                if r2 < len(expected) and c2 < len(expected[r2]):
                    merged = areas[r][c] is areas[r2][c2]
                    assert merged == (key == expected[r2][c2][1]), f"cells ({r}, {c}) and ({r2}, {c2})"


def _docx_grid(table: Any) -> tuple[list[list[str]], list[list[Any]]]:
    rows = [row.cells for row in table.rows]
    return [[cell.text for cell in row] for row in rows], [[cell._tc for cell in row] for row in rows]


def _xlsx_grid(sheet: Any) -> tuple[list[list[str]], list[list[Any]]]:
    owner: dict[tuple[int, int], Any] = {}
    for area in sheet.merged_cells.ranges:
        for r in range(area.min_row, area.max_row + 1):
            for c in range(area.min_col, area.max_col + 1):
                owner[(r, c)] = area
    texts, areas = [], []
    for r in range(1, sheet.max_row + 1):
        cells = [(r, c) for c in range(1, sheet.max_column + 1)]
        areas.append([owner.get(rc, rc) for rc in cells])
        texts.append([_shown(sheet.cell(*(a.min_row, a.min_col) if (a := owner.get(rc)) else rc).value)
                      for rc in cells])
    return texts, areas


def _report(run: Any, year: int) -> dict[str, Any]:
    return json.loads(run("report", "--year", str(year), "--format", "json")[1])


@needs_font
@pytest.mark.parametrize(("year", "report_format"), CASES)
def test_docx_tables_are_the_template_cell_by_cell(run: Any, tmp_path: Path, year: int, report_format: str) -> None:
    out = tmp_path / "r.docx"
    run("report", "--year", str(year), "--format", "docx", "--output", str(out))
    md, report = template(report_format), _report(run, year)
    tables = Document(str(out)).tables
    assert len(tables) == 3  # unpublished: no table of differences
    for table, expected in zip(tables, (expected_table2(md, report), expected_table3(md, report),
                                        expected_table4(md, report)), strict=True):
        assert_grid(*_docx_grid(table), expected)


@pytest.mark.parametrize(("year", "report_format"), CASES)
def test_xlsx_tables_are_the_template_cell_by_cell(run: Any, tmp_path: Path, year: int, report_format: str) -> None:
    out = tmp_path / "r.xlsx"
    run("report", "--year", str(year), "--format", "xlsx", "--output", str(out))
    md, report = template(report_format), _report(run, year)
    book = load_workbook(out)
    for name, expected in (("二、主动公开", expected_table2(md, report)), ("三、依申请公开", expected_table3(md, report)),
                           ("四、复议诉讼", expected_table4(md, report))):
        assert_grid(*_xlsx_grid(book[name]), expected)


def test_the_figures_in_the_grids_are_the_ones_entered(run: Any) -> None:
    """The expected grids above do carry figures (a comparison of empty cells could not fail)."""
    md, report = template("2021"), _report(run, 2025)
    t2 = expected_table2(md, report)
    assert [t for t, _k in t2[6]] == ["行政许可", "1200", "1200", "1200"]
    assert [t for t, _k in t2[13]] == ["行政事业性收费", "12.5", "12.5", "12.5"]
    t3 = {row[2][0]: [t for t, _k in row[3:]] for row in expected_table3(md, report)[3:]}
    assert t3["4.保护第三方合法权益"] == ["0", "1", "0", "0", "0", "0", "1"]
    assert t3["2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"] == ["0", "0", "0", "1", "0", "0", "1"]
    assert [t for t, _k in expected_table4(md, report)[3]] == [
        "0", "0", "0", "1", "1", "0", "0", "0", "0", "0", "0", "1", "0", "0", "1"]
    old = expected_table2(template("2019"), _report(run, 2019))
    assert [t for t, _k in old[6]] == ["行政许可", "", "-2", ""]
    assert [t for t, _k in old[17]] == ["政府集中采购", "9", "30.5", "30.5"]
