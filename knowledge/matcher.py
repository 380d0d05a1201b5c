"""Answer a question from the index: recall, features, a score, the sentence(s) that answer, or abstain."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import numpy as np
from rapidfuzz import fuzz

from knowledge.compose import (
    MAX_ANSWER,
    Answer,
    Candidate,
    Source,
    candidate_label,
    choice_question,
    cut,
    field_text,
    section_label,
    which_agency,
    with_enumeration,
)
from knowledge.fields import template_number
from knowledge.index import DocInfo, Entry, Index
from knowledge.query import AgencyTable, Query, analyse, type_fit
from knowledge.scope import Scope, out_of_scope, resolve_scope, unknown_place
from knowledge.service import KnowledgeBase
from knowledge.textproc import normalize, tokenize
from knowledge.understand import IntentIndex, Phrasing

RECALL = 60
RERANK = 15
FLOOR = 0.50
MARGIN = 0.03
MAX_QUESTION = 500
INTENT_FLOOR = 0.30  # the intent stage's likeness a procedure answer needs on its own (tuned on dev)
INTENT_MARGIN = 0.03
RETRIEVAL_LEAD = 0.35  # retrieval this much surer than the intent stage keeps its passage


class Matcher:
    def __init__(self, knowledge: KnowledgeBase, *, home_agency: str = "",
                 today: Callable[[], date] | None = None) -> None:
        self.knowledge = knowledge
        self.home_agency = home_agency
        self.today = today or date.today
        self._prepared: tuple[Index, list[DocInfo], AgencyTable, IntentIndex] | None = None

    def _prepare(self) -> tuple[Index, list[DocInfo], AgencyTable, IntentIndex]:
        """The current index with its documents, agency names and intents, worked out once per index."""
        index = self.knowledge.index()
        if self._prepared is None or self._prepared[0] is not index:
            docs = _docs(index)
            self._prepared = (index, docs, AgencyTable(docs), _intents(index))
        return self._prepared

    def understand(self, question: str) -> Query:
        """The typed query of a question (the understanding stage on its own, for tests and tools)."""
        index, _docs_, agencies, intents = self._prepare()
        return analyse(question[:MAX_QUESTION], index, agencies, today=self.today(), intents=intents)

    def answer(self, question: str) -> Answer:
        question = question.strip()
        if not re.search(r"[\w\u4e00-\u9fff]", question):
            return Answer(question, False, "none", reason="empty")
        index, docs, agencies, intents = self._prepare()
        query = analyse(question[:MAX_QUESTION], index, agencies, today=self.today(), intents=intents)
        reason = out_of_scope(query, index)
        if reason:
            return Answer(question, False, "none", reason=reason)
        if agencies.distinct(query.agencies) > 1:
            return which_agency(query, docs)
        if query.unknown_agency:
            return Answer(question, False, "none", reason="no_report",
                          data={"missing": query.unknown_agency,
                                "available": query.nearest_agencies or _available(docs)})
        unknown = unknown_place(query, index)
        if unknown:
            return Answer(question, False, "none", reason="no_report",
                          data={"missing": unknown, "available": _available(docs)})
        scope = resolve_scope(query, docs, self.home_agency)
        if scope.missing:
            return Answer(question, False, "none", reason="no_report",
                          data={"missing": scope.missing, "available": _available(docs)})
        by_field = self._from_fields(query, index, docs, scope) or self._from_section(query, index, docs, scope)
        if by_field is not None:
            return by_field
        ranked = self._rank(query, index, scope)
        found = self._decide(query, index, ranked)
        by_intent = self._from_intent(query, index, scope, found)
        return by_intent or found

    def _from_intent(self, query: Query, index: Index, scope: Scope, found: Answer) -> Answer | None:
        """A procedure question asked as citizens ask it: the guide entry its phrasings point to, when
        it stands out and the question is not about a report."""
        if query.scoped or not query.intents or query.intent is None:
            return None
        top = query.intents[0][1]
        second = query.intents[1][1] if len(query.intents) > 1 else 0.0
        if top < INTENT_FLOOR or top - second < INTENT_MARGIN:
            return None
        i = query.intents[0][0]
        e = index.entries[i]
        if e.doc.id not in scope.doc_ids:
            return None
        if found.matched and found.kind == "guide" and found.sources and found.sources[0].section == e.item:
            return None  # retrieval agrees
        if found.matched and found.score >= top + RETRIEVAL_LEAD:
            return None  # retrieval is much surer of another passage
        if found.matched and "number" in query.types and found.kind != "guide":
            return None  # 多少件 asks a report's figure, which retrieval found
        c = self._candidate(query, index, i, 0.0, scope)
        return Answer(query.raw, True, "guide", text=c.text, score=max(c.score, top),
                      sources=[Source(e.doc.title, section_label(e))], data=e.data)

    def _report(self, query: Query, docs: list[DocInfo], scope: Scope) -> DocInfo | None:
        """The one report a field question is about: the named one, else the newest in scope."""
        reports = [d for d in docs if d.id in scope.doc_ids and d.kind == "report"]
        if not reports or len({d.agency for d in reports}) > 1:
            return None
        return max(reports, key=lambda d: d.year or 0)

    def _retrieved(self, query: Query, index: Index, doc: DocInfo) -> bool:
        """Whether the report's own text answers what its template field leaves empty."""
        ranked = [c for c in self._rank(query, index, Scope({doc.id}, {})) if c.entry.kind != "empty_section"]
        found = self._decide(query, index, ranked)
        return found.matched and found.score >= FLOOR + 0.05

    def _from_fields(self, query: Query, index: Index, docs: list[DocInfo], scope: Scope) -> Answer | None:
        """A question about a template field, answered from the field (or: the report leaves it empty)."""
        if not (query.fields or query.table):
            return None
        doc = self._report(query, docs, scope)
        if doc is None:
            return None
        if query.table and not query.fields:
            empty = _empty_table(index, doc, query.table)
            if empty is None or self._retrieved(query, index, doc):
                return None
            return Answer(query.raw, True, "no_figures", score=1.0,
                          sources=[Source(doc.title, section_label(empty))], data=empty.data)
        fields = index.fields.get(doc.id, {})
        found = [fields[k] for k in query.fields if k in fields]
        given = [e for e in found if e.data and (e.data.get("value") is not None or e.data.get("items"))]
        # A channel's clause answers what it says (posts), not another measure (访问量, 粉丝).
        given = [e for e in given if not str((e.data or {}).get("field", "")).startswith("s1.")
                 or query.coverage(frozenset(tokenize(normalize(str((e.data or {}).get("text", "")))))) >= 0.6]
        if found and not given and any(e.data and e.data.get("value") is not None for e in found):
            return None
        if given:
            text = "；".join(field_text(e, query.ordinal) for e in given)
            return Answer(query.raw, True, "field", text=text[:MAX_ANSWER], score=1.0,
                          sources=[Source(doc.title, given[0].section)],
                          data={"fields": [e.data for e in given]})
        if found:
            # Recorded empty: free retrieval in that report may still find it worded otherwise;
            # if not, the report gives no such thing.
            if self._retrieved(query, index, doc):
                return None
            label = "、".join(str(e.data.get("label")) for e in found if e.data)
            return Answer(query.raw, True, "no_field", score=1.0, sources=[Source(doc.title, found[0].section)],
                          data={"label": label})
        return None

    def _from_section(self, query: Query, index: Index, docs: list[DocInfo], scope: Scope) -> Answer | None:
        """A report's section asked about as a whole (第六部分写了什么): its beginning, in its own words; a
        section the report leaves empty is said to be so."""
        if not query.section:
            return None
        doc = self._report(query, docs, scope)
        if doc is None:
            return None
        mine = [e for i in np.flatnonzero(index.doc_ids == doc.id)
                if (e := index.entries[i]).section.startswith(query.section + "、")]
        said = [e for e in mine if e.kind == "text"]
        if said:
            text = ""
            for e in sorted(said, key=lambda e: e.ordinal):
                if text and len(text) + len(e.text) > MAX_ANSWER:
                    break
                text += e.text
            text = text if len(text) <= MAX_ANSWER else text[:MAX_ANSWER - 1] + "…"
            return Answer(query.raw, True, "text", text=text, score=1.0,
                          sources=[Source(doc.title, said[0].section)])
        empty = next((e for e in index.empty_sections.get(doc.id, []) if e.section.startswith(query.section + "、")),
                     None)
        if empty is not None:
            return Answer(query.raw, True, "no_figures", score=1.0, sources=[Source(doc.title, section_label(empty))],
                          data=empty.data)
        return None

    def _rank(self, query: Query, index: Index, scope: Scope) -> list[Candidate]:
        known = [t for t in query.terms if index.known(t)]
        hits = index.search(known, scope.doc_ids, RECALL)
        if not hits and query.intent is None:
            return []
        top_bm25 = (hits[0][1] if hits else 0.0) or 1.0
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
        if query.intent is not None and query.intent not in {i for i, _ in kept} and \
                index.entries[query.intent].doc.id in scope.doc_ids:
            kept.append((query.intent, 0.0))  # the intent's entry is a candidate whatever BM25 says
        cands = [self._candidate(query, index, i, s / top_bm25, scope) for i, s in kept]
        cands.sort(key=lambda c: -c.score)
        return cands

    def _candidate(self, query: Query, index: Index, i: int, bm25: float, scope: Scope) -> Candidate:
        e = index.entries[i]
        text = cut(query, e)
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
            intent = dict(query.intents).get(i, 0.0)
            fz = 0.4 * fz + 0.6 * max(title_sim, intent)
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
        if e.kind == "guide" and query.intent == i:
            score += 0.15 * dict(query.intents)[i]  # the procedure the question asks, by its phrasings
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
            cells = [c.entry.data or {} for c in siblings]
            data: dict[str, object] = {"cells": cells}
            total = _sum_of_parts(cells) if _TOTAL_ASKED.search(query.norm) else None
            if total is not None:
                data["sum"] = total  # 行政诉讼一共: 复议后起诉 + 未经复议直接起诉
            return Answer(query.raw, True, "cells", score=best.score,
                          sources=[Source(e.doc.title, section_label(e))], data=data)
        rival = next((c for c in ranked[1:] if _conflicts(best, c)), None)
        # Columns of one row that the question names each by its own word (项目数量和总金额): all of them.
        named = [c for c in ranked[1:10] if _same_row(best, c) and _names_column(query, c, best)
                 and _names_column(query, best, c)]
        if named:
            e = best.entry
            return Answer(query.raw, True, "cells", score=best.score, sources=[Source(e.doc.title, section_label(e))],
                          data={"cells": [c.entry.data for c in (best, *named)]})
        if rival is not None and best.score - rival.score < MARGIN and _same_row(best, rival) \
                and not _names_column(query, best, rival) and not _names_column(query, rival, best):
            # It names neither of two columns of one row (几件, not 维持): the row's 总计 answers.
            totals = [c for c in (best, rival) if _is_total(c)]
            if len(totals) == 1:
                best, rival = totals[0], None
        if rival is not None and best.score - rival.score < MARGIN and _TOTAL_ASKED.search(query.norm):
            # 一共/总计 asks the total: of two figures, the one given as a total answers.
            totals = [c for c in (best, rival) if _is_total(c)]
            if len(totals) == 1:
                best, rival = totals[0], None
        if rival is not None and best.score - rival.score < MARGIN and "number" in query.types:
            return Answer(query.raw, False, "none", score=best.score, reason="ambiguous",
                          data={"options": [candidate_label(best), candidate_label(rival)],
                                "choices": [choice_question(query, best), choice_question(query, rival)]})
        e = best.entry
        kind = "no_figures" if e.kind == "empty_section" else e.kind
        text = with_enumeration(query, index, best) if e.kind == "text" else best.text
        return Answer(query.raw, True, kind, text=text, score=best.score,
                      sources=[Source(e.doc.title, section_label(e))], data=e.data)


