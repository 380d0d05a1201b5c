"""The fields of an annual report, extracted at ingest by the national template.

One catalogue (`FIELDS`) says which fields a report has, where the template puts them and how a
citizen asks for them; `extract_fields` reads them out of a parsed report, each with its source
(section and character offsets in the document's text). A field the report leaves empty is kept
as empty, so that a question about it is answered "the report gives no such figure" whatever its
wording. The cells of tables 二、三、四 are fields too; they are extracted by `knowledge.tables`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from knowledge.textproc import clean_display


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str  # what staff and citizens read
    section: str  # the template's section: 说明 (the contact block), 一, 五, 六
    kind: str  # text | number | list


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("contact.office", "联系机构", "说明", "text"),
    FieldSpec("contact.address", "联系地址", "说明", "text"),
    FieldSpec("contact.postcode", "邮政编码", "说明", "text"),
    FieldSpec("contact.phone", "联系电话", "说明", "text"),
    FieldSpec("contact.fax", "传真", "说明", "text"),
    FieldSpec("contact.email", "电子邮箱", "说明", "text"),
    FieldSpec("contact.website", "网址", "说明", "text"),
    FieldSpec("s1.published_total", "主动公开信息总数", "一", "number"),
    FieldSpec("s1.website", "政府网站发布信息", "一", "number"),
    FieldSpec("s1.wechat", "政务微信公众号发布信息", "一", "number"),
    FieldSpec("s1.weibo", "政务微博发布信息", "一", "number"),
    FieldSpec("s1.newmedia", "其他政务新媒体（抖音、视频号、头条号等）", "一", "number"),
    FieldSpec("s1.gazette", "政府公报", "一", "number"),
    FieldSpec("s1.press", "新闻发布会", "一", "number"),
    FieldSpec("s1.hotline", "12345热线", "一", "number"),
    FieldSpec("s1.mailbox", "书记、市长、区长、局长信箱", "一", "number"),
    FieldSpec("s1.requests", "收到政府信息公开申请（正文所述）", "一", "number"),
    FieldSpec("s5.problems", "存在的主要问题", "五", "list"),
    FieldSpec("s5.improvements", "改进情况（措施、计划）", "五", "list"),
    FieldSpec("s6.fees", "信息处理费收取情况", "六", "text"),
    FieldSpec("s6.npc", "人大代表建议办理", "六", "number"),
    FieldSpec("s6.cppcc", "政协提案办理", "六", "number"),
)
BY_KEY = {f.key: f for f in FIELDS}
EMPTY = "（报告未填写）"

# --- the contact block ----------------------------------------------------------------------------

_PHONE = r"(?:0\d{2,3}\s*[-－—–]\s*)?\d{7,8}(?:\s*[、/或]\s*(?:0\d{2,3}\s*[-－—–]\s*)?\d{7,8})*"
_CONTACT: dict[str, re.Pattern[str]] = {
    "contact.phone": re.compile(rf"(?:联系|咨询|办公)?电话(?:号码)?(?:\s*[/、及和]\s*传真)?\s*[：:为是]?\s*[（(]?\s*({_PHONE})"),
    "contact.fax": re.compile(rf"传真(?:号码)?\s*[：:为是]?\s*({_PHONE})"),
    "contact.postcode": re.compile(r"邮(?:政)?编(?:码)?\s*[：:为是]?\s*(\d{6})(?!\d)"),
    "contact.email": re.compile(r"([A-Za-z0-9][\w.+-]*@[\w-]+(?:\.[\w-]+)+)"),
    "contact.address": re.compile(
        r"(?:联系|通讯|通信|办公|详细)?地址\s*[：:为是]?\s*([^、；;，,。）)\s：:][^；;，,。）)\s：:]{4,47}?)(?=[；;，,。）)\s]|邮编|邮政|电话|$)"),
    "contact.website": re.compile(
        r"((?:https?:?//)?(?:www\.[A-Za-z0-9.-]+\.(?:gov\.cn|cn|com|org)|[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.gov\.cn)"
        r"(?:/[\w./-]*)?)"),
    "contact.office": re.compile(
        r"(?:请与|请联系|可联系|联系单位[：:]?|联系部门[：:]?|联系人[：:]?)\s*"
        r"([\u4e00-\u9fff（）()]{2,40}(?:办公室|办公厅|工作机构|科|处|中心|股|部|局))"),
}
# Where the contact block stands: the sentence that invites questions about the report.
_CONTACT_CUE = re.compile(r"疑问|咨询|联系方式|联系地址|联系电话|请与|可联系|请联系")


_SPACED = re.compile(r"(?<=[\u4e00-\u9fff：:，,；;（(])[ \t\u3000]+(?=[\u4e00-\u9fff：:，,；;0-9（(])"
                     r"|(?<=[0-9])[ \t\u3000]+(?=[\u4e00-\u9fff])")  # 翔宇南道 1 号 (never between two numbers)


def _contact_fields(text: str) -> dict[str, tuple[str, int, int, str]]:
    """Each contact item with its offsets, from the window where the contact block is. Text from
    PDFs spaces its characters (邮 编 ： 223100); those spaces are closed first, so the offsets of
    such a report are those of the value's first occurrence in the original text, when it is there."""
    closed = _SPACED.sub("", text)
    if closed != text:
        found = _contact_fields(closed) if _SPACED.search(closed) is None else {}
        placed: dict[str, tuple[str, int, int, str]] = {}
        for key, (value, _s, _e, sentence) in found.items():
            at = text.find(value)
            placed[key] = (value, at if at >= 0 else -1, at + len(value) if at >= 0 else -1, sentence)
        return placed
    windows = [(max(0, m.start() - 120), min(len(text), m.end() + 260)) for m in _CONTACT_CUE.finditer(text)]
    windows.append((0, len(text)))  # last resort: anywhere in the report
    out: dict[str, tuple[str, int, int, str]] = {}
    for key, pattern in _CONTACT.items():
        for start, end in windows:
            m = pattern.search(text, start, end)
            if m:
                value = re.sub(r"[（(][^）)]*$", "", re.sub(r"\s+", "", m.group(1)))
                out[key] = (value, m.start(1), m.end(1), _sentence_at(text, m.start(1)))
                break
    return out


