"""The .docx report draft: the six parts in the template's order, tables as printed, prose left to staff.

Tables 二, 三 and 四 have the template's grid (merged headings, the corner note in its cell, no subtotal
rows), so staff can paste them into the published report.
"""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.shared import Cm, Pt

from bot import texts
from bot.stats.cells import xml_safe
from bot.stats.layout import AFTER_REVIEW, DIRECT, LAWSUIT, RESULT_COLUMNS, RESULTS, REVIEW
from bot.stats.proactive import SECTION_OF_ITEM, layout
from bot.stats.render import difference_rows, difference_title
from knowledge import template_labels as labels

Span = tuple[int, int]  # (last row, last column) of a merged cell


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _shown(value: int | None) -> str:
    return "—" if value is None else str(value)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


class _Grid:
    """A Word table of a fixed size, written cell by cell; a cell may span a rectangle."""

    def __init__(self, document: Any, rows: int, cols: int) -> None:
        self.table = document.add_table(rows=rows, cols=cols)
        self.table.style = "Table Grid"
        self.table.alignment = WD_TABLE_ALIGNMENT.CENTER

    def put(self, row: int, col: int, value: Any, *, to: Span | None = None, bold: bool = False) -> None:
        cell = self.table.cell(row, col)
        if to is not None and to != (row, col):
            cell = cell.merge(self.table.cell(*to))
        run = cell.paragraphs[0].add_run(xml_safe(_cell(value)))
        run.font.size = Pt(9)
        run.bold = bold


def _table2(document: Any, report: dict[str, Any]) -> None:
    rows = layout(report["format"])
    sections = len({SECTION_OF_ITEM[item] for item, _label, _columns in rows})
    grid = _Grid(document, len(rows) + 2 * sections, 1 + labels.T2_WIDTH)
    last = labels.T2_WIDTH

    def values(line: int, cells: list[Any]) -> None:
        for offset, value in enumerate(cells):
            grid.put(line, 1 + offset, value, to=(line, last) if offset == len(cells) - 1 else None)

    line, section = 0, None
    for item, label, columns in rows:
        if SECTION_OF_ITEM[item] != section:
            section = SECTION_OF_ITEM[item]
            grid.put(line, 0, labels.article_20(section), to=(line, last), bold=True)
            grid.put(line + 1, 0, labels.T2_CONTENT)
            values(line + 1, [column for _field, column in columns])
            line += 2
        grid.put(line, 0, label)
        values(line, [report["table2"][label][column] for _field, column in columns])
        line += 1


def _table3(document: Any, report: dict[str, Any]) -> None:
    """Three header rows under the corner note; each （n） beside its items, without a subtotal row."""
    rows = report["table3"]["rows"]
    has_items = {r["group"] for r in rows}
    printed = [r for r in rows if r["label"] not in has_items]
    columns = report["table3"]["columns"]
    grid = _Grid(document, 3 + len(printed), 3 + len(columns))
    grid.put(0, 0, labels.CORNER_NOTE, to=(2, 2))
    grid.put(0, 3, labels.APPLICANTS, to=(0, 2 + len(columns)))
    grid.put(1, 3, labels.NATURAL_PERSON, to=(2, 3))
    grid.put(1, 4, labels.ORGANISATIONS, to=(1, 3 + len(labels.ORGANISATION_TYPES)))
    for offset, name in enumerate(labels.ORGANISATION_TYPES):
        grid.put(2, 4 + offset, name)
    grid.put(1, 2 + len(columns), labels.TOTAL, to=(2, 2 + len(columns)))
    lines: dict[str | None, list[int]] = {}
    for line, row in enumerate(printed, start=3):
        lines.setdefault(row["group"], []).append(line)
        if row["group"] is None:
            grid.put(line, 0, row["label"], to=(line, 2))
        elif row["group"] == RESULTS:
            grid.put(line, 1, row["label"], to=(line, 2))
        else:
            grid.put(line, 2, row["label"])
        for offset, column in enumerate(columns):
            grid.put(line, 3 + offset, row["values"].get(column))
    for group, at in lines.items():
        if group not in (None, RESULTS):  # a （n） with items: its label merged down beside them
            grid.put(at[0], 1, group, to=(at[-1], 1))
    results = [line for group, at in lines.items() if group is not None for line in at]
    grid.put(min(results), 0, RESULTS, to=(max(results), 0))


def _table4(document: Any, report: dict[str, Any]) -> None:
    """One row of fifteen figures under 行政复议 and 行政诉讼 (未经复议直接起诉 / 复议后起诉)."""
    t4 = report["table4"]
    n = len(RESULT_COLUMNS)
    grid = _Grid(document, 4, 3 * n)
    grid.put(0, 0, REVIEW, to=(0, n - 1))
    grid.put(0, n, LAWSUIT, to=(0, 3 * n - 1))
    for offset, name in enumerate(RESULT_COLUMNS):
        grid.put(1, offset, name, to=(2, offset))
        grid.put(3, offset, t4[REVIEW][name])
    for start, group in ((n, DIRECT), (2 * n, AFTER_REVIEW)):
        grid.put(1, start, group, to=(1, start + n - 1))
        for offset, name in enumerate(RESULT_COLUMNS):
            grid.put(2, start + offset, name)
            grid.put(3, start + offset, t4[LAWSUIT][group][name])


def _differences(document: Any, report: dict[str, Any]) -> None:
    title = difference_title(report)
    if title is None:
        return
    document.add_heading(title, level=2)
    changed = difference_rows(report)
    if not changed:
        document.add_paragraph(texts.NO_DIFFERENCES)
        return
    grid = _Grid(document, 1 + len(changed), 3)
    for col, name in enumerate((texts.DIFFERENCE_PLACE, texts.DIFFERENCE_PUBLISHED, texts.DIFFERENCE_NOW)):
        grid.put(0, col, name, bold=True)
    for line, row in enumerate(changed, start=1):
        for col, value in enumerate(row):
            grid.put(line, col, value)


def to_docx(report: dict[str, Any], *, agency: str, chart_png: bytes) -> bytes:
    sections = labels.parts(report["format"])
    document = Document()
    document.add_heading(xml_safe(texts.DRAFT_TITLE.format(agency=agency, year=report["year"])), level=0)
    document.add_paragraph(texts.DRAFT_INTRO)
    document.add_heading(sections[0], level=1)
    document.add_paragraph(texts.DRAFT_TO_WRITE)
    e = report["enquiries"]
    document.add_paragraph(texts.DRAFT_ENQUIRIES.format(
        asked=_shown(e["questions_asked"]), by_bot=_shown(e["answered_by_bot"]), escalated=e["escalated"],
        answered=e["answered_by_staff"], rate=_percent(e["closed_rate"]), satisfaction=_percent(e["satisfaction_rate"])))
    document.add_heading(sections[1], level=1)
    _table2(document, report)
    document.add_heading(sections[2], level=1)
    _table3(document, report)
    document.add_picture(io.BytesIO(chart_png), width=Cm(16))
    document.add_paragraph(texts.DRAFT_CHART_CAPTION.format(year=report["year"]))
    document.add_heading(sections[3], level=1)
    _table4(document, report)
    for heading in sections[4:]:
        document.add_heading(heading, level=1)
        document.add_paragraph(texts.DRAFT_TO_WRITE)
    statuses = [c["status"] for c in report["checks"]]
    document.add_paragraph(texts.DRAFT_CHECKS.format(passed=statuses.count("pass"), failed=statuses.count("fail"),
                                                     uncertain=statuses.count("uncertain")))
    _differences(document, report)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()

