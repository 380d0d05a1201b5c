"""The report as Markdown or CSV (for reading and for spreadsheets), and the rows every format shares."""

from __future__ import annotations

import csv
import io
from typing import Any

from bot import texts
from bot.stats.cells import sheet_value
from bot.stats.layout import AFTER_REVIEW, DIRECT, LAWSUIT, RESULT_COLUMNS, REVIEW
from knowledge import template_labels as labels

RATES = ("closed_rate", "satisfaction_rate")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _table4_rows(report: dict[str, Any]) -> list[list[str]]:
    t4 = report["table4"]
    groups = ((REVIEW, t4[REVIEW]), (f"{LAWSUIT}·{DIRECT}", t4[LAWSUIT][DIRECT]),
              (f"{LAWSUIT}·{AFTER_REVIEW}", t4[LAWSUIT][AFTER_REVIEW]))
    return [[name, *(_cell(values[c]) for c in RESULT_COLUMNS)] for name, values in groups]


def _table2_rows(report: dict[str, Any]) -> list[list[str]]:
    return [[item, column, _cell(value)] for item, cells in report["table2"].items() for column, value in cells.items()]


def check_rows(report: dict[str, Any]) -> list[list[str]]:
    """(status, check, detail) of every check, as printed."""
    return [[texts.STATUS_LABELS_CHECK[c["status"]], c["name"], c["detail"]] for c in report.get("checks", [])]


def enquiry_shown(key: str, value: Any) -> str:
    """A section 一 figure as printed: a count, a rate in percent, 无法计算 for null."""
    if value is None:
        return texts.NOT_COMPUTABLE
    return f"{value:.1%}" if key in RATES else str(value)


def enquiry_rows(enquiries: dict[str, Any]) -> list[list[str]]:
    """Section 一: counts as they are, rates as percentages; a null figure says it cannot be computed."""
    return [[label, enquiry_shown(key, enquiries.get(key))] for key, label in texts.ENQUIRY_LABELS.items()]


def enquiry_place(key: str) -> str:
    """Where a section 一 figure is in the list of differences: "一、咨询情况/办结率"."""
    return f"{texts.ENQUIRIES_TITLE}/{texts.ENQUIRY_LABELS[key]}"


RATE_PLACES = {enquiry_place(key) for key in RATES}


def _difference_value(where: str, value: Any) -> str:
    if where in RATE_PLACES and value is not None:
        return f"{value:.1%}"
    return _cell(value)


def difference_title(report: dict[str, Any]) -> str | None:
    """"与已发布报告（…）的差异", or None while the year is unpublished."""
    diff = report.get("differences")
    return None if diff is None else texts.DIFFERENCES_TITLE.format(at=diff["published_at"])


def difference_rows(report: dict[str, Any]) -> list[list[str]]:
    """(place, published, now) of every cell that changed since publishing, as printed."""
    diff = report.get("differences") or {"cells": []}
    return [[c["where"], _difference_value(c["where"], c["published"]), _difference_value(c["where"], c["now"])]
            for c in diff["cells"]]


def _difference_lines(report: dict[str, Any]) -> list[str]:
    title = difference_title(report)
    if title is None:
        return []
    lines = [texts.DIFFERENCE_LINE.format(where=where, old=old, new=new) for where, old, new in difference_rows(report)]
    return [title, *(lines or [texts.NO_DIFFERENCES])]


def to_markdown(report: dict[str, Any]) -> str:
    def table(header: list[str], rows: list[list[str]]) -> list[str]:
        return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header),
                *("| " + " | ".join(row) + " |" for row in rows), ""]

    columns = report["table3"]["columns"]
    parts = labels.parts(report["format"])
    out = [f"# {texts.REPORT_TITLE.format(year=report['year'], format=report['format'])}", ""]
    if "enquiries" in report:
        out += [f"## {texts.ENQUIRIES_TITLE}", ""]
        out += table(["", ""], enquiry_rows(report["enquiries"]))
    out += [f"## {parts[1]}", ""]
    out += table([texts.ROW_HEADER, "", ""], _table2_rows(report))
    out += [f"## {parts[2]}", "", labels.CORNER_NOTE, ""]
    out += table([texts.ROW_HEADER, *columns], [
        [("\u3000" * _depth(row)) + row["label"], *(_cell(row["values"].get(c)) for c in columns)]
        for row in report["table3"]["rows"]])
    out += [f"## {parts[3]}", ""]
    out += table(["", *RESULT_COLUMNS], _table4_rows(report))
    out += [f"## {texts.CHECKS_TITLE}", ""]
    out += table(["", texts.ROW_HEADER, ""], check_rows(report))
    lines = _difference_lines(report)
    if lines:
        out += [f"## {lines[0]}", "", *(f"- {line}" for line in lines[1:]), ""]
    return "\n".join(out)


def _depth(row: dict[str, Any]) -> int:
    if row["group"] is None:
        return 0
    return 2 if row["group"].startswith("（") else 1


def to_csv(report: dict[str, Any]) -> str:
    """Sections 一 to 四, the checks and the differences since publishing, one block each.

    Text that a spreadsheet would read as a formula is neutralised (``bot.stats.cells``).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")

    def block(rows: list[list[Any]]) -> None:
        writer.writerows([sheet_value(v) for v in row] for row in rows)
        writer.writerow([])

    parts = labels.parts(report["format"])
    columns = report["table3"]["columns"]
    if "enquiries" in report:
        block([[texts.ENQUIRIES_TITLE, ""], *enquiry_rows(report["enquiries"])])
    block([[parts[1], "", ""], *_table2_rows(report)])
    block([[parts[2], "group", *columns],
           *([row["label"], row["group"] or "", *(_cell(row["values"].get(c)) for c in columns)]
             for row in report["table3"]["rows"])])
    block([[parts[3], *RESULT_COLUMNS], *_table4_rows(report)])
    block([[texts.CHECKS_TITLE, "", ""], *check_rows(report)])
    title = difference_title(report)
    if title is not None:
        block([[title, texts.DIFFERENCE_PUBLISHED, texts.DIFFERENCE_NOW],
               *(difference_rows(report) or [[texts.NO_DIFFERENCES, "", ""]])])
    return buffer.getvalue()
