"""The report as an .xlsx workbook laid out like the template: merged headers, the corner note."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.worksheet.worksheet import Worksheet

from bot import texts
from bot.stats.layout import (
    AFTER_REVIEW,
    APPLICANT_HEADER_GROUP,
    DIRECT,
    LAWSUIT,
    RESULT_COLUMNS,
    RESULTS,
    REVIEW,
    TOTAL,
    TYPE_COLUMNS,
)
from bot.stats.proactive import SECTION_OF_ITEM, layout

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)


def _put(sheet: Worksheet, row: int, col: int, value: Any, *, to: tuple[int, int] | None = None,
         left: bool = False) -> None:
    """Write a cell (merged up to ``to`` = (row, col) when given), framed like the printed table."""
    end_row, end_col = to or (row, col)
    for r in range(row, end_row + 1):
        for c in range(col, end_col + 1):
            sheet.cell(r, c).border = BOX
    cell = sheet.cell(row, col, value)
    cell.alignment = LEFT if left else CENTER
    if to is not None and to != (row, col):
        sheet.merge_cells(start_row=row, start_column=col, end_row=end_row, end_column=end_col)


def _table3(sheet: Worksheet, report: dict[str, Any]) -> None:
    _put(sheet, 1, 1, texts.CORNER_NOTE_TEXT, to=(3, 3))
    _put(sheet, 1, 4, texts.APPLICANT_HEADER, to=(1, 10))
    _put(sheet, 2, 4, TYPE_COLUMNS[0], to=(3, 4))
    _put(sheet, 2, 5, APPLICANT_HEADER_GROUP, to=(2, 9))
    for offset, name in enumerate(TYPE_COLUMNS[1:]):
        _put(sheet, 3, 5 + offset, name)
    _put(sheet, 2, 10, TOTAL, to=(3, 10))
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
            _put(sheet, line, 1, f"第二十条第{section}项", to=(line, 4))
            sheet.cell(line, 1).font = Font(bold=True)
            _put(sheet, line + 1, 1, "信息内容")
            _fields(sheet, line + 1, [c for _f, c in columns])
            line += 2
        _put(sheet, line, 1, label)
        _fields(sheet, line, [report["table2"][label][c] for _f, c in columns])
        line += 1
    sheet.column_dimensions["A"].width = 22


def _fields(sheet: Worksheet, line: int, values: list[Any]) -> None:
    if len(values) == 1:
        _put(sheet, line, 2, values[0], to=(line, 4))
        return
    for offset, value in enumerate(values):
        _put(sheet, line, 2 + offset, value)


def to_xlsx(report: dict[str, Any]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "二、主动公开"
    _table2(sheet, report)
    _table3(workbook.create_sheet("三、依申请公开"), report)
    _table4(workbook.create_sheet("四、复议诉讼"), report)
    checks = workbook.create_sheet(texts.CHECKS_TITLE)
    for check in report["checks"]:
        checks.append([texts.STATUS_LABELS_CHECK[check["status"]], check["name"], check["detail"]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
