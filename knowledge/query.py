"""What a question asks: its terms with weights, its type, and the agency and year it names."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from knowledge.index import DocInfo, Index
from knowledge.textproc import canonical, inner_words, normalize, tokenize

# Question-type cues, looked for in the normalized question.
_TYPE_CUES: dict[str, re.Pattern[str]] = {
    "email": re.compile(r"邮箱|邮件|email|e-mail|电邮|信箱地址"),
    "phone": re.compile(r"电话|号码|热线号|联系方式|怎么联系|如何联系|打给谁"),
    "place": re.compile(r"地址|在哪(?![些个种类一])|哪里|什么地方|何处|哪儿|位置|地点|在什么地方"),
    "duration": re.compile(r"多久|多长时间|多长|期限|几天|多少天|几个工作日|多少个工作日|时限|多少日"),
    "period": re.compile(r"哪段时间|什么时间段|统计期限|时间范围|哪一年|起止|什么时候|何时|哪天"),
    "number": re.compile(r"多少|几[个项件条篇封次家位名期场]|几|数量|总数|总量|多大|比例|百分之|占比|金额"),
    "list": re.compile(r"哪些|什么措施|有什么|包括|几个方面|措施|做法|举措|怎么做|如何做|打算"),
    "definition": re.compile(r"什么是|是什么意思|是什么|指什么|什么叫|何为|含义|定义|什么意思"),
}
_PATTERNS: dict[str, re.Pattern[str]] = {
    "email": re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    "phone": re.compile(r"(?<!\d)(?:0\d{2,3}-?\d{7,8}|12345|1[3-9]\d{9})(?!\d)"),
    "place": re.compile(r"地址|[路街道巷]\d*号|大道|大楼|楼\d*层|\d+楼|[一二三四五六七八九十]楼|主楼|大厦|行政中心|\d+室"),
    "duration": re.compile(r"\d+个?(?:工作日|日|天|月|年|小时)|当场"),
    "period": re.compile(r"\d{4}年\d{1,2}月\d{1,2}日|\d{1,2}月\d{1,2}日|\d{4}年"),
    "list": re.compile(r"一是|[（(]一[）)]|1[.、]|：$"),
    "definition": re.compile(r"是指|指的是|所称|称为|意思是|是行政机关"),
    "number": re.compile(
        r"(?<![\d.])\d+(?:\.\d+)?(?:\s*[%万亿]?[元件条篇项个封次家位名期场人户批所座起例部段类种章节处]|%)|[：:]\s*\d+(?:\.\d+)?。?$"
    ),
}
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:年|年度)?(?!\d)")
_ADMIN_UNIT = re.compile(r"[\u4e00-\u9fff]+?(?:综合实验区|自治州|自治县|新区|省|市|区|县)")
_AGENCY_SUFFIX = re.compile(r"(人民政府办公厅|人民政府办公室|人民政府|政府办公厅|政府办公室|政府|管委会|委员会)$")
_ABBREVIATIONS = {"科委": "科学技术委员会", "发改委": "发展和改革委员会", "卫健委": "卫生健康委员会",
                  "教委": "教育委员会", "经信委": "经济和信息化委员会"}


@dataclass
class Query:
    raw: str
    norm: str
    terms: list[str]
    weights: dict[str, float]
    types: list[str]
    year: int | None = None
    agencies: set[str] = field(default_factory=set)
    parts: dict[str, list[tuple[int, int, str]]] = field(default_factory=dict)
    articles: list[str] = field(default_factory=list)

    def coverage(self, present: frozenset[str] | set[str]) -> float:
        """Share of the question's weight found in `present`; a long word counts in part when the
        words inside it are there (统计期限 ← 统计 + 期限)."""
        got = 0.0
        for term, weight in self.weights.items():
            if term in present:
                got += weight
                continue
            mask = [False] * len(term)
            for start, end, word in self.parts.get(term, ()):
                if word in present:
                    mask[start:end] = [True] * (end - start)
            got += weight * 0.9 * (sum(mask) / len(term))
        return got / self.total_weight

    @property
    def total_weight(self) -> float:
        return sum(self.weights.values()) or 1.0


@lru_cache(maxsize=4096)
def agency_aliases(agency: str) -> frozenset[str]:
    """Names a citizen may use for an agency: 淮安市洪泽区人民政府 → 洪泽区, 洪泽, …"""
    agency = normalize(agency)
    aliases = {agency}
    core = _AGENCY_SUFFIX.sub("", agency)
    if len(core) >= 2:
        aliases.add(core)
    units = _ADMIN_UNIT.findall(agency)
    if units:
        last = units[-1]
        rest = agency[agency.index(last) + len(last):]
        tail = _AGENCY_SUFFIX.sub("", rest)
        if not tail:  # the agency is the government of that unit
            aliases.add(last)
            if len(last) >= 3:
                aliases.add(last[:-1] if not last.endswith("综合实验区") else last[: -len("综合实验区")])
        else:
            aliases.update({last + tail, tail} if len(tail) >= 2 else {last + tail})
    for short, full in _ABBREVIATIONS.items():
        for a in list(aliases):
            if short in a:
                aliases.add(a.replace(short, full))
    return frozenset(a for a in aliases if len(a) >= 2)


@lru_cache(maxsize=4096)
def _alias_terms(agency: str) -> frozenset[str]:
    """The words of an agency's names: they say which report, not what is asked."""
    return frozenset(t for alias in agency_aliases(agency) for t in tokenize(alias))


