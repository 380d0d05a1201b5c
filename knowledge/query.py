"""What a question asks: its terms with weights, its type, and the agency and year it names."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from rapidfuzz import fuzz, process

from knowledge.agencies import agency_aliases, bare_aliases, department_mentions, identity
from knowledge.index import DocInfo, Index
from knowledge.textproc import (
    LIGHT,
    canonical,
    fix_typos,
    inner_words,
    is_word,
    lightness,
    normalize,
    tokenize,
)
from knowledge.understand import (
    IntentIndex,
    detect_fields,
    ordinal,
    relative_year,
    report_scoped,
    section_asked,
    table_of,
)

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
    # Slots of the typed query (knowledge.understand):
    scoped: bool = False  # about a report (agency, year or the report named)
    fields: list[str] = field(default_factory=list)  # report fields asked for (knowledge.fields)
    table: str = ""  # the template table (二、三、四) a figure question is about
    intents: list[tuple[int, float]] = field(default_factory=list)  # guide entries, best first
    ordinal: int | None = None  # 第二条: the item of a list asked for
    section: str = ""  # a report's section asked about as a whole (一 … 六, 五 aside)
    years: list[int] = field(default_factory=list)  # every year named, first first
    unknown_agency: str = ""  # a department named that no loaded report is of
    nearest_agencies: list[str] = field(default_factory=list)

    @property
    def intent(self) -> int | None:
        """The guide entry this question asks, when one stands out."""
        return self.intents[0][0] if self.intents and self.intents[0][1] >= 0.30 else None

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
def _alias_terms(agency: str) -> frozenset[str]:
    """The words of an agency's names: they say which report, not what is asked."""
    return frozenset(t for alias in agency_aliases(agency) for t in tokenize(alias))


def _place_in(place: str, agency: str) -> bool:
    """Whether a place as written (福州市, 平潭) is the place of an agency's name, with or without 市/县/区."""
    stem = re.sub(r"(?:省|市|县|区|州|旗)$", "", place)
    return bool(stem) and stem in agency


def _starts(text: str, part: str) -> list[int]:
    return [m.start() for m in re.finditer(re.escape(part), text)]


