"""Documents and passages in the database; what the index is built from."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, delete, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from knowledge.orm import Base
from knowledge.types import ParsedDocument


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Document(Base):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Same agency, year and title means the same document (a .txt and a .pdf of one report).
    key: Mapped[str] = mapped_column(String(400), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    agency: Mapped[str] = mapped_column(String(200), default="")
    year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    kind: Mapped[str] = mapped_column(String(20))  # report | regulation | guide
    source: Mapped[str] = mapped_column(String(500), default="")
    sha256: Mapped[str] = mapped_column(String(64))
    bundled: Mapped[bool] = mapped_column(default=False)
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_utcnow)

    passages: Mapped[list[Passage]] = relationship(
        back_populates="document", cascade="all, delete-orphan", passive_deletes=True
    )


class Passage(Base):
    __tablename__ = "passages"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    ordinal: Mapped[int] = mapped_column(Integer)
    section: Mapped[str] = mapped_column(String(300), default="")
    item: Mapped[str] = mapped_column(String(300), default="")
    kind: Mapped[str] = mapped_column(String(20))  # text | cell | empty_section | article | guide
    text: Mapped[str] = mapped_column(Text)
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)

    document: Mapped[Document] = relationship(back_populates="passages")


class KnowledgeState(Base):
    """One row: a version counter bumped on every change, so index caches know when they are stale."""

    __tablename__ = "knowledge_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    # Digest of the bundled files last loaded: a new release's bundled knowledge replaces the old.
    bundled_digest: Mapped[str] = mapped_column(String(64), default="")


def document_key(agency: str, year: int | None, title: str) -> str:
    return f"{agency}|{year or ''}|{title}"


def knowledge_state(session: Session) -> KnowledgeState:
    state = session.get(KnowledgeState, 1)
    if state is None:
        state = KnowledgeState(id=1, version=0, bundled_digest="")
        session.add(state)
        session.flush()
    return state


def _bump_version(session: Session) -> None:
    knowledge_state(session).version += 1


def knowledge_version(session: Session) -> int:
    state = session.get(KnowledgeState, 1)
    return state.version if state else 0


class BundledDocumentKept(Exception):
    """Raised when a document to be ingested has the key of a bundled one: the regulation, the guide
    and the example report are replaced only by a new release (knowledge.bundled), never by ingest."""

    def __init__(self, title: str) -> None:
        super().__init__(title)
        self.title = title


def save_document(session: Session, parsed: ParsedDocument, *, bundled: bool = False) -> tuple[Document, bool]:
    """Store a parsed document, replacing the one with the same key. Returns (document, replaced).

    Raises BundledDocumentKept when a document that is not bundled would replace a bundled one; the
    bundled text itself, ingested again, is left as it is (nothing to replace)."""
    key = document_key(parsed.agency, parsed.year, parsed.title)
    digest = hashlib.sha256(parsed.text.encode("utf-8")).hexdigest()
    existing = session.scalar(select(Document).where(Document.key == key))
    if existing is not None and existing.bundled and not bundled:
        if existing.sha256 == digest:
            return existing, False
        raise BundledDocumentKept(existing.title)
    replaced = existing is not None
    if existing is not None:
        session.execute(delete(Passage).where(Passage.document_id == existing.id))
        session.delete(existing)
        session.flush()
    doc = Document(
        key=key[:400],
        title=parsed.title[:300],
        agency=parsed.agency[:200],
        year=parsed.year,
        kind=parsed.kind,
        source=parsed.source,
        sha256=digest,
        bundled=bundled,
    )
    session.add(doc)
    session.flush()
    session.add_all(
        Passage(
            document_id=doc.id,
            ordinal=i,
            section=p.section[:300],
            item=p.item[:300],
            kind=p.kind,
            text=p.text,
            data=p.data,
        )
        for i, p in enumerate(parsed.passages)
    )
    _bump_version(session)
    session.flush()
    return doc, replaced


def list_documents(session: Session) -> list[tuple[Document, int]]:
    counts = (
        select(Passage.document_id, func.count(Passage.id).label("n"))
        .group_by(Passage.document_id)
        .subquery()
    )
    rows = session.execute(
        select(Document, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.document_id == Document.id)
        .order_by(Document.kind, Document.agency, Document.year.desc(), Document.id)
    ).all()
    return [(cast(Document, d), int(cast(int, n))) for d, n in rows]


def template_passages(session: Session, document_id: int) -> list[Passage]:
    """A report's template fields, table cells and empty sections, in document order."""
    return list(session.scalars(
        select(Passage).where(Passage.document_id == document_id,
                              Passage.kind.in_(("field", "cell", "empty_section")))
        .order_by(Passage.ordinal)))


def remove_bundled_except(session: Session, keys: set[str]) -> int:
    """Delete the bundled documents whose key is not in ``keys`` (a release dropped or renamed them)."""
    stale = session.scalars(select(Document).where(Document.bundled.is_(True), Document.key.not_in(keys))).all()
    for doc in stale:
        session.execute(delete(Passage).where(Passage.document_id == doc.id))
        session.delete(doc)
    if stale:
        _bump_version(session)
        session.flush()
    return len(stale)


def has_documents(session: Session) -> bool:
    return session.scalar(select(func.count(Document.id))) != 0
