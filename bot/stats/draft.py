"""The .docx report draft: the six parts in the template's order, tables filled, prose left to staff."""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.shared import Cm

from bot import texts
from bot.stats.layout import AFTER_REVIEW, DIRECT, LAWSUIT, RESULT_COLUMNS, REVIEW


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _shown(value: int | None) -> str:
    return "—" if value is None else str(value)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def _grid(document: Any, header: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1 + len(rows), cols=len(header))
    table.style = "Table Grid"
    for col, text in enumerate(header):
        table.cell(0, col).text = text
    for r, row in enumerate(rows, start=1):
        for col, text in enumerate(row):
            table.cell(r, col).text = text


def _placeholder(document: Any, heading: str) -> None:
    document.add_heading(heading, level=1)
    document.add_paragraph(texts.DRAFT_TO_WRITE)


def to_docx(report: dict[str, Any], *, agency: str, chart_png: bytes) -> bytes:
    sections = texts.DRAFT_SECTIONS_2021 if report["format"] == "2021" else texts.DRAFT_SECTIONS_2019
    document = Document()
    document.add_heading(texts.DRAFT_TITLE.format(agency=agency, year=report["year"]), level=0)
    document.add_paragraph(texts.DRAFT_INTRO)
    document.add_heading(sections[0], level=1)
    document.add_paragraph(texts.DRAFT_TO_WRITE)
    e = report["enquiries"]
    document.add_paragraph(texts.DRAFT_ENQUIRIES.format(
        asked=_shown(e["questions_asked"]), by_bot=_shown(e["answered_by_bot"]), escalated=e["escalated"],
        answered=e["answered_by_staff"], rate=_percent(e["closed_rate"]), satisfaction=_percent(e["satisfaction_rate"])))
    document.add_heading(sections[1], level=1)
    _grid(document, ["信息内容", "", ""], [[item, column, _cell(value)] for item, cells in report["table2"].items()
                                          for column, value in cells.items()])
    document.add_heading(sections[2], level=1)
    document.add_paragraph(texts.CORNER_NOTE_TEXT)
    columns = report["table3"]["columns"]
    _grid(document, [texts.ROW_HEADER, *columns],
          [[row["label"], *(_cell(row["values"].get(c)) for c in columns)] for row in report["table3"]["rows"]])
    document.add_picture(io.BytesIO(chart_png), width=Cm(16))
    document.add_paragraph(texts.DRAFT_CHART_CAPTION.format(year=report["year"]))
    document.add_heading(sections[3], level=1)
    t4 = report["table4"]
    groups = ((REVIEW, t4[REVIEW]), (f"{LAWSUIT}·{DIRECT}", t4[LAWSUIT][DIRECT]),
              (f"{LAWSUIT}·{AFTER_REVIEW}", t4[LAWSUIT][AFTER_REVIEW]))
    _grid(document, ["", *RESULT_COLUMNS], [[name, *(_cell(v[c]) for c in RESULT_COLUMNS)] for name, v in groups])
    _placeholder(document, sections[4])
    _placeholder(document, sections[5])
    statuses = [c["status"] for c in report["checks"]]
    document.add_paragraph(texts.DRAFT_CHECKS.format(passed=statuses.count("pass"), failed=statuses.count("fail"),
                                                     uncertain=statuses.count("uncertain")))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
