"""The report in every output format, for the CLI and for the staff chat (`/report Y`)."""

from __future__ import annotations

import errno
import json
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from bot import texts
from bot.errors import BotError
from bot.settings import Settings
from bot.stats.render import to_csv, to_markdown
from bot.stats.report import build_report

FORMATS = ("json", "md", "csv", "xlsx", "docx")
BINARY_FORMATS = ("xlsx", "docx")


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
    from bot.agency import effective_settings
    from bot.stats.chart import monthly, render_chart
    from bot.stats.draft import to_docx

    received, closed = monthly(session, report["year"], report["format"])
    agency = effective_settings(session, settings).agency_name  # as staff last saved it
    return to_docx(report, agency=agency, chart_png=render_chart(report["year"], received, closed))


class ReportFileError(BotError):
    """Raised when a report file cannot be written: no such folder, no permission, or it exists already."""


_WHY = {errno.ENOENT: texts.REPORT_NO_FOLDER, errno.ENOTDIR: texts.REPORT_NOT_A_FOLDER,
        errno.EACCES: texts.REPORT_NO_PERMISSION, errno.EPERM: texts.REPORT_NO_PERMISSION,
        errno.EISDIR: texts.REPORT_IS_A_FOLDER}


def file_bytes(content: str | bytes, fmt: str) -> bytes:
    """A report as the bytes of a file: a CSV gets a BOM, so that Excel on a Chinese Windows reads it as UTF-8."""
    return content if isinstance(content, bytes) else content.encode("utf-8-sig" if fmt == "csv" else "utf-8")


def write_file(path: Path, content: str | bytes, *, fmt: str, overwrite: bool = True) -> None:
    """Write a report file (``file_bytes``); without ``overwrite`` an existing file is kept."""
    try:
        with path.open("wb" if overwrite else "xb") as handle:
            handle.write(file_bytes(content, fmt))
    except FileExistsError:
        raise ReportFileError(texts.REPORT_EXISTS.format(path=path)) from None
    except OSError as exc:
        reason = _WHY.get(exc.errno or 0, exc.strerror or str(exc))
        raise ReportFileError(texts.REPORT_CANNOT_WRITE.format(path=path, reason=reason)) from None


def file_name(year: int, fmt: str) -> str:
    """The name of a report file, as the CLI writes it and the staff chat sends it."""
    return texts.REPORT_FILE_NAME.format(year=year, ext=fmt)


def differences_summary(report: dict[str, Any]) -> str:
    """One line on the cells that changed since publishing; "" while the year is unpublished."""
    diff = report.get("differences")
    if diff is None:
        return ""
    n = len(diff["cells"])
    template = texts.REPORT_DIFFERENCES_COUNT if n else texts.REPORT_DIFFERENCES_NONE
    return template.format(n=n, at=diff["published_at"])


def report_files(session: Session, settings: Settings, year: int,
                 report: dict[str, Any] | None = None) -> list[tuple[str, bytes]]:
    """(file name, content) of the .xlsx tables and the .docx draft: what staff receive in the chat."""
    report = report if report is not None else build_report(session, year)
    files = []
    for fmt in BINARY_FORMATS:
        content = render(session, settings, report, fmt)
        assert isinstance(content, bytes)
        files.append((file_name(year, fmt), content))
    return files
