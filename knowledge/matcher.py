"""Answer a question from the index: recall, features, a score, the sentence(s) that answer, or abstain."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from knowledge.index import DocInfo, Entry, Index
from knowledge.query import AgencyTable, Query, analyse, type_fit
from knowledge.scope import Scope, out_of_scope, resolve_scope, unknown_place
from knowledge.service import KnowledgeBase
from knowledge.textproc import normalize

MAX_ANSWER = 330  # leaves room for the citation within the 400 characters a citizen reads
RECALL = 60
RERANK = 15
FLOOR = 0.50
MARGIN = 0.03
MAX_QUESTION = 500


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


class Matcher:
    def __init__(self, knowledge: KnowledgeBase, *, home_agency: str = "") -> None:
        self.knowledge = knowledge
        self.home_agency = home_agency
        self._prepared: tuple[Index, list[DocInfo], AgencyTable] | None = None

    def _prepare(self) -> tuple[Index, list[DocInfo], AgencyTable]:
        """The current index with its documents and agency names, worked out once per index."""
        index = self.knowledge.index()
        if self._prepared is None or self._prepared[0] is not index:
            docs = _docs(index)
            self._prepared = (index, docs, AgencyTable(docs))
        return self._prepared

    def answer(self, question: str) -> Answer:
        question = question.strip()
        if not re.search(r"[\w\u4e00-\u9fff]", question):
            return Answer(question, False, "none", reason="empty")
        index, docs, agencies = self._prepare()
        query = analyse(question[:MAX_QUESTION], index, agencies)
        reason = out_of_scope(query)
        if reason:
            return Answer(question, False, "none", reason=reason)
        unknown = unknown_place(query, index)
        if unknown:
            return Answer(question, False, "none", reason="no_report",
                          data={"missing": unknown, "available": _available(docs)})
        scope = resolve_scope(query, docs, self.home_agency)
        if scope.missing:
            return Answer(question, False, "none", reason="no_report",
                          data={"missing": scope.missing, "available": _available(docs)})
        ranked = self._rank(query, index, scope)
        return self._decide(query, index, ranked)

    def _rank(self, query: Query, index: Index, scope: Scope) -> list[Candidate]:
        known = [t for t in query.terms if index.known(t)]
        hits = index.search(known, scope.doc_ids, RECALL)
        if not hits:
            return []
        top_bm25 = hits[0][1] or 1.0
        # An empty section answers only a question about the report's figures.
        about_report = "number" in query.types or bool(query.agencies) or query.year is not None
        hits = [(i, s) for i, s in hits if about_report or index.entries[i].kind != "empty_section"]
        # Two stages: a cheap score (coverage, BM25, prior, a guide entry's title) keeps the few worth
        # the full features.
        def cheap(hit: tuple[int, float]) -> float:
            e = index.entries[hit[0]]
            title = fuzz.ratio(query.norm, e.context_norm, processor=None) / 100 if e.kind == "guide" else 0.0
            return (0.6 * query.coverage(e.context_terms.union(e.terms)) + 0.4 * hit[1] / top_bm25
                    + 0.3 * title + scope.prior.get(e.doc.id, 0.0))

        kept = sorted(hits, key=cheap, reverse=True)[:RERANK]
        cands = [self._candidate(query, index, i, s / top_bm25, scope) for i, s in kept]
        cands.sort(key=lambda c: -c.score)
        return cands

    def _candidate(self, query: Query, index: Index, i: int, bm25: float, scope: Scope) -> Candidate:
        e = index.entries[i]
        text = _cut(query, e)
        text_terms = frozenset(e.terms) if text == e.text else frozenset(_terms_in(query, text, e))
        present = text_terms | e.context_terms
        cov = query.coverage(present)
        body_cov = query.coverage(text_terms)
        compact = "".join(query.terms)
        fz = fuzz.partial_ratio(compact, e.norm, processor=None) / 100 if compact else 0.0
        if e.kind == "guide":
            # A guide entry's title is a question: how close is it to the one asked?
            title_sim = max(fuzz.ratio(query.norm, e.context_norm, processor=None),
                            fuzz.partial_ratio(query.norm, e.context_norm, processor=None)) / 100
            fz = 0.4 * fz + 0.6 * title_sim
        # An empty section answers a figure question ("the report gives none"), a little less surely
        # than a sentence that holds a figure.
        fit_text = e.norm if text == e.text else normalize(text)  # 五部分 is a number too
        fit = 0.8 if e.kind == "empty_section" and "number" in query.types else type_fit(query, fit_text)
        # A question whose words stand in a passage's heading is about that part of the document.
        heading = query.coverage(e.context_terms) if e.kind in ("text", "article") else 0.0
        score = 0.50 * cov + 0.10 * body_cov + 0.15 * fz + 0.10 * bm25 + 0.15 * fit + 0.08 * heading
        if query.types and fit == 0.0:
            score -= 0.10
        score += scope.prior.get(e.doc.id, 0.0)
        if e.kind == "cell" and e.data:
            score += _cell_prior(query, e.data)
        if query.articles and e.kind == "article" and normalize(e.item) in query.articles:
            score += 0.3  # the question names this article
        features = {"cov": cov, "body": body_cov, "fz": fz, "bm25": bm25, "fit": fit, "heading": heading}
        return Candidate(i, e, round(score, 4), text, features)

    def _decide(self, query: Query, index: Index, ranked: list[Candidate]) -> Answer:
        if not ranked or ranked[0].score < FLOOR:
            top = ranked[0].score if ranked else 0.0
            return Answer(query.raw, False, "none", score=top, reason="unknown")
        if _WANTS_VALUE & set(query.types):
            # 多少 / 电话 / 邮箱 want a value: a passage without one does not answer (an empty section
            # answers that the report gives none).
            ranked = [c for c in ranked if c.features.get("fit", 0) >= 0.8] or ranked[:0]
            if not ranked or ranked[0].score < FLOOR:
                return Answer(query.raw, False, "none", score=0.0, reason="unknown")
        best = ranked[0]
        siblings = _sibling_cells(best, ranked)
        if len(siblings) > 1:
            e = best.entry
            return Answer(query.raw, True, "cells", score=best.score,
                          sources=[Source(e.doc.title, _section_label(e))],
                          data={"cells": [c.entry.data for c in siblings]})
        rival = next((c for c in ranked[1:] if _conflicts(best, c)), None)
        if rival is not None and best.score - rival.score < MARGIN and "number" in query.types:
            return Answer(query.raw, False, "none", score=best.score, reason="ambiguous",
                          data={"options": [_label(best), _label(rival)]})
        e = best.entry
        kind = "no_figures" if e.kind == "empty_section" else e.kind
        text = _with_enumeration(query, index, best) if e.kind == "text" else best.text
        return Answer(query.raw, True, kind, text=text, score=best.score,
                      sources=[Source(e.doc.title, _section_label(e))], data=e.data)


_FIRST_ROW = "一、本年新收政府信息公开申请数量"
_WANTS_VALUE = {"number", "phone", "email"}


def _cell_prior(query: Query, data: dict[str, object]) -> float:
    """Break ties between cells: a question that names no column means 总计, no row means 本年新收."""
    if data.get("ambiguous"):
        return -0.2
    prior = 0.0
    column = str(data.get("column") or "")
    if column.endswith("总计") and not any(t in normalize(column) for t in query.terms if t != "总计"):
        prior += 0.04  # more than the margin: 总计 is the answer when no column is named
    if data.get("row") == _FIRST_ROW:
        prior += 0.04  # 申请了多少件 means the requests received that year
    return prior


def _sibling_cells(best: Candidate, ranked: list[Candidate]) -> list[Candidate]:
    """Cells of the same row as the best one, about as good: a question such as 行政诉讼总计
    that two columns answer equally; all of them are quoted."""
    if best.entry.kind != "cell" or not best.entry.data:
        return [best]
    row = (best.entry.doc.id, best.entry.data.get("table"), best.entry.data.get("row"), best.entry.data.get("group"))
    total_only = str(best.entry.data.get("column") or "").endswith("总计")  # 总计 answers alone
    out = [best]
    for c in ranked[1:6]:
        d = c.entry.data or {}
        if total_only and not str(d.get("column") or "").endswith("总计"):
            continue
        if c.entry.kind == "cell" and best.score - c.score < MARGIN and \
                c.features.get("body", 0) >= best.features.get("body", 0) - 1e-6 and \
                (c.entry.doc.id, d.get("table"), d.get("row"), d.get("group")) == row:
            out.append(c)
    return out


def _available(docs: list[DocInfo]) -> list[str]:
    """The reports loaded, newest first, as agency and year."""
    reports = sorted((d for d in docs if d.kind == "report"), key=lambda d: (-(d.year or 0), d.agency))
    return [f"{d.agency}{d.year}年" for d in reports]


def _docs(index: Index) -> list[DocInfo]:
    seen: dict[int, DocInfo] = {}
    for e in index.entries:
        seen.setdefault(e.doc.id, e.doc)
    return list(seen.values())


def _terms_in(query: Query, text: str, e: Entry) -> set[str]:
    """The passage's terms that occur in the cut text (the cut drops clauses, not words)."""
    norm = normalize(text)
    return {t for t in e.terms if t in norm}


def _section_label(e: Entry) -> str:
    if e.kind == "guide":
        return e.item
    if e.kind == "article":
        return f"{e.section} {e.item}".strip()
    return " ".join(p for p in (e.section, e.item if e.kind == "text" else "") if p)


def _label(c: Candidate) -> str:
    return f"{c.entry.doc.title}：{c.text[:60]}"


def _numbers(text: str) -> set[str]:
    return set(re.findall(r"\d+(?:\.\d+)?", text))


def _conflicts(a: Candidate, b: Candidate) -> bool:
    """Two answers that give different figures from different places."""
    if a.entry.id == b.entry.id:
        return False
    na, nb = _numbers(a.text), _numbers(b.text)
    return bool(na and nb and not (na & nb))


_ENUMERATOR = re.compile(r"^(?:[一二三四五六七八九十]是|[（(][一二三四五六七八九十]+[）)]|\d+[.、．])")


def _with_enumeration(query: Query, index: Index, best: Candidate) -> str:
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


def _cut(query: Query, e: Entry) -> str:
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
