"""The report as Markdown or CSV (for reading and for spreadsheets)."""

from __future__ import annotations

import csv
import io
from typing import Any

from bot import texts
from bot.stats.layout import AFTER_REVIEW, DIRECT, LAWSUIT, RESULT_COLUMNS, REVIEW


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


def _check_rows(report: dict[str, Any]) -> list[list[str]]:
    return [[texts.STATUS_LABELS_CHECK[c["status"]], c["name"], c["detail"]] for c in report.get("checks", [])]


def _difference_lines(report: dict[str, Any]) -> list[str]:
    diff = report.get("differences")
    if diff is None:
        return []
    lines = [texts.DIFFERENCES_TITLE.format(at=diff["published_at"])]
    lines += [texts.DIFFERENCE_LINE.format(where=c["where"], old=_cell(c["published"]), new=_cell(c["now"]))
              for c in diff["cells"]] or [texts.NO_DIFFERENCES]
    return lines


def to_markdown(report: dict[str, Any]) -> str:
    def table(header: list[str], rows: list[list[str]]) -> list[str]:
        return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header),
                *("| " + " | ".join(row) + " |" for row in rows), ""]

    columns = report["table3"]["columns"]
    out = [f"# {texts.REPORT_TITLE.format(year=report['year'], format=report['format'])}", ""]
    if "enquiries" in report:
        out += [f"## {texts.ENQUIRIES_TITLE}", ""]
        out += table(["", ""], _enquiry_rows(report["enquiries"]))
    out += [f"## {texts.TABLE2_TITLE}", ""]
    out += table([texts.ROW_HEADER, "", ""], _table2_rows(report))
    out += [f"## {texts.TABLE3_TITLE}", "", texts.CORNER_NOTE_TEXT, ""]
    out += table([texts.ROW_HEADER, *columns], [
        [("\u3000" * _depth(row)) + row["label"], *(_cell(row["values"].get(c)) for c in columns)]
        for row in report["table3"]["rows"]])
    out += [f"## {texts.TABLE4_TITLE}", ""]
    out += table(["", *RESULT_COLUMNS], _table4_rows(report))
    out += [f"## {texts.CHECKS_TITLE}", ""]
    out += table(["", texts.ROW_HEADER, ""], _check_rows(report))
    lines = _difference_lines(report)
    if lines:
        out += [f"## {lines[0]}", "", *(f"- {line}" for line in lines[1:]), ""]
    return "\n".join(out)


def _enquiry_rows(enquiries: dict[str, Any]) -> list[list[str]]:
    """Section 一: counts as they are, rates as percentages; a null figure says it cannot be computed."""
    rows = []
    for key, label in texts.ENQUIRY_LABELS.items():
        value = enquiries.get(key)
        shown = texts.NOT_COMPUTABLE if value is None else f"{value:.1%}" if key.endswith("_rate") else str(value)
        rows.append([label, shown])
    return rows


def _depth(row: dict[str, Any]) -> int:
    if row["group"] is None:
        return 0
    return 2 if row["group"].startswith("（") else 1


def to_csv(report: dict[str, Any]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    columns = report["table3"]["columns"]
    writer.writerow([texts.TABLE3_TITLE, "group", *columns])
    for row in report["table3"]["rows"]:
        writer.writerow([row["label"], row["group"] or "", *(_cell(row["values"].get(c)) for c in columns)])
    writer.writerow([])
    writer.writerow([texts.TABLE4_TITLE, *RESULT_COLUMNS])
    writer.writerows(_table4_rows(report))
    writer.writerow([])
    writer.writerow([texts.TABLE2_TITLE, "", ""])
    writer.writerows(_table2_rows(report))
    writer.writerow([])
    writer.writerow([texts.CHECKS_TITLE, "", ""])
    writer.writerows(_check_rows(report))
    return buffer.getvalue()
