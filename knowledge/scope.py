"""Which documents a question is about, and questions that are not for this bot at all."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.index import DocInfo, Index
from knowledge.query import Query
from knowledge.textproc import is_word

# A question about disclosure, reports or this office mentions one of these.
_DOMAIN = re.compile(
    r"公开|政府信息|政务|申请|条例|年报|报告|答复|复议|诉讼|补正|信息处理费|政府网站|门户网站|信箱|热线|"
    r"行政许可|行政处罚|行政强制|规范性文件|规章|收费|领导小组|办公室|统计|公众号|新媒体|信息"
)
# A request for a public service or a grievance: the work of the 12345 hotline, not of disclosure.
_SERVICE = re.compile(
    r"投诉|举报|噪音|噪声|扰民|信访|上访|维权|纠纷|违章|乱停|污染|欠薪|拖欠|补办|办证|怎么办理|如何办理|去哪办|"
    r"在哪办|报名|预约|挂号|申领|报修|求助|"
    r"办(?:理)?[\u4e00-\u9fff]{0,5}?(?:证|照|卡)|(?:证|照|卡)[\u4e00-\u9fff]{0,3}?(?:办|换|挂失)")  # 办身份证, 社保卡怎么办
INTENT_IN_SCOPE = 0.30  # a procedure intent this close makes a question in scope (the matcher's floor)


def out_of_scope(query: Query, index: Index | None = None) -> str:
    """'complaint' or 'out_of_scope' for questions this bot must not try to answer, else ''.

    A question is in scope when it touches disclosure (its vocabulary), names a loaded report's
    agency, asks for a report's field or table, or is asked like one of the guide's procedures.
    Otherwise it is for someone else: a service or a grievance → 12345, anything else → 'not mine'."""
    norm = query.norm
    about_disclosure = bool(_DOMAIN.search(norm) or _DOMAIN.search(" ".join(query.terms)) or query.agencies or query.fields or query.table
                            or query.year is not None or query.articles)
    if about_disclosure:
        return ""
    if _SERVICE.search(norm):
        return "complaint"
    # Asked like a guide procedure, or in the words of the loaded documents (办结率, 央网转载 …).
    if query.intents and query.intents[0][1] >= INTENT_IN_SCOPE:
        return ""
    if index is not None and query.weights and all(index.known(t) for t, w in query.weights.items() if w >= 0.5):
        return ""  # every word is one the loaded documents use: a subject they speak of
    return "out_of_scope"


_PLACE_MENTION = re.compile(r"[\u4e00-\u9fff]{2,8}?(?:省|自治区|自治州|市|县|区|旗)(?![长委级属直内政])")


def unknown_place(query: Query, index: Index) -> str:
    """A place a figure question names that no loaded document mentions (北京市 → no report)."""
    if query.agencies or not ("number" in query.types or query.year is not None):
        return ""
    for place in _PLACE_MENTION.findall(query.norm):
        place = place.lstrip("在从对向于给的")
        # Only names the dictionary knows as words (北京市, 深圳市), not runs such as 央网省.
        if len(place) >= 3 and is_word(place) and not index.mentions(place):
            return f"{place}{query.year}年" if query.year else place
    return ""


_FACT_TYPES = {"email", "phone", "place", "number", "period"}


@dataclass
class Scope:
    doc_ids: set[int]
    prior: dict[int, float] = field(default_factory=dict)
    missing: str = ""  # an agency/year the question names that no loaded report covers


def _always(docs: list[DocInfo]) -> set[int]:
    return {d.id for d in docs if d.kind != "report"}


def _newest_first(reports: list[DocInfo]) -> dict[int, float]:
    """A small prior for the newest report of each agency."""
    prior: dict[int, float] = {}
    newest: dict[str, int] = {}
    for d in reports:
        if d.year is not None and d.year > newest.get(d.agency, 0):
            newest[d.agency] = d.year
    for d in reports:
        prior[d.id] = 0.02 if d.year == newest.get(d.agency) else 0.0
    return prior


def _covers_nothing(year: int, reports: list[DocInfo]) -> bool:
    """A year after which no loaded report was written (a report of Y may speak of Y+1's plans)."""
    return not any(d.year is not None and d.year <= year <= d.year + 1 for d in reports)


def resolve_scope(query: Query, docs: list[DocInfo], home_agency: str) -> Scope:
    reports = [d for d in docs if d.kind == "report"]
    guide_prior = {d.id: 0.02 for d in docs if d.kind == "guide"}
    if query.agencies:
        chosen = [d for d in reports if d.agency in query.agencies]
        if query.year is not None:
            same_year = [d for d in chosen if d.year == query.year]
            # 针对2022年报…2023年: of the years named, the one with a report; plans for Y stand in
            # the report of Y-1 (鹤城区2020年改进措施 → the 2019 report).
            for year in query.years[1:]:
                same_year = same_year or [d for d in chosen if d.year == year]
            if not same_year and "s5.improvements" in query.fields:
                same_year = [d for d in chosen if d.year == query.year - 1]
            if not same_year:
                agency = sorted(query.agencies)[0]
                return Scope(set(), missing=f"{agency}{query.year}年")
            chosen = same_year
    else:
        home = [d for d in reports if home_agency and home_agency in d.agency] or reports
        chosen = home
        if query.year is not None:
            year_home = [d for d in home if d.year == query.year]
            year_any = [d for d in reports if d.year == query.year]
            if not (year_home or year_any) and "number" in query.types and _covers_nothing(query.year, reports):
                # 2021年收到多少申请 with no report of 2021: not a figure from another year.
                return Scope(set(), missing=f"{query.year}年")
            chosen = year_home or year_any or home
    prior = {**_newest_first(chosen), **guide_prior}
    if query.agencies and _FACT_TYPES & set(query.types):
        # 淮安市的邮箱 / 电话 / 多少件: a fact of that agency, which only its reports give.
        return Scope({d.id for d in chosen}, prior)
    if query.agencies or query.year is not None:
        # A question that names an agency or a year asks about a report, not the rules.
        for d in chosen:
            prior[d.id] = prior.get(d.id, 0.0) + 0.05
    return Scope({d.id for d in chosen} | _always(docs), prior)
