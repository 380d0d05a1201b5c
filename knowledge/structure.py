"""Turn the text of a report, the regulation or the guide into titled, sectioned passages."""

from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.errors import ParseError
from knowledge.fields import extract_fields
from knowledge.layout import (
    REPORT_SECTION_TITLES,
    SECTION_TOPICS,
    join_wrapped_lines,
    prepare_lines,
    split_sections,
    split_sentences,
)
from knowledge.textproc import clean_display
from knowledge.types import ParsedDocument, ParsedPassage

_CN_DIGITS = "零〇一二三四五六七八九十百"
_TITLE = re.compile(
    r"^(?P<pre>[\u4e00-\u9fff（）()]{0,24}?)(?P<year>(?:19|20)\d{2})年度?(?P<mid>[\u4e00-\u9fff（）()]{0,24}?)"
    r"政府信息公开(?:工作)?(?:年度)?(?:工作)?(?:年报|报告)"
)
_PERIOD = re.compile(r"((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日")
_ITEM = re.compile(rf"^[（(]([{_CN_DIGITS}]+)[）)]")


@dataclass(frozen=True)
class Hints:
    """What the user told `ingest` (--title/--agency/--year), used when the text does not say."""

    title: str = ""
    agency: str = ""
    year: int | None = None


def parse_document(text: str, source: str, hints: Hints | None = None) -> ParsedDocument:
    """Recognise the kind of document and split it into passages."""
    hints = hints or Hints()
    if not clean_display(text):
        raise ParseError("文件是空的，没有可读取的文字")
    head = text[:3000]
    if re.search(r"^#\s*政府信息公开办事指南", head, re.M):
        return _parse_guide(text, source)
    if "政府信息公开条例" in head and len(re.findall(r"^第[一二三四五六七八九十]+条", text, re.M)) >= 10:
        return _parse_regulation(text, source)
    return _parse_report(text, source, hints)


# --- reports -----------------------------------------------------------------------------------


def find_title(text: str) -> tuple[str, int | None]:
    """(agency, year) from a report's title, looked for among the first tokens of the text."""
    head = re.sub(r"[>＞›»|｜/]", " ", text[:4000])  # breadcrumbs: 首页>信息公开>年度报告>…
    tokens = [t for t in re.split(r"\s+", head) if t][:400]
    for i, tok in enumerate(tokens):
        if not re.match(r"[\u4e00-\u9fff0-9]", tok):
            continue
        m = _TITLE.match("".join(tokens[i : i + 5]))
        if m:
            agency = _NAVIGATION.sub("", (m.group("mid") or m.group("pre") or "")).strip("（）()")
            return agency, int(m.group("year"))
    return "", None


# Navigation words a web page puts before a report's title (they never start an agency's name).
_NAVIGATION = re.compile(
    r"^(?:首页|当前位置|您的位置|您当前的位置|位置|正文|栏目|专栏|政务公开|政府信息公开|信息公开|法定主动公开内容|"
    r"政府信息公开年报|信息公开年报|政府信息公开工作年度报告|年度报告|工作年报|年报|通知公告|[：:])+")


_CONTACT_AGENCY = re.compile(
    r"(?:请与|汇总)([\u4e00-\u9fff]{2,16}?)(?:人民政府|管委会)?(?:各有关单位|政府信息公开|政务公开|信息公开|办公室|办公厅)"
)


_PLACE = re.compile(r"[\u4e00-\u9fff]{2,7}?(?:综合实验区|自治州|自治县|新区|省|市|区|县)")
_NOT_A_PLACE = re.compile(r"^(本|我|全|各|该|辖|分|市|区|县|省|城|在|和|与|及|对|向|为|经|部分)|(社区|园区|景区|片区|城区|市场|城市)$")


def _agency_from_text(text: str) -> str:
    """The agency when no title names it: the contact line, else the place named most often."""
    m = _CONTACT_AGENCY.search(text[:6000])
    if m:
        return m.group(1)
    counts: dict[str, int] = {}
    for place in _PLACE.findall(text):
        if not _NOT_A_PLACE.search(place):
            counts[place] = counts.get(place, 0) + 1
    best = max(counts.items(), key=lambda kv: (kv[1], len(kv[0])), default=("", 0))
    return best[0] if best[1] >= 2 or (best[0] and best[0] in text[:1500]) else ""


def _report_meta(text: str, hints: Hints) -> tuple[str, str, int | None]:
    agency, year = find_title(text)
    agency = hints.agency or agency or _agency_from_text(text)
    if year is None:
        m = _PERIOD.search(text[:5000])
        year = int(m.group(1)) if m else hints.year
    if hints.year is not None:
        year = hints.year
    if not agency:
        raise ParseError("无法从文中识别发布机关，请用 --agency 指定")
    if year is None:
        raise ParseError("无法从文中识别报告年度，请用 --year 指定")
    title = hints.title or f"{agency}{year}年政府信息公开工作年度报告"
    return title, agency, year


def _parse_report(text: str, source: str, hints: Hints) -> ParsedDocument:
    lines = prepare_lines(text)
    sections = split_sections(lines)
    if len([s for s in sections if s.number]) < 2:
        raise ParseError("没有找到年度报告的章节（一、总体情况 …），这似乎不是政府信息公开工作年度报告")
    title, agency, year = _report_meta(text, hints)
    passages: list[ParsedPassage] = []
    for section in sections:
        passages.extend(_section_passages(section.number, section.title, section.body))
    passages.extend(_field_passages(text, sections))
    return ParsedDocument(title=title, agency=agency, year=year, kind="report", source=source,
                          text=text, passages=passages)