_FIRST_ROW = "一、本年新收政府信息公开申请数量"
_TOTAL_ASKED = re.compile(r"一共|总共|共计|总计|合计|总数|共有|共收到|共受理|共办理|全部")


def _row_of(c: Candidate) -> tuple[object, ...] | None:
    d = c.entry.data or {}
    return (c.entry.doc.id, d.get("table"), d.get("row"), d.get("group")) if c.entry.kind == "cell" else None


def _same_row(a: Candidate, b: Candidate) -> bool:
    return _row_of(a) is not None and _row_of(a) == _row_of(b)


def _leaf(c: Candidate) -> str:
    return normalize(str((c.entry.data or {}).get("column") or "").rsplit("/", 1)[-1])


_LABEL_FILLER = {"本年", "件数"}  # in many column labels: they name none


def _names_column(query: Query, c: Candidate, other: Candidate) -> bool:
    """Whether the question names this cell's column by two characters of its label that the other
    column's label lacks (制发 of 本年制发件数; segmentation may have cut the word)."""
    mine, theirs = _leaf(c), _leaf(other)
    pairs = {mine[i:i + 2] for i in range(len(mine) - 1)} - _LABEL_FILLER
    return any(p not in theirs and p in query.norm for p in pairs)


def _sum_of_parts(cells: list[dict[str, object]]) -> int | None:
    """The sum of 总计 cells that are the parts of one column group (X/part/总计, the same X): what
    一共 asks of a group the table splits (行政诉讼 = 复议后起诉 + 未经复议直接起诉). None otherwise."""
    paths = [str(c.get("column") or "").split("/") for c in cells]
    values = [str(c.get("value") or "") for c in cells]
    if len(cells) < 2 or {c.get("table") for c in cells} - {"三", "四"} or any(len(p) != 3 or p[2] != "总计" for p in paths) or len({p[0] for p in paths}) != 1 \
            or len({p[1] for p in paths}) != len(paths) or not all(v.isdigit() for v in values):
        return None
    return sum(int(v) for v in values)


