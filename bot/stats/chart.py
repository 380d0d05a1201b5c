"""The chart of the report draft: requests received and closed per month, by outcome group."""

from __future__ import annotations

import io
import logging
import warnings
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import extract, func, select
from sqlalchemy.orm import Session

from bot import texts
from bot.errors import BotError
from bot.stats.layout import RESULTS, row_of_outcome, table3_rows
from bot.tickets.codes import TicketKind
from bot.tickets.models import Ticket

log = logging.getLogger(__name__)

# Fonts with Simplified Chinese glyphs, in order of preference (Debian: fonts-wqy-microhei, fonts-noto-cjk).
CJK_FONTS = ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC",
             "Microsoft YaHei", "SimHei", "PingFang SC")


class ChartFontMissing(BotError):
    """Raised when no installed font can draw Chinese: the chart would show boxes instead of text."""

    def __init__(self) -> None:
        super().__init__(texts.CHART_FONT_MISSING.format(fonts="、".join(CJK_FONTS)))


def monthly(session: Session, year: int, report_format: str) -> tuple[list[int], dict[str, list[int]]]:
    """Disclosure requests received per month, and closed per month by outcome group （一）…（六）."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    disclosure = Ticket.kind == TicketKind.DISCLOSURE_REQUEST.value
    received = [0] * 12
    month = extract("month", Ticket.received_on)
    for m, n in session.execute(select(month, func.count()).where(
            disclosure, Ticket.received_on >= start, Ticket.received_on <= end).group_by(month)):
        received[int(m) - 1] = int(n)
    closed: dict[str, list[int]] = {}
    month = extract("month", Ticket.closed_on)
    for m, code, n in session.execute(select(month, Ticket.outcome, func.count()).where(
            disclosure, Ticket.closed_on >= start, Ticket.closed_on <= end).group_by(month, Ticket.outcome)):
        target = row_of_outcome(code or "", report_format)
        group = target[0] if target else "?"
        closed.setdefault(group, [0] * 12)[int(m) - 1] += int(n)
    order = [row.label for row in table3_rows(report_format) if row.group == RESULTS]
    return received, {g: closed[g] for g in sorted(closed, key=lambda g: order.index(g) if g in order else 99)}


def _font() -> str:
    """The first installed CJK font; a font installed since matplotlib cached its font list is found too."""
    from matplotlib import font_manager

    name = _cjk_font(font_manager.fontManager)
    if name is None and _add_new_system_fonts(font_manager.fontManager):
        name = _cjk_font(font_manager.fontManager)
    if name is None:
        raise ChartFontMissing()
    return name


def _cjk_font(manager: Any) -> str | None:
    installed = {f.name for f in manager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def _add_new_system_fonts(manager: Any) -> bool:
    """Add the system fonts matplotlib's cached list lacks, and save the list again; whether any were new.

    matplotlib scans the system fonts once and keeps the list in its cache directory, so a font installed
    after the first run (``apt-get install fonts-wqy-microhei``) stays unknown until the list is rebuilt.
    """
    from matplotlib import font_manager

    known = {f.fname for f in (*manager.ttflist, *manager.afmlist)}
    added = False
    for path in font_manager.findSystemFonts():
        if path in known:
            continue
        try:
            manager.addfont(path)
        except (OSError, RuntimeError, ValueError):  # unreadable or not a font: matplotlib skips it too
            log.debug("font %s could not be read", path)
            continue
        added = True
    if added:
        try:
            font_manager.json_dump(manager, _font_cache())
        except OSError:  # a read-only cache: the fonts are known for this run anyway
            log.debug("could not save the font list")
    return added


def _font_cache() -> Path:
    """The file matplotlib reads its font list from (``matplotlib.font_manager._load_fontmanager``)."""
    import matplotlib
    from matplotlib import font_manager

    return Path(matplotlib.get_cachedir(), f"fontlist-v{font_manager.FontManager.__version__}.json")


def render_chart(year: int, received: list[int], closed: dict[str, list[int]]) -> bytes:
    """A PNG: closed requests stacked by outcome group, received requests as a line."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot
    from matplotlib.ticker import MaxNLocator

    font = _font()
    months = list(range(1, 13))
    buffer = io.BytesIO()
    with warnings.catch_warnings(), pyplot.rc_context({"font.family": [font]}):
        warnings.filterwarnings("error", message="Glyph .* missing")  # never boxes instead of text
        figure, axes = pyplot.subplots(figsize=(8, 4), dpi=150)
        try:
            bottom = [0] * 12
            for group, counts in closed.items():
                axes.bar(months, counts, bottom=bottom, label=texts.CHART_CLOSED.format(group=group.split("（区分")[0]))
                bottom = [b + c for b, c in zip(bottom, counts, strict=True)]
            axes.plot(months, received, color="black", marker="o", label=texts.CHART_RECEIVED)
            axes.set_xticks(months, [texts.CHART_MONTH.format(m=m) for m in months])
            axes.set_title(texts.CHART_TITLE.format(year=year))
            axes.set_ylabel(texts.CHART_Y)
            axes.yaxis.set_major_locator(MaxNLocator(integer=True))
            axes.legend(fontsize=7, loc="upper left")
            figure.tight_layout()
            figure.savefig(buffer, format="png")
        except UserWarning as exc:  # the font lacks a glyph: refuse rather than draw boxes
            raise ChartFontMissing() from exc
        finally:
            pyplot.close(figure)
    return buffer.getvalue()