# --- figures of section 一 per channel --------------------------------------------------------------

_CHANNELS: dict[str, re.Pattern[str]] = {
    "s1.wechat": re.compile(r"微信公众号|政务微信|公众号|微信"),
    "s1.weibo": re.compile(r"微博"),
    "s1.newmedia": re.compile(r"抖音|视频号|头条号|今日头条|快手|政务新媒体|新媒体"),
    "s1.gazette": re.compile(r"政府公报|公报"),
    "s1.press": re.compile(r"新闻发布会|发布会"),
    "s1.hotline": re.compile(r"12345|热线"),
    "s1.mailbox": re.compile(r"(?:书记|市长|区长|县长|局长|主任|领导)?信箱"),
    "s1.website": re.compile(r"门户网站|政府网站|网站|官网|网页"),
}
_FIGURE = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*(?:万)?(?:条|篇|期|次|场|件|封|个|项|批|人次|余条|余篇|余件)")
_TOTAL = re.compile(r"主动公开")
_REQUESTS = re.compile(r"(?:收到|受理|共收|接收|办理)[^。；;]{0,16}?(?:政府信息公开|依申请公开|信息公开)?申请")


def _clauses(text: str, offset: int) -> list[tuple[str, int]]:
    """Clauses of a section with their offsets in the document (split at 。；;)."""
    out = []
    start = 0
    for m in re.finditer(r"[。；;！？]", text + "。"):
        clause = text[start : m.end()]
        if clause.strip():
            out.append((clause, offset + start))
        start = m.end()
    return out


