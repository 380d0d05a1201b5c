"""The knowledge base: ingest files, list documents, hand the matcher a current index."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process
from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge import guide_edits
from knowledge.agencies import agency_aliases
from knowledge.errors import ParseError
from knowledge.index import DocInfo, Entry, Index, cache_key, load_cached, save_cached
from knowledge.readers import read_file
from knowledge.store import (
    BundledDocumentKept,
    Document,
    Passage,
    knowledge_version,
    list_documents,
    save_document,
    template_passages,
)
from knowledge.structure import Hints, parse_document
from knowledge.textproc import normalize

log = logging.getLogger(__name__)
# The knowledge layer cannot import bot.texts; its few sentences for users stay beside the code.
BUNDLED_KEPT = "它被识别为随程序附带的《{title}》；附带的文档只随新版本更新，不能用收录的文件替换"
SessionFactory = Callable[[], AbstractContextManager[Session]]


@dataclass(frozen=True)
class IngestResult:
    path: str
    ok: bool
    title: str = ""
    agency: str = ""
    year: int | None = None
    passages: int = 0
    replaced: bool = False
    reason: str = ""


class KnowledgeBase:
    def __init__(self, sessions: SessionFactory, *, cache_dir: Path | None = None) -> None:
        self._sessions = sessions
        self._cache_dir = cache_dir
        self._lock = threading.Lock()
        self._index: Index | None = None
        self._key = ""

    def ingest(self, path: Path, hints: Hints | None = None) -> IngestResult:
        """Parse one file and store it (replacing the same document); nothing is stored on failure."""
        try:
            parsed = parse_document(read_file(path), path.name, hints)
        except ParseError as exc:
            return IngestResult(str(path), False, reason=exc.reason)
        try:
            with self._sessions() as session:
                _doc, replaced = save_document(session, parsed)
        except BundledDocumentKept as exc:
            return IngestResult(str(path), False, reason=BUNDLED_KEPT.format(title=exc.title))
        return IngestResult(str(path), True, parsed.title, parsed.agency, parsed.year,
                            len(parsed.passages), replaced)

    def documents(self) -> list[tuple[Document, int]]:
        with self._sessions() as session:
            return list_documents(session)

    def report_fields(self, selector: str = "") -> list[ReportFields]:
        """The template fields of the reports `selector` names (its number in `documents`, or the
        agency as people name it); every report when empty."""
        with self._sessions() as session:
            reports = [d for d, _n in list_documents(session) if d.kind == "report"]
            chosen = select_reports(reports, selector)
            return [ReportFields(d.id, d.title, d.agency, d.year, [_passage_dict(p) for p in
                                                                template_passages(session, d.id)])
                    for d in chosen]

    def _fingerprint(self, session: Session) -> str:
        digests = session.scalars(select(Document.sha256).order_by(Document.id)).all()
        bind = session.get_bind()
        return cache_key(f"{bind.engine.url.render_as_string(hide_password=True)}|{','.join(digests)}",
                         knowledge_version(session))

    def index(self) -> Index:
        """The current index: rebuilt when the stored knowledge changed, read from the cache if it can."""
        with self._lock, self._sessions() as session:
            key = self._fingerprint(session)
            if self._index is not None and key == self._key:
                return self._index
            index = load_cached(self._cache_dir, key)
            if index is None:
                index = Index(_load_entries(session))
                save_cached(self._cache_dir, key, index)
            self._index, self._key = index, key
            return index


def _load_entries(session: Session) -> list[Entry]:
    docs = {
        d.id: DocInfo(d.id, d.title, d.agency, d.year, d.kind)
        for d in session.scalars(select(Document))
    }
    rows = session.execute(
        select(Passage.id, Passage.document_id, Passage.ordinal, Passage.section, Passage.item,
               Passage.kind, Passage.text, Passage.data).order_by(Passage.document_id, Passage.ordinal)
    )
    loaded = [
        Entry(id=r.id, doc=docs[r.document_id], ordinal=r.ordinal, section=r.section, item=r.item,
              kind=r.kind, text=r.text, data=r.data)
        for r in rows
    ]
    return guide_edits.merge(session, loaded)  # staff additions to the guide, from the database


@dataclass(frozen=True)
class DocumentSummary:
    """A loaded document as staff check it: what the parser found (sections, statistics tables)."""

    id: int
    title: str
    agency: str
    year: int | None
    kind: str
    bundled: bool
    passages: int
    sections: list[str]
    tables: list[str]


def _table_order(table: str) -> tuple[int, str]:
    return ("一二三四五六七八九十".find(table[:1]), table)


def summaries(session: Session) -> list[DocumentSummary]:
    """Every document with its sections (in order) and the template tables whose cells were read."""
    sections: dict[int, list[str]] = {}
    tables: dict[int, set[str]] = {}
    rows = session.execute(select(Passage.document_id, Passage.section, Passage.kind, Passage.data)
                           .order_by(Passage.document_id, Passage.ordinal))
    for doc_id, section, kind, data in rows:
        found = sections.setdefault(doc_id, [])
        if section and section not in found:
            found.append(section)
        if kind == "cell" and data and data.get("table"):
            tables.setdefault(doc_id, set()).add(str(data["table"]))
    return [DocumentSummary(d.id, d.title, d.agency, d.year, d.kind, d.bundled, n,
                            sections.get(d.id, []) if d.kind == "report" else [],
                            sorted(tables.get(d.id, set()), key=_table_order)) for d, n in list_documents(session)]


@dataclass(frozen=True)
class ReportFields:
    id: int
    title: str
    agency: str
    year: int | None
    passages: list[dict[str, Any]]


def _passage_dict(p: Passage) -> dict[str, Any]:
    return {"kind": p.kind, "section": p.section, "item": p.item, "text": p.text, "data": dict(p.data or {})}


def select_reports(reports: list[Document], selector: str) -> list[Document]:
    """Reports by number, or by the agency's name as people say it (平潭公安, 洪泽区政府)."""
    selector = selector.strip()
    if not selector:
        return reports
    if selector.isdigit():
        return [d for d in reports if d.id == int(selector)]
    norm = normalize(selector)
    hits = [d for d in reports if any(norm == a or (len(norm) >= 2 and norm in a) for a in agency_aliases(d.agency))
            or norm in normalize(d.title)]
    if hits:
        return hits
    names = {d.agency: d for d in reports}
    best = process.extractOne(norm, list(names), scorer=fuzz.partial_ratio, processor=None)
    return [d for d in reports if best and best[1] >= 80 and d.agency == best[0]]