class AgencyTable:
    """Every alias of every report's agency, looked up in one pass over the question."""

    def __init__(self, docs: list[DocInfo]) -> None:
        self.by_alias: dict[str, set[str]] = {}
        self.bare: dict[str, set[str]] = {}  # aliases that name no place: 公安局, 发改委
        for agency in {d.agency for d in docs if d.kind == "report"}:
            bare = bare_aliases(agency)
            for alias in agency_aliases(agency):
                (self.bare if alias in bare else self.by_alias).setdefault(alias, set()).add(agency)
        # One character off (OCR slips such as 沐阳/沭阳) for names of 3+ characters whose last
        # character (县, 区, 市 …) is right: each alias with one inner character masked.
        self.masked: dict[str, set[str]] = {}
        for alias in self.by_alias:
            if len(alias) >= 3:
                for i in range(len(alias) - 1):
                    self.masked.setdefault(alias[:i] + "?" + alias[i + 1:], set()).add(alias)
        self.lengths = sorted({len(a) for a in self.by_alias}, reverse=True)
        self.all_aliases = sorted(set(self.by_alias) | set(self.bare))
        # Names of one agency as different reports write them count as one agency.
        self.same: dict[str, set[str]] = {}
        for agency in {d.agency for d in docs if d.kind == "report"}:
            self.same.setdefault(identity(agency), set()).add(agency)

    def _grouped(self, agencies: set[str]) -> set[str]:
        return {name for a in agencies for name in self.same.get(identity(a), {a})}

    def distinct(self, agencies: set[str]) -> int:
        """How many different agencies these names are."""
        return len({identity(a) for a in agencies})

    def _found(self, norm: str) -> set[str]:
        found = {a for a in self.by_alias if a in norm}
        longest = max((len(a) for a in found), default=0)
        # A longer name with its last character mistyped (上海市科为 for 上海市科委) names more than the
        # place it starts with — unless its last two characters are a word of their own (上海市科技).
        slips = {a for a in self.by_alias if len(a) >= 4 and len(a) > longest and a[:-1] in norm and a not in norm
                 and any(norm[i + len(a) - 1:i + len(a)] not in ("", a[-1])
                         and not is_word(norm[i + len(a) - 2:i + len(a)])
                         for i in _starts(norm, a[:-1]))}
        if found or slips:
            return found | slips
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

    def written(self, norm: str, agencies: set[str]) -> list[str]:
        """How the question writes the agencies it names: their aliases, or a window one character off
        one (沭阳县 for the report's 沐阳县), longest first."""
        aliases = {a for table in (self.by_alias, self.bare) for a, named in table.items() if named & agencies}
        spans = {a for a in aliases if a in norm}
        for alias in aliases - spans:
            n = len(alias)
            if n < 3:
                continue
            for start in range(len(norm) - n + 1):
                window = norm[start:start + n]
                if window[-1] == alias[-1] and sum(x != y for x, y in zip(window, alias, strict=True)) == 1:
                    # … and its shorter names written the same way (沭阳 with 沭阳县)
                    spans |= {window[:len(a)] for a in aliases if len(a) >= 2 and alias.startswith(a)}
        return sorted(spans, key=len, reverse=True)

    def _agencies(self, aliases: set[str], table: dict[str, set[str]]) -> set[str]:
        best: dict[str, int] = {}
        for alias in aliases:
            for agency in table[alias]:
                best[agency] = max(best.get(agency, 0), len(alias))
        if not best:
            return set()
        top = max(best.values())
        return {a for a, n in best.items() if n == top}

    def mentioned(self, norm: str) -> set[str]:
        """Agencies the question names; the most specific mention wins (洪泽区 over 淮安市)."""
        return self._grouped(self._mentioned(norm))

    def _mentioned(self, norm: str) -> set[str]:
        named = self._agencies(self._found(norm), self.by_alias)
        # 公安局 alone names the loaded 公安局 — unless a place is named too (平潭公安局 is found above),
        # or it follows a place no loaded agency is of (福州市公安局: another city's, not loaded).
        bare = {a for a in self.bare if a in norm and not self._elsewhere(norm, a)}
        if bare:
            by_bare = self._agencies(bare, self.bare)
            if not named:
                return by_bare
            # 平潭 names the government; 平潭…公安局 names the department of that place.
            inside = {a for a in by_bare if any(a.startswith(n) or n in a for n in named)}
            # 鹤城区公安局 with only 平潭's 公安局 loaded: a department of that place that is not loaded.
            return inside
        return named

    def _elsewhere(self, norm: str, bare: str) -> bool:
        """Whether every mention of a bare department name follows a place that no loaded agency's name
        holds (福州市公安局 when only 平潭's 公安局 is loaded)."""
        places = [m.group(1) for m in re.finditer(rf"([\u4e00-\u9fff]{{1,8}}?(?:省|市|县|区|州|旗))(?={re.escape(bare)})", norm)]
        if not places or len(places) < norm.count(bare):
            return False
        agencies = {a for a in self.bare.get(bare, set())}
        return all(not any(_place_in(place, a) for a in agencies) for place in places)

    def fuzzy(self, mention: str) -> tuple[set[str], list[str]]:
        """A department named slightly differently: the agency when one is clearly nearest, and the
        nearest few names either way."""
        if not self.all_aliases:
            return set(), []
        hits = process.extract(mention, self.all_aliases, scorer=fuzz.ratio, processor=None, limit=10)
        by_agency: dict[str, float] = {}
        for alias, score, _ in hits:
            for agency in self.by_alias.get(alias, set()) | self.bare.get(alias, set()):
                by_agency[agency] = max(by_agency.get(agency, 0.0), score)
        ranked = sorted(by_agency.items(), key=lambda kv: -kv[1])
        nearest = [a for a, _ in ranked[:3]]
        if ranked and ranked[0][1] >= 80 and (len(ranked) == 1 or ranked[0][1] - ranked[1][1] >= 8):
            return self._grouped({ranked[0][0]}), nearest
        return set(), nearest