class AgencyTable:
    """Every alias of every report's agency, looked up in one pass over the question."""

    def __init__(self, docs: list[DocInfo]) -> None:
        self.by_alias: dict[str, set[str]] = {}
        for agency in {d.agency for d in docs if d.kind == "report"}:
            for alias in agency_aliases(agency):
                self.by_alias.setdefault(alias, set()).add(agency)
        # One character off (OCR slips such as 沐阳/沭阳) for names of 3+ characters whose last
        # character (县, 区, 市 …) is right: each alias with one inner character masked.
        self.masked: dict[str, set[str]] = {}
        for alias in self.by_alias:
            if len(alias) >= 3:
                for i in range(len(alias) - 1):
                    self.masked.setdefault(alias[:i] + "?" + alias[i + 1:], set()).add(alias)
        self.lengths = sorted({len(a) for a in self.by_alias}, reverse=True)

    def _found(self, norm: str) -> set[str]:
        found = {a for a in self.by_alias if a in norm}
        if found:
            return found
        ends = {a[-1] for a in self.by_alias}
        for n in self.lengths:
            if n < 3:
                continue
            for start in range(len(norm) - n + 1):
                if norm[start + n - 1] not in ends:  # the last character must be right (县, 区, 市 …)
                    continue
                window = norm[start : start + n]
                for i in range(n - 1):
                    found |= self.masked.get(window[:i] + "?" + window[i + 1:], set())
        return found

    def mentioned(self, norm: str) -> set[str]:
        """Agencies the question names; the most specific mention wins (洪泽区 over 淮安市)."""
        best: dict[str, int] = {}
        for alias in self._found(norm):
            for agency in self.by_alias[alias]:
                best[agency] = max(best.get(agency, 0), len(alias))
        if not best:
            return set()
        top = max(best.values())
        return {a for a, n in best.items() if n == top}


def analyse(question: str, index: Index, agencies_table: AgencyTable) -> Query:
    norm = normalize(question)
    agencies = agencies_table.mentioned(norm)
    years = [int(y) for y in _YEAR.findall(norm)]
    scope_words: set[str] = set()
    for agency in agencies:
        scope_words |= _alias_terms(agency)
    terms = []
    for t in tokenize(norm, for_index=False):
        if t in scope_words or _YEAR.fullmatch(t) or t in terms:
            continue
        terms.append(t)
    # A single character says little on its own (写, 说, 钱 …).
    weights = {t: index.idf(t) * (0.3 if len(t) == 1 and not t.isascii() else 1.0) for t in terms}
    parts = {t: _parts(t) for t in terms if len(t) >= 3 and not t.isascii()}
    types = [name for name, cue in _TYPE_CUES.items() if cue.search(norm)]
    if "email" in types and "place" in types:
        types.remove("place")  # 发邮件到哪里 asks for an address of mail, not a building
    if "number" in types and ("duration" in types or "phone" in types or "email" in types):
        types.remove("number")
    if "definition" in types and len(types) > 1:
        types = ["definition"]  # 什么是… asks for a meaning, whatever else it mentions
    if "list" in types and len(types) > 1:
        types.remove("list")
    articles = re.findall(r"第\d+条", norm)
    return Query(question, norm, terms, weights, types, years[0] if years else None, agencies, parts, articles)


def _parts(term: str) -> list[tuple[int, int, str]]:
    out = []
    for word in inner_words(term):
        start = term.find(word)
        out.append((start, start + len(word), canonical(word)))
    return out


def type_fit(query: Query, text: str) -> float:
    """1 when the text holds what the question type wants, 0 when it does not, 0.5 with no type."""
    if not query.types or query.types == ["list"]:
        return 0.5
    if query.types == ["definition"]:
        norm = normalize(text)
        return 1.0 if any(re.search(rf"{re.escape(t)}[,，]?(?:是指|指的是)|所称{re.escape(t)}", norm)
                          for t in query.terms) else 0.0
    return 1.0 if any(_PATTERNS[t].search(text) for t in query.types) else 0.0
