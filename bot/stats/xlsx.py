"""The report as an .xlsx workbook laid out like the template: merged headers, the corner note.

Sheets: 一 (the enquiry figures), 二, 三, 四 as the template prints them, the checks, and the cells that
changed since publishing (once the year is published). Text never becomes a formula (``bot.stats.cells``).
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.worksheet import Worksheet

from bot import texts
from bot.stats.cells import xlsx_value
from bot.stats.layout import AFTER_REVIEW, DIRECT, LAWSUIT, RESULT_COLUMNS, RESULTS, REVIEW
from bot.stats.proactive import SECTION_OF_ITEM, layout
from bot.stats.render import RATE_PLACES, RATES, check_rows, difference_title
from knowledge import template_labels as labels

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
SHEET_ENQUIRIES, SHEET_T2, SHEET_T3, SHEET_T4 = "一、咨询情况", "二、主动公开", "三、依申请公开", "四、复议诉讼"
SHEET_DIFFERENCES = "与已发布报告的差异"


def _put(sheet: Worksheet, row: int, col: int, value: Any, *, to: tuple[int, int] | None = None,
         left: bool = False) -> None:
    """Write a cell (merged up to ``to`` = (row, col) when given), framed like the printed table."""
    end_row, end_col = to or (row, col)
    for r in range(row, end_row + 1):
        for c in range(col, end_col + 1):
            sheet.cell(r, c).border = BOX
    cell = sheet.cell(row, col, xlsx_value(value))
    cell.alignment = LEFT if left else CENTER
    if to is not None and to != (row, col):
        sheet.merge_cells(start_row=row, start_column=col, end_row=end_row, end_column=end_col)


def _append(sheet: Worksheet, values: list[Any]) -> None:
    sheet.append([xlsx_value(v) for v in values])


def _table3(sheet: Worksheet, report: dict[str, Any]) -> None:
    _put(sheet, 1, 1, labels.CORNER_NOTE, to=(3, 3))
    _put(sheet, 1, 4, labels.APPLICANTS, to=(1, 10))
    _put(sheet, 2, 4, labels.NATURAL_PERSON, to=(3, 4))
    _put(sheet, 2, 5, labels.ORGANISATIONS, to=(2, 9))
    for offset, name in enumerate(labels.ORGANISATION_TYPES):
        _put(sheet, 3, 5 + offset, name)
    _put(sheet, 2, 10, labels.TOTAL, to=(3, 10))
    # The template prints items beside their （n） cell, without a subtotal row of their own.
    rows = report["table3"]["rows"]
    has_items = {r["group"] for r in rows}
    printed = [r for r in rows if r["label"] not in has_items or r["label"] == RESULTS]
    line = 4
    results_start = None
    for row in printed:
        if row["label"] == RESULTS:
            results_start = line
            continue
        if row["group"] is None:
            _put(sheet, line, 1, row["label"], to=(line, 3), left=True)
        elif row["group"] == RESULTS:
            _put(sheet, line, 2, row["label"], to=(line, 3), left=True)
        else:
            _put(sheet, line, 3, row["label"], left=True)
        for offset, column in enumerate(report["table3"]["columns"]):
            _put(sheet, line, 4 + offset, row["values"].get(column))
        line += 1
        if results_start is not None and row["group"] is None:  # 四 ends the results block
            _put(sheet, results_start, 1, RESULTS, to=(line - 2, 1))
            results_start = None
    _merge_groups(sheet, rows, printed)
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 16
    sheet.column_dimensions["C"].width = 40


def _merge_groups(sheet: Worksheet, rows: list[dict[str, Any]], printed: list[dict[str, Any]]) -> None:
    """Write each （n） label in column B, merged down beside its items."""
    data = [r for r in printed if r["label"] != RESULTS]
    for group in {r["group"] for r in rows if r["group"] not in (None, RESULTS)}:
        lines = [4 + i for i, r in enumerate(data) if r["group"] == group]
        _put(sheet, lines[0], 2, group, to=(lines[-1], 2), left=True)


def _table4(sheet: Worksheet, report: dict[str, Any]) -> None:
    t4 = report["table4"]
    _put(sheet, 1, 1, REVIEW, to=(1, 5))
    _put(sheet, 1, 6, LAWSUIT, to=(1, 15))
    for offset, name in enumerate(RESULT_COLUMNS):
        _put(sheet, 2, 1 + offset, name, to=(3, 1 + offset))
        _put(sheet, 4, 1 + offset, t4[REVIEW][name])
    for start, group in ((6, DIRECT), (11, AFTER_REVIEW)):
        _put(sheet, 2, start, group, to=(2, start + 4))
        for offset, name in enumerate(RESULT_COLUMNS):
            _put(sheet, 3, start + offset, name)
            _put(sheet, 4, start + offset, t4[LAWSUIT][group][name])


def _table2(sheet: Worksheet, report: dict[str, Any]) -> None:
    line, section = 1, None
    for item, label, columns in layout(report["format"]):
        if SECTION_OF_ITEM[item] != section:
            section = SECTION_OF_ITEM[item]
            _put(sheet, line, 1, labels.article_20(section), to=(line, 4))
            sheet.cell(line, 1).font = Font(bold=True)
            _put(sheet, line + 1, 1, labels.T2_CONTENT)
            _fields(sheet, line + 1, [c for _f, c in columns])
            line += 2
        _put(sheet, line, 1, label)
        _fields(sheet, line, [report["table2"][label][c] for _f, c in columns])
        line += 1
    sheet.column_dimensions["A"].width = 22


def _fields(sheet: Worksheet, line: int, values: list[Any]) -> None:
    """The values of a row of table 二 in columns B…D; the last one spans what is left, as printed."""
    for offset, value in enumerate(values):
        last = offset == len(values) - 1
        _put(sheet, line, 2 + offset, value, to=(line, 1 + labels.T2_WIDTH) if last else None)


def _enquiries(sheet: Worksheet, report: dict[str, Any]) -> None:
    e = report["enquiries"]
    for line, (key, label) in enumerate(texts.ENQUIRY_LABELS.items(), start=1):
        value = e.get(key)
        _put(sheet, line, 1, label, left=True)
        _put(sheet, line, 2, texts.NOT_COMPUTABLE if value is None else value)
        if key in RATES and value is not None:
            sheet.cell(line, 2).number_format = "0.0%"
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 12


def _differences(sheet: Worksheet, report: dict[str, Any], title: str) -> None:
    """Each changed cell with its published and current figure (numbers, so they can be compared)."""
    _append(sheet, [title])
    _append(sheet, [texts.DIFFERENCE_PLACE, texts.DIFFERENCE_PUBLISHED, texts.DIFFERENCE_NOW])
    cells = report["differences"]["cells"]
    for change in cells:
        _append(sheet, [change["where"], change["published"], change["now"]])
        if change["where"] in RATE_PLACES:
            for cell in sheet[sheet.max_row][1:]:
                cell.number_format = "0.0%"
    if not cells:
        _append(sheet, [texts.NO_DIFFERENCES])
    sheet.column_dimensions["A"].width = 60


def to_xlsx(report: dict[str, Any]) -> bytes:
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    first.title = SHEET_ENQUIRIES
    _enquiries(first, report)
    _table2(workbook.create_sheet(SHEET_T2), report)
    _table3(workbook.create_sheet(SHEET_T3), report)
    _table4(workbook.create_sheet(SHEET_T4), report)
    checks = workbook.create_sheet(texts.CHECKS_TITLE)
    for row in check_rows(report):
        _append(checks, row)
    title = difference_title(report)
    if title is not None:
        _differences(workbook.create_sheet(SHEET_DIFFERENCES), report, title)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