def analyse(question: str, index: Index, agencies_table: AgencyTable, *, today: date | None = None,
            intents: IntentIndex | None = None) -> Query:
    """The typed query: terms, answer type, agency, year, report field, procedure intent."""
    norm = fix_typos(normalize(question))
    agencies = agencies_table.mentioned(norm)
    unknown, nearest = "", []
    spans = agencies_table.written(norm, agencies) if agencies else []
    if not agencies and _asks_a_report(norm):
        for mention in department_mentions(norm):
            found, near = agencies_table.fuzzy(mention)
            if found:
                agencies, spans = found, [mention]
                break
            if _names_department(mention):
                unknown, nearest = mention, near
    years = [int(y) for y in _YEAR.findall(norm)]
    if not years and today is not None:
        relative = relative_year(norm, today)
        if relative is not None:
            years = [relative]
    scope_words: set[str] = set()
    for agency in agencies:
        scope_words |= _alias_terms(agency)
    # The agency as written says which report, not what is asked: its words are no terms (沭 of a
    # misspelt 沭阳县 would otherwise weigh more than the question).
    unnamed = norm
    for span in spans:
        unnamed = unnamed.replace(span, "，")
    terms = []
    for t in tokenize(unnamed, for_index=False):
        if t in scope_words or _YEAR.fullmatch(t) or t in terms:
            continue
        terms.append(t)
    # About a report's figures, a long message's story is not the question (a procedure question's story
    # often is: 他们说不归他们管，这样合法吗).
    told = _story_terms(norm) if agencies or years else set()
    weights = {t: index.idf(t) * lightness(t) * (STORY if t in told else 1.0) for t in terms}
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
    query = Query(question, norm, terms, weights, types, years[0] if years else None, agencies, parts, articles)
    query.scoped = report_scoped(norm, bool(agencies), bool(years))
    query.fields = detect_fields(norm, types, query.scoped)
    query.table = table_of(norm) if "number" in types and query.scoped else ""
    query.section = section_asked(norm) if query.scoped and not query.fields and not query.table else ""
    query.ordinal = ordinal(norm) if any(k.startswith("s5.") for k in query.fields) else None
    query.years = years
    query.unknown_agency, query.nearest_agencies = unknown, nearest
    if intents is not None:
        query.intents = intents.classify(norm, weights)
        if not (agencies or years) and query.intents and query.intents[0][1] >= 0.45:
            # Asked the way a procedure is asked, naming no report: the procedure, not a field.
            query.fields, query.table = [], ""
    return query


_ASKING = re.compile(r"多少|几[个件条篇项次封轮]?|什么|啥|哪|怎么|怎样|如何|咋|吗|么|是否|能否|可否|要不要|能不能|可不可以|"
                     r"有没有|会不会|算不算|[?？]")
_CLAUSE = re.compile(r"[^，,。.！!？?；;]+[，,。.！!？?；;]?")
STORY_MIN = 30  # characters: a shorter question is all question
STORY = LIGHT  # the share of its weight a word keeps that only the story of a figure question says


def _story_terms(norm: str) -> set[str]:
    """The words a long message only tells (我在洪泽开了个小厂，环保检查挺多的，…), not in a clause that
    asks: they keep a light word's weight, so the story does not drown the question."""
    if len(norm) < STORY_MIN:
        return set()
    clauses = _CLAUSE.findall(norm)
    asking = [c for c in clauses if _ASKING.search(c)]
    if not asking or len(asking) == len(clauses):
        return set()
    asked = {t for c in asking for t in tokenize(c, for_index=False)}
    return {t for c in clauses if c not in asking for t in tokenize(c, for_index=False)} - asked


_GOVERNMENT_WORDS = re.compile(r"(?:局|委员会|委|厅|办公室|管委会|政府)$")
_NOT_AGENCY = re.compile(r"^(?:行政机关|机关|有关部门|政府部门|相关部门|本机关|该机关|哪个部门|上级|人民政府|政府)$")


_PLACE_START = re.compile(r"^[\u4e00-\u9fff]{1,8}?(?:省|市|区|县|镇|乡|旗|综合实验区|新区)")
_REPORT_ASK = re.compile(r"年报|年度报告|报告|多少|几[个件条篇项次封]|电话|邮箱|地址|邮编|传真|网址|问题|不足|措施|"
                         r"(?:19|20)\d{2}年|今年|去年|前年")


def _asks_a_report(norm: str) -> bool:
    """A question about some agency's report or figures (a procedure question names agencies too)."""
    return bool(_REPORT_ASK.search(norm))


def _names_department(mention: str) -> bool:
    """A mention that names a particular agency (人社局, 北京市发改委), not 'the agency' in general."""
    if not _GOVERNMENT_WORDS.search(mention) or _NOT_AGENCY.match(mention) or \
            re.search(r"哪个|什么|哪|该|本|这个|那个|上级|有关|相关|行政机关|某|各|每个|所有|全部|任何|这些|那些", mention):
        return False
    if re.search(r"[了的是在有多少几共么吗呢啥向给过把被对问想要]|申请|\d", mention):
        return False  # a run of words that ends in 政府, not a name
    if _PLACE_START.match(mention) and len(mention) >= 4:
        return True  # 北京市发改委, 福州市公安局
    return bool(re.fullmatch(r"[\u4e00-\u9fff]{1,6}(?:局|委|厅)", mention)) and not mention.endswith("政府")


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
