"""Layout repair for real reports: page numbers, wrapped lines, one-line web pages, sections."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.textproc import clean_display

REPORT_SECTION_TITLES = {
    "一": "总体情况",
    "二": "主动公开政府信息情况",
    "三": "收到和处理政府信息公开申请情况",
    "四": "政府信息公开行政复议、行政诉讼情况",
    "五": "存在的主要问题及改进情况",
    "六": "其他需要报告的事项",
}
# What the national template puts in sections 二, 三 and 四 (both the 2019 and the 2021 format), so
# that a question about one of these figures finds the section even when a report left it empty.
SECTION_TOPICS = {
    "二": "主动公开 规章 行政规范性文件 规范性文件 制发 制作 废止 现行有效 行政许可 行政处罚 行政强制 "
          "行政事业性收费 收费金额 处理决定",
    "三": "政府信息公开申请 申请数量 本年新收 收到申请 受理申请 上年结转 办理结果 予以公开 部分公开 不予公开 "
          "无法提供 不予处理 其他处理 结转下年度 自然人 法人或其他组织 商业企业 科研机构",
    "四": "行政复议 行政诉讼 结果维持 结果纠正 其他结果 尚未审结 直接起诉 复议后起诉",
}
_SECTION_NUMBERS = "一二三四五六七"
_KNOWN_TITLE = re.compile(
    r"(总体情况|主动公开政府信息(?:的)?情况|收到和处理政府信息公开申请(?:的)?情况"
    r"|(?:因)?政府信息公开(?:工作)?(?:被申请|申请)?行政.?复议[、，,和及与]?(?:提起)?行政.?诉讼(?:的)?情况"
    r"|(?:政府信息公开工作)?存在的?主要问题(?:及|和)(?:其)?(?:改进(?:措施|情况)|(?:明年|下一步|下一年度?|下年度?)?工作(?:计划|打算|安排))"
    r"|其他需要报告的事项)"
)
_HEADING = re.compile(rf"^([{_SECTION_NUMBERS}])\s*[、.．]\s*(.*)$")
_PAGE_NUMBER = re.compile(r"^\s*(?:[-—–_·•]\s*)?(?:\d{1,3}|第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?)\s*(?:[-—–_·•])?\s*$")
_ITEM_START = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")
_TERMINAL = "。！？!?"
_NAV = re.compile(r"^(当前位置|首页|来源[:：]|发布时间|时间[:：]|字号|打印|关闭|分享|微信|微博|【)")


@dataclass
class Section:
    number: str  # "" for the text before 一、
    title: str
    body: list[str] = field(default_factory=list)


def _break_long_lines(text: str) -> str:
    """A whole report on one line (copied from a web page): put sections and items on lines."""
    text = re.sub(rf"([{_SECTION_NUMBERS}]、\s*){_KNOWN_TITLE.pattern}",
                  r"\n\1\2\n", text)
    text = re.sub(r"(?<=[。；;！？])\s*(?=[（(][一二三四五六七八九十]+[）)])", "\n", text)
    return text


def prepare_lines(text: str) -> list[str]:
    """Lines of a report with page numbers and markdown heading marks removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x0c", "\n")
    lines = text.split("\n")
    if lines and max(len(line) for line in lines) > 1500:
        text = _break_long_lines(text)
        lines = text.split("\n")
    out = []
    for line in lines:
        line = re.sub(r"^#+\s*", "", line.strip())
        if _PAGE_NUMBER.match(line):
            continue
        out.append(line)
    return out


def _heading(line: str, expected_after: str, known_only: bool = False) -> tuple[str, str, str] | None:
    """(number, title, rest) when the line opens a report section numbered after `expected_after`."""
    compact = re.sub(r"\s+", "", line)
    m = _HEADING.match(compact)
    if not m:
        return None
    number, rest = m.group(1), m.group(2)
    if expected_after and _SECTION_NUMBERS.index(number) <= _SECTION_NUMBERS.index(expected_after):
        return None
    known = _KNOWN_TITLE.match(rest)
    if known:
        return number, known.group(0), rest[known.end():].lstrip("。：:")
    if known_only or re.search(r"\d|^(本年|上年|结转)", rest):
        return None
    if len(rest) <= 30 and not any(p in rest for p in "。；;，,"):
        return number, rest, ""
    return None


def split_sections(lines: list[str]) -> list[Section]:
    # Where most headings carry the template's titles, only those open a section (a table row
    # such as 四、结转下年度继续办理 must not).
    known = sum(1 for line in lines if (h := _heading(line, "")) and _KNOWN_TITLE.fullmatch(h[1]))
    sections = [Section("", "")]
    for line in lines:
        found = _heading(line, sections[-1].number, known_only=known >= 3)
        if found:
            number, title, rest = found
            sections.append(Section(number, title, [rest] if rest else []))
        else:
            sections[-1].body.append(line)
    preamble = sections[0]
    body = [line for line in preamble.body if line and not _NAV.match(line)]
    # Title lines (agency, year, 年度报告, a date) stand before the first real sentence.
    while body and len(body[0]) < 45 and not re.search(r"[。，,；]", body[0]):
        body.pop(0)
    preamble.body = body
    return sections


def join_wrapped_lines(lines: list[str]) -> list[str]:
    """Rejoin sentences that a PDF broke across lines; keep real paragraph breaks."""
    paragraphs: list[str] = []
    current = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            if current:
                paragraphs.append(current)
                current = ""
            continue
        starts_block = bool(_ITEM_START.match(line)) or line.startswith("|")
        if current and not starts_block and current[-1] not in _TERMINAL and not current.startswith("|"):
            current += line
            continue
        if current:
            paragraphs.append(current)
        current = line
        if _ITEM_START.match(line) and len(line) <= 25 and line[-1] not in _TERMINAL:
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return [clean_display(p) for p in paragraphs]


def split_sentences(paragraph: str) -> list[str]:
    parts = re.split(r"(?<=[。！？!?])", paragraph)
    out: list[str] = []
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if out and len(part) <= 2:
            out[-1] += part
        else:
            out.append(part)
    return out