def _figure_after(clause: str, cue: re.Match[str]) -> re.Match[str] | None:
    """The figure that a cue speaks of: the first after it in the clause, else the nearest before."""
    after = _FIGURE.search(clause, cue.end())
    if after and after.start() - cue.end() <= 64:
        return after
    before = [m for m in _FIGURE.finditer(clause, 0, cue.start())]
    if before and cue.start() - before[-1].end() <= 12:
        return before[-1]
    return None


def _channel_fields(text: str, offset: int) -> dict[str, tuple[str, int, int, str]]:
    out: dict[str, tuple[str, int, int, str]] = {}
    clauses = _clauses(text, offset)
    for clause, at in clauses:
        taken: list[tuple[int, int]] = []  # a cue inside an earlier channel's name (政务微信 → 微信)
        for key, pattern in _CHANNELS.items():
            for cue in pattern.finditer(clause):
                if any(s <= cue.start() < e for s, e in taken):
                    continue
                taken.append((cue.start(), cue.end()))
                fig = _figure_after(clause, cue)
                if not fig:
                    continue  # 主动公开方面 …: a later mention may carry the figure
                if key not in out:
                    out[key] = (fig.group(1), at + fig.start(1), at + fig.end(1), clause.strip())
                elif len(out[key][3]) + len(clause) <= 260 and clause.strip() not in out[key][3]:
                    # A channel spoken of in several places (posts, then followers): every clause.
                    value, start, _end, text = out[key]
                    out[key] = (value, start, at + fig.end(1), text + clause.strip())
                break
    for key, pattern in (("s1.published_total", _TOTAL), ("s1.requests", _REQUESTS)):
        for clause, at in clauses:
            for hit in pattern.finditer(clause):
                fig = _figure_after(clause, hit)
                if fig and (key != "s1.published_total" or "条" in fig.group(0) or "件" in fig.group(0)):
                    out[key] = (fig.group(1), at + fig.start(1), at + fig.end(1), clause.strip())
                    break
            if key in out:
                break
    return out


# --- section 五: problems and improvements -------------------------------------------------------

_IMPROVE_START = re.compile(
    r"[（(]二[）)]\s*(?:改进|整改|下一步|工作计划|努力方向)|改进(?:措施|情况|方向|举措)[：:]|"
    r"针对(?:存在的?|上述|以上|这些)?(?:问题|不足)|下一步|下阶段|下一年|今后|"
    r"(?:20\d\d)\s*年\s*[，,]?\s*[\u4e00-\u9fff]{0,8}?(?:将|要|计划)(?![^。；]{0,30}(?:问题|不足))|"
    r"(?:我[局区县市委办]|我们)将(?:从以下|采取|重点|着力|切实|认真|进一步)|将采取以下|将重点从以下|"
    r"为(?:规范|进一步|做好|解决)[^。；]{0,20}?(?:我局|我区|将)"
)
_PROBLEM_LEAD = re.compile(
    r"(?:存在|还有|仍有|表现在|主要是|主要有|问题[：:]|不足[：:]|短板[：:]|差距[：:]|如)[^。；]*?(?:[：:]|如|主要是|表现在|存在)?")
_ENUM = re.compile(
    r"(?:[一二三四五六七八九十]是|[（(][一二三四五六七八九十]+[）)]|(?<![\d.])\d{1,2}\s*[.、．](?!\d)|"
    r"第[一二三四五六七八九十][，,、]|首先|其次|再次|最后)")


def _enumerated(text: str) -> list[str]:
    """Items marked 一是/（一）/1. … in a stretch of text; [] when it has fewer than two."""
    marks = [m for m in _ENUM.finditer(text)]
    if len(marks) < 2:
        return []
    items = []
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        item = text[m.end() : end].strip(" ：:，,；;。")
        if item:
            items.append(item)
    return items


