"""The .xlsx tables laid out like the template, and the .docx draft with its chart."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from openpyxl import load_workbook

from bot.stats import chart
from tests.fonts import needs_font

REGISTER = "\n".join([
    "登记编号,收到日期,申请人类型,申请内容,办结日期,办理结果",
    "R1,2024-12-10,自然人,财政预算,2025-01-08,予以公开",
    "R2,2025-03-01,商业企业,规划,2025-03-09,不予公开：保护第三方合法权益",
    "R3,2019-03-01,科研机构,数据,2019-03-09,其他处理：其他",
])



@pytest.fixture
def run(cli: Any, sqlite_url: str, tmp_path: Path) -> Any:
    def call(*args: str) -> tuple[int, str, str]:
        return cli("--db", sqlite_url, *args)

    call("staff", "add", "li")
    (tmp_path / "r.csv").write_text(REGISTER + "\n", encoding="utf-8")
    assert call("tickets", "import", str(tmp_path / "r.csv"), "--as", "li")[0] == 0
    return call


def test_xlsx_is_laid_out_like_the_template(run: Any, tmp_path: Path) -> None:
    out = tmp_path / "r.xlsx"
    assert run("report", "--year", "2025", "--format", "xlsx", "--output", str(out))[0] == 0
    book = load_workbook(out)
    t3 = book["三、依申请公开"]
    merged = {str(r) for r in t3.merged_cells.ranges}
    assert t3["A1"].value == "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    assert {"A1:C3", "D1:J1", "D2:D3", "E2:I2", "J2:J3"} <= merged
    assert "A6:A27" in merged and t3["A6"].value == "三、本年度办理结果"  # 22 rows, as in the 2021 format
    assert "B8:B15" in merged and t3["B8"].value == "（三）不予公开"
    assert t3["C11"].value == "4.保护第三方合法权益" and t3["E11"].value == 1 and t3["J11"].value == 1
    assert t3["A28"].value == "四、结转下年度继续办理"
    t4 = book["四、复议诉讼"]
    assert {"A1:E1", "F1:O1", "F2:J2", "K2:O2"} <= {str(r) for r in t4.merged_cells.ranges}
    t2 = book["二、主动公开"]
    assert t2["A1"].value == "第二十条第（一）项" and t2["B2"].value == "本年制发件数"


def test_xlsx_2019_format_has_twenty_result_rows(run: Any, tmp_path: Path) -> None:
    out = tmp_path / "r.xlsx"
    run("report", "--year", "2019", "--format", "xlsx", "--output", str(out))
    t3 = load_workbook(out)["三、依申请公开"]
    assert "A6:A25" in {str(r) for r in t3.merged_cells.ranges}
    assert t3["B24"].value == "（六）其他处理" and t3["F24"].value == 1


@needs_font
def test_docx_draft_has_six_parts_tables_and_a_chart(run: Any, tmp_path: Path) -> None:
    out = tmp_path / "r.docx"
    assert run("report", "--year", "2025", "--format", "docx", "--output", str(out))[0] == 0
    document = Document(str(out))
    headings = [p.text for p in document.paragraphs if p.style is not None and p.style.name == "Heading 1"]
    assert headings == ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                        "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    assert sum(p.text == "【待撰写】" for p in document.paragraphs) == 3
    t3 = document.tables[1]  # laid out as the template: tests/test_report_template.py checks every cell
    row = next(r for r in t3.rows if r.cells[2].text == "4.保护第三方合法权益")
    assert [c.text for c in row.cells[:2]] == ["三、本年度办理结果", "（三）不予公开"]
    assert [c.text for c in row.cells[3:]] == ["0", "1", "0", "0", "0", "0", "1"]
    images = [n for n in zipfile.ZipFile(out).namelist() if n.startswith("word/media/")]
    assert len(images) == 1


def test_no_cjk_font_fails_with_a_clear_message(run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chart, "CJK_FONTS", ("No Such Font SC",))
    status, _out, err = run("report", "--year", "2025", "--format", "docx", "--output", str(tmp_path / "r.docx"))
    assert status == 1
    assert "没有可显示中文的字体" in err and "fonts-wqy-microhei" in err
    assert not (tmp_path / "r.docx").exists()


def test_a_font_without_chinese_glyphs_is_refused_not_drawn_as_boxes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chart, "_font", lambda: "DejaVu Sans")
    with pytest.raises(chart.ChartFontMissing):
        chart.render_chart(2025, [1] * 12, {"（一）予以公开": [1] * 12})


@needs_font
def test_report_files_for_the_staff_chat(sqlite_url: str) -> None:
    from bot.db import Database
    from bot.settings import Settings
    from bot.stats.files import report_files

    db = Database(sqlite_url)
    with db.session() as session:
        files = report_files(session, Settings.from_env({}, db=sqlite_url), 2025)
    db.dispose()
    assert [name for name, _ in files] == ["政府信息公开工作年度报告-2025.xlsx", "政府信息公开工作年度报告-2025.docx"]
    assert load_workbook(io.BytesIO(files[0][1]))["三、依申请公开"]["A4"].value == "一、本年新收政府信息公开申请数量"


@needs_font
def test_a_font_installed_after_the_first_run_is_found(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """matplotlib caches its font list on first use; a CJK font installed later is found, and the list saved."""
    from matplotlib import font_manager

    manager = font_manager.fontManager
    files = {f.fname for f in manager.ttflist if f.name in chart.CJK_FONTS}
    stale = [f for f in manager.ttflist if f.fname not in files]  # the list from before the install
    monkeypatch.setattr(manager, "ttflist", stale)
    cache = tmp_path / "fontlist.json"
    monkeypatch.setattr(chart, "_font_cache", lambda: cache)
    assert chart._font() in chart.CJK_FONTS
    saved = font_manager.json_load(cache)
    assert {f.name for f in saved.ttflist} & set(chart.CJK_FONTS)