def _is_total(c: Candidate) -> bool:
    """A figure given as a total: a 总计 cell, or a sentence that says 共/总计/合计 before its number."""
    if c.entry.kind == "cell" and c.entry.data:
        return str(c.entry.data.get("column") or "").endswith("总计")
    return re.search(r"(?:共|总计|合计|累计)[^\d。；]{0,12}\d", c.text) is not None
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


def _numbers(text: str) -> set[str]:
    return set(re.findall(r"\d+(?:\.\d+)?", text))


def _conflicts(a: Candidate, b: Candidate) -> bool:
    """Two answers that give different figures from different places."""
    if a.entry.id == b.entry.id:
        return False
    na, nb = _numbers(a.text), _numbers(b.text)
    return bool(na and nb and not (na & nb))


def _intents(index: Index) -> IntentIndex:
    """The guide's entries with the ways they are asked (title and asked-as list)."""
    phrasings: list[Phrasing] = []
    for i, e in enumerate(index.entries):
        if e.kind == "guide":
            asked = [e.item, *((e.data or {}).get("asked_as") or [])]
            for q in asked:
                norm = normalize(q)
                phrasings.append(Phrasing(i, norm, frozenset(tokenize(norm, for_index=False))))
    return IntentIndex(phrasings, index.idf)


def _empty_table(index: Index, doc: DocInfo, table: str) -> Entry | None:
    """The report's section for a template table when the report left it empty."""
    for e in index.empty_sections.get(doc.id, []):
        if e.data and \
                template_number(str(e.data.get("number", "")), str(e.data.get("title", ""))) == table:
            return e
    return None
