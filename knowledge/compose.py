"""Answer composition: what a citizen reads of a found passage, field or ambiguity (≤ 400 characters
with the citation), and the data types the matcher returns."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.index import DocInfo, Entry, Index
from knowledge.query import Query, type_fit
from knowledge.textproc import normalize

MAX_ANSWER = 330  # leaves room for the citation within the 400 characters a citizen reads


@dataclass(frozen=True)
class Source:
    document: str
    section: str


@dataclass
class Answer:
    """What the matcher found. ``kind``: text | cell | no_figures | guide | article | none."""

    question: str
    matched: bool
    kind: str
    text: str = ""
    sources: list[Source] = field(default_factory=list)
    score: float = 0.0
    reason: str = ""  # why not matched: empty | out_of_scope | complaint | no_report | unknown | too_long
    data: dict[str, object] | None = None


@dataclass
class Candidate:
    index: int
    entry: Entry
    score: float
    text: str
    features: dict[str, float] = field(default_factory=dict)


def section_label(e: Entry) -> str:
    if e.kind == "guide":
        return e.item
    if e.kind == "article":
        return f"{e.section} {e.item}".strip()
    return " ".join(p for p in (e.section, e.item if e.kind == "text" else "") if p)


def candidate_label(c: Candidate) -> str:
    return f"{c.entry.doc.title}：{c.text[:60]}"


_ENUMERATOR = re.compile(r"^(?:[一二三四五六七八九十]是|[（(][一二三四五六七八九十]+[）)]|\d+[.、．])")


def with_enumeration(query: Query, index: Index, best: Candidate) -> str:
    """For 'what measures / which problems' questions, the points that follow the chosen sentence."""
    text = best.text
    wants_list = "list" in query.types or text.endswith(("：", ":"))
    step = 1
    while wants_list:
        nxt = index.neighbour(best.index, step)
        if nxt is None or nxt.section != best.entry.section or nxt.kind != "text":
            break
        if not (_ENUMERATOR.match(nxt.text) or text.endswith(("：", ":"))):
            break
        if len(text) + len(nxt.text) > MAX_ANSWER:
            if len(text) < MAX_ANSWER - 40:
                text += nxt.text[: MAX_ANSWER - len(text) - 1] + "…"
            break
        text += nxt.text
        step += 1
    return text


_CLAUSE = re.compile(r"(?<=[；;])")
_FACT_TYPES = {"number", "phone", "email", "place", "duration", "period"}


def cut(query: Query, e: Entry) -> str:
    """The part of a passage that answers: whole when short, else the best clauses."""
    text = e.text
    # A question for one figure or contact gets the clause that holds it, not a sentence of ten.
    limit = 60 if _FACT_TYPES & set(query.types) else 160
    if len(text) <= MAX_ANSWER and (e.kind != "text" or len(text) <= limit):
        return text
    sentences = [s for s in re.split(r"(?<=[。！？!?])", text) if s.strip()]
    units = [u for s in sentences for u in _CLAUSE.split(s) if u.strip()]
    if len(units) <= 1:
        return text[:MAX_ANSWER]

    def unit_score(u: str) -> float:
        n = normalize(u)
        cov = sum(w for t, w in query.weights.items() if t in n)
        return cov + (2.0 if type_fit(query, u) == 1.0 and query.types else 0.0)

    best = max(range(len(units)), key=lambda i: unit_score(units[i]))
    out = units[best]
    if len(out) < 40 and best + 1 < len(units) and len(out) + len(units[best + 1]) <= MAX_ANSWER:
        out += units[best + 1]
    return out.strip()


def field_text(e: Entry, ordinal: int | None = None) -> str:
    data = e.data or {}
    items = data.get("items") or []
    if items and ordinal is not None and 1 <= ordinal <= len(items):
        return f"{data.get('label')}第{ordinal}项：{items[ordinal - 1]}"[:MAX_ANSWER]
    if items:
        budget = max(20, (MAX_ANSWER - 20) // len(items) - 5)
        shown = [i if len(i) <= budget else i[: budget - 1] + "…" for i in items]
        return f"{data.get('label')}：" + "；".join(f"{n}. {t}" for n, t in enumerate(shown, 1))
    key = str(data.get("field", ""))
    if key.startswith("contact."):
        return f"{data.get('label')}：{data.get('value')}"
    clause = str(data.get("text") or "")
    if key.startswith("s6.") and clause:
        return clause  # the report's own words (未发生、无收取 …)
    return clause if clause and str(data.get("value")) in clause else f"{data.get('label')}：{data.get('value')}"


def which_agency(query: Query, docs: list[DocInfo]) -> Answer:
    """Two agencies fit what the question names: ask which, each choice a question to ask instead."""
    choices = []
    for agency in sorted(query.agencies):
        year = f"{query.year}年" if query.year and str(query.year) not in query.raw else ""
        choices.append(f"{agency}{year}：{query.raw}")
    return Answer(query.raw, False, "none", reason="ambiguous",
                  data={"options": sorted(query.agencies), "choices": choices})


def choice_question(query: Query, c: Candidate) -> str:
    """A question that picks one of two conflicting answers."""
    doc = c.entry.doc
    where = f"{doc.agency}{doc.year}年" if doc.kind == "report" and doc.year else doc.title
    if c.entry.kind == "cell" and c.entry.data:
        d = c.entry.data
        label = "".join(str(p) for p in (d.get("row"), d.get("column")) if p)
        return f"{where}年报表{d.get('table')}中“{label}”是多少？"
    return f"{where}年报{section_label(c.entry)}中：{c.text[:30]}…是多少？"
