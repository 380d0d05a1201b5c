"""The report in every output format, for the CLI and for the staff chat (`/report Y`)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session

from bot.settings import Settings
from bot.stats.render import to_csv, to_markdown
from bot.stats.report import build_report

FORMATS = ("json", "md", "csv", "xlsx", "docx")


def render(session: Session, settings: Settings, report: dict[str, Any], fmt: str) -> str | bytes:
    """The report in ``fmt``; xlsx and docx are bytes. Raises ChartFontMissing for docx without a CJK font."""
    if fmt == "json":
        return json.dumps(report, ensure_ascii=False, indent=2) + "\n"
    if fmt == "md":
        return to_markdown(report)
    if fmt == "csv":
        return to_csv(report)
    if fmt == "xlsx":  # openpyxl, python-docx and matplotlib load only when asked for
        from bot.stats.xlsx import to_xlsx

        return to_xlsx(report)
    if fmt != "docx":
        raise ValueError(fmt)
    from bot.stats.chart import monthly, render_chart
    from bot.stats.draft import to_docx

    received, closed = monthly(session, report["year"], report["format"])
    return to_docx(report, agency=settings.agency_name, chart_png=render_chart(report["year"], received, closed))


def file_name(year: int, fmt: str) -> str:
    return f"政府信息公开年度报告-{year}.{fmt}"


def report_files(session: Session, settings: Settings, year: int) -> list[tuple[str, bytes]]:
    """(file name, content) of the .xlsx tables and the .docx draft: what staff receive in the chat."""
    report = build_report(session, year)
    files = []
    for fmt in ("xlsx", "docx"):
        content = render(session, settings, report, fmt)
        assert isinstance(content, bytes)
        files.append((file_name(year, fmt), content))
    return files