_LEAD = re.compile(r"主要存在|存在|表现在|表现为|主要是|主要有|如|包括")


def _listed(text: str) -> list[str]:
    """Items written as one sentence: 主要存在A、B，C等问题 / 如A；B；C等 (the last lead-in wins)."""
    for lead in reversed(list(_LEAD.finditer(text))):
        m = re.compile(r"[：:]?([^。]{6,}?)(?:等(?:问题|方面|不足|情况)?|。|$)").match(text, lead.end())
        if not m:
            continue
        body = m.group(1)
        # Points separated by ； when the writer used it; else by 、 and ，.
        splitter = r"[；;]" if re.search(r"[；;]", body) else r"(?<=[^\d])[、，,](?=[\u4e00-\u9fff]{4,})"
        parts = [p.strip(" ，,；;。\n") for p in re.split(splitter, body)]
        parts = [p for p in parts if len(p) >= 4]
        if len(parts) >= 2:
            return parts
    return []


def _split_problems(text: str) -> tuple[str, str]:
    """Section 五's text as (problems, improvements)."""
    # A heading for improvements wins; else the first cue after the problems are named.
    heading = re.search(r"[（(]二[）)]\s*(?:改进|整改|下一步|工作计划|努力方向)", text)
    if heading:
        return text[: heading.start()], text[heading.start():]
    problem = re.search(r"问题|不足|差距|短板|薄弱", text)
    from_ = problem.end() if problem else 0
    improve = _IMPROVE_START.search(text, from_)
    if improve:
        return text[: improve.start()], text[improve.start():]
    return text, ""


def _items(part: str, problems: bool) -> list[str]:
    """The points of a part of section 五, dropping its lead-in sentence."""
    body = re.sub(r"^[（(][一二三四五六七八九十][）)]\s*(?:存在的?主要问题|主要问题|存在问题|改进措施|改进情况)[：:]?",
                  "", part.strip())
    items = _enumerated(body)
    if items:
        return items
    items = _listed(body) if problems else []
    if items:
        return items
    sentences = [s.strip() for s in re.split(r"(?<=[。；;])", body) if len(s.strip()) >= 6]
    return sentences


def _section5_fields(text: str, offset: int) -> dict[str, Any]:
    problems, improvements = _split_problems(text)
    out: dict[str, Any] = {}
    for key, part, at in (("s5.problems", problems, offset),
                          ("s5.improvements", improvements, offset + len(problems))):
        items = [clean_display(i).rstrip("。；;，, ") for i in _items(part, key == "s5.problems")]
        items = [i for i in items if i]
        if items:
            out[key] = (items, at, at + len(part), part.strip())
    return out


# --- section 六 --------------------------------------------------------------------------------------

_FEES = re.compile(r"信息处理费|处理费|收费|收取费用")
_NPC = re.compile(r"人大(?:代表)?(?:建议|议案)")
_CPPCC = re.compile(r"政协(?:委员)?提案")


def _section6_fields(text: str, offset: int) -> dict[str, tuple[str, int, int, str]]:
    out: dict[str, tuple[str, int, int, str]] = {}
    fees: list[tuple[int, tuple[str, int, int, str]]] = []
    for clause, at in _clauses(text, offset):
        cue = _FEES.search(clause)
        if cue:
            money = re.search(r"(\d+(?:\.\d+)?)\s*(?:万)?元", clause)
            none = re.search(r"(?:未|没有|无|不)(?:收取|发生|产生)?[^。；]{0,12}?(?:费|收费)|收费(?:金额)?为?\s*0|0\s*元", clause)
            value = money.group(1) + "元" if money else ("未收取" if none else clause.strip())
            # A clause that says how much (or none) over one that only speaks of fees.
            fees.append((0 if money or none else 1, (value, at + cue.start(), at + len(clause), clause.strip())))
    if fees:
        out["s6.fees"] = min(fees, key=lambda f: f[0])[1]
    for clause, at in _clauses(text, offset):
        for key, pattern in (("s6.npc", _NPC), ("s6.cppcc", _CPPCC)):
            cue = pattern.search(clause)
            if cue and key not in out:
                fig = _figure_after(clause, cue)
                if fig:
                    out[key] = (fig.group(1), at + fig.start(1), at + fig.end(1), clause.strip())
    return out


