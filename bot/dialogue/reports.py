"""`/report Y` in the staff chat: the yearly tables (.xlsx) and the report draft (.docx) as documents."""

from __future__ import annotations

from bot import texts
from bot.dialogue.context import Context
from bot.dialogue.messages import Document, Reply
from bot.stats.chart import ChartFontMissing
from bot.stats.files import differences_summary, file_name, render, report_files
from bot.stats.report import build_report
from bot.tickets.clock import SHANGHAI

FIRST_YEAR = 2008  # the first year of annual reports under the 2007 regulation


def report(ctx: Context, arg: str) -> list[Reply]:
    """The report files of year ``arg``; only the .xlsx, with the reason, when the .docx cannot be made."""
    this_year = ctx.now.astimezone(SHANGHAI).year
    if not arg:
        return [Reply(texts.REPORT_USAGE.format(year=this_year - 1))]
    if not (arg.isascii() and arg.isdigit() and len(arg) == 4 and FIRST_YEAR <= int(arg) <= this_year):
        return [Reply(texts.REPORT_BAD_YEAR.format(value=arg, first=FIRST_YEAR, last=this_year))]
    year = int(arg)
    built = build_report(ctx.session, year)
    changed = differences_summary(built)  # how many cells differ from the published report, if published
    try:
        files = report_files(ctx.session, ctx.settings, year, built)
    except ChartFontMissing as exc:
        content = render(ctx.session, ctx.settings, built, "xlsx")
        assert isinstance(content, bytes)
        xlsx = Document(file_name(year, "xlsx"), content)
        text = texts.REPORT_NO_DOCX.format(year=year, reason=str(exc))
        return [Reply(f"{text}\n{changed}" if changed else text, documents=(xlsx,))]
    documents = tuple(Document(name, content) for name, content in files)
    text = texts.REPORT_SENT.format(year=year)
    return [Reply(f"{text}\n{changed}" if changed else text, documents=documents)]