def _field_passages(text: str, sections: list) -> list[ParsedPassage]:  # type: ignore[type-arg]
    """The template's fields (contact block, figures per channel, section 五's lists …), empty ones too."""
    labelled = [(s.number, f"{s.number}、{s.title}" if s.number else "报告说明", "\n".join(s.body))
                for s in sections]
    return [ParsedPassage(section=f.section, item=f.label, kind="field", text=f.shown(), data=f.as_data())
            for f in extract_fields(text, labelled)]


def _section_passages(number: str, title: str, body: list[str]) -> list[ParsedPassage]:
    label = f"{number}、{title}" if number else "报告说明"
    out: list[ParsedPassage] = []
    raw = "\n".join(body)
    table = _table_section(number, title)
    if table:
        from knowledge.tables import extract_tables

        extraction = extract_tables(table, raw)
        out.extend(_cell_passages(label, extraction.cells))
        raw = extraction.remaining_text
    out.extend(_prose_passages(label, join_wrapped_lines(raw.split("\n"))))
    if not out:
        topics = SECTION_TOPICS.get(number, "")
        out.append(ParsedPassage(section=label, item="", kind="empty_section", text=f"{label} {topics}".strip(),
                                 data={"number": number, "title": title or REPORT_SECTION_TITLES.get(number, "")}))
    return out


def _table_section(number: str, title: str) -> str:
    """Which template table a section holds, by its title (reports number them differently)."""
    compact = re.sub(r"\s+", "", title)
    if "主动公开" in compact:
        return "二"
    if "申请" in compact and ("收到" in compact or "处理" in compact):
        return "三"
    if "复议" in compact or "诉讼" in compact:
        return "四"
    return number if number in ("二", "三", "四") and not compact else ""


def _cell_passages(section: str, cells: list) -> list[ParsedPassage]:  # type: ignore[type-arg]
    out = []
    for cell in cells:
        row = f"{cell.group} / {cell.row}" if cell.group else cell.row
        column = cell.column or "（列不确定）"
        shown = cell.value if cell.value != "" else "（空白）"
        out.append(ParsedPassage(
            section=section, item=f"表{cell.table}", kind="cell",
            text=f"{row}｜{column}：{shown}",
            data={"table": cell.table, "row": cell.row, "group": cell.group, "column": cell.column,
                  "value": cell.value, "ambiguous": bool(cell.ambiguous)},
        ))
    return out


def _prose_passages(section: str, paragraphs: list[str]) -> list[ParsedPassage]:
    out: list[ParsedPassage] = []
    item = ""
    for para in paragraphs:
        para = clean_display(para)
        if not para or re.fullmatch(r"[\W\d_]+", para):
            continue
        m = _ITEM.match(para)
        if m:
            head = re.split(r"[。：:]", para, maxsplit=1)[0]
            item = head if len(head) <= 40 else head[: len(m.group(0))]
        for sentence in split_sentences(para):
            if item and sentence.rstrip("。：:") == item:
                continue
            out.append(ParsedPassage(section=section, item=item, kind="text", text=sentence))
    return out


# --- the regulation -------------------------------------------------------------------------------

_ARTICLE_START = re.compile(r"^(第[一二三四五六七八九十百]+条)\s*")
_CHAPTER = re.compile(r"^#*\s*(第[一二三四五六七八九十]+章\s*\S+)")


def _parse_regulation(text: str, source: str) -> ParsedDocument:
    passages: list[ParsedPassage] = []
    chapter, article, buf = "", "", []  # type: ignore[var-annotated]

    def flush() -> None:
        if article and buf:
            body = clean_display("".join(buf))
            passages.append(ParsedPassage(section=chapter, item=article, kind="article", text=body,
                                          data={"article": article}))

    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") and not _CHAPTER.match(line) or line.startswith("<!--"):
            continue
        if m := _CHAPTER.match(line):
            flush()
            chapter, article, buf = re.sub(r"\s+", " ", m.group(1)), "", []
            continue
        if m := _ARTICLE_START.match(line):
            flush()
            article, buf = m.group(1), [line]
        elif article:
            buf.append(line)
    flush()
    if len(passages) < 10:
        raise ParseError("没有识别出条例的条文")
    return ParsedDocument(title="中华人民共和国政府信息公开条例", agency="国务院", year=2019,
                          kind="regulation", source=source, text=text, passages=passages)


# --- the citizens' guide --------------------------------------------------------------------------


def _parse_guide(text: str, source: str) -> ParsedDocument:
    passages: list[ParsedPassage] = []
    for block in re.split(r"^##\s+", text, flags=re.M)[1:]:
        title, _, rest = block.partition("\n")
        basis, entry_id, offer = "", "", ""
        asked: list[str] = []
        body_lines = []
        for line in rest.splitlines():
            line = line.strip()
            if line.startswith("依据："):
                basis = line[len("依据："):]
            elif line.startswith("编号："):
                entry_id = line[len("编号："):].strip()
            elif line.startswith("提供："):
                offer = line[len("提供："):].strip()
            elif line.startswith("问法："):
                continue
            elif line.startswith("- "):
                asked.append(line[2:].strip())
            elif line:
                body_lines.append(line)
        body = clean_display("".join(body_lines))
        if body:
            passages.append(ParsedPassage(section="办事指南", item=title.strip(), kind="guide", text=body,
                                          data={"basis": basis, "id": entry_id, "asked_as": asked,
                                                "offer": offer}))
    if not passages:
        raise ParseError("办事指南没有条目")
    return ParsedDocument(title="政府信息公开办事指南", agency="公开助手", year=None, kind="guide",
                          source=source, text=text, passages=passages)