# --- all of it -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    section: str  # the report's section label the value comes from
    value: str | None  # None: the report leaves it empty
    items: tuple[str, ...] = ()
    text: str = ""  # the sentence or clause that gives it
    start: int | None = None
    end: int | None = None

    @property
    def empty(self) -> bool:
        return self.value is None and not self.items

    def shown(self) -> str:
        if self.empty:
            return EMPTY
        if self.items:
            return "；".join(f"{i + 1}. {item}" for i, item in enumerate(self.items))
        return self.value or ""

    def as_data(self) -> dict[str, Any]:
        return {"field": self.key, "label": self.label, "value": self.value, "items": list(self.items),
                "text": self.text, "start": self.start, "end": self.end}


def extract_fields(text: str, sections: list[tuple[str, str, str]]) -> list[Field]:
    """Every catalogue field of a report. `sections`: (number, label, body) in document order."""
    labels = {template_number(number, label): label for number, label, _ in sections}
    found: dict[str, tuple[Any, int, int, str]] = {}
    found.update(_contact_fields(text))
    unplaced: set[str] = set()  # fields of a section whose text the layout repair changed
    for given, label, body in sections:
        number = template_number(given, label)
        at = text.find(body[:30]) if body else -1
        before = set(found)
        if number == "一":
            found.update({k: v for k, v in _channel_fields(body, at).items() if k not in found})
        elif number == "二":  # some reports give the total in section 二's prose
            for k, v in _channel_fields(body, at).items():
                if k == "s1.published_total" and k not in found:
                    found[k] = v
        elif number == "五":
            found.update(_section5_fields(body, at))
        elif number == "六":
            found.update(_section6_fields(body, at))
        if at < 0:
            unplaced |= set(found) - before
    out = []
    for spec in FIELDS:
        section = labels.get(spec.section, "报告说明" if spec.section == "说明" else "")
        if spec.key.startswith("contact.") and spec.key in found:
            section = _section_of(found[spec.key][1], text, sections) or section
        if spec.key not in found:
            out.append(Field(spec.key, spec.label, section, None))
            continue
        value, at, to, source = found[spec.key]
        start: int | None = None if spec.key in unplaced or at < 0 else at
        end: int | None = None if spec.key in unplaced or at < 0 else to
        if spec.kind == "list":
            out.append(Field(spec.key, spec.label, section, None, tuple(value), source, start, end))
        else:
            out.append(Field(spec.key, spec.label, section, str(value), (), source, start, end))
    return out


def template_number(number: str, label: str) -> str:
    """The template's section a report section is, by its title (some reports skip a number)."""
    title = re.sub(r"\s+", "", label)
    for template, pattern in (("一", r"总体情况"), ("五", r"问题"), ("六", r"其他需要报告"),
                              ("二", r"主动公开"), ("三", r"申请"), ("四", r"复议|诉讼")):
        if re.search(pattern, title):
            return template
    return number


def _section_of(offset: int, text: str, sections: list[tuple[str, str, str]]) -> str:
    best = ""
    for _number, label, body in sections:
        at = text.find(body[:30]) if body else -1
        if 0 <= at <= offset:
            best = label
    return best


def _sentence_at(text: str, offset: int) -> str:
    start = max(text.rfind(c, 0, offset) for c in "。\n") + 1
    ends = [i for i in (text.find(c, offset) for c in "。\n") if i >= 0]
    end = min(ends) + 1 if ends else len(text)
    return clean_display(text[start:end])[:300]
