"""Staff additions to the guide, kept in the database and merged into the index.

The packaged ``knowledge/data/guide.md`` is never edited: a release may replace it. Staff add a way
of asking an entry (a 问法 phrasing) or a whole new entry; each addition is a row (who, when, what)
that can be undone (who, when). Every change bumps the knowledge version, so the index of every
process is rebuilt before its next answer (``KnowledgeBase.index`` compares the version).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import JSON, DateTime, Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from knowledge.index import DocInfo, Entry
from knowledge.orm import Base
from knowledge.store import Document, Passage, knowledge_state

PHRASING = "phrasing"  # a new way of asking an existing entry
ENTRY = "entry"  # a new entry
NEW_ENTRY_PREFIX = "s"  # ids of staff entries: s1, s2 … (the packaged ones are g00 …)
GUIDE_SECTION = "办事指南"  # the section every guide passage carries (knowledge/structure.py)


class GuideEdit(Base):
    """One staff change to the guide; ``undone_at`` set means it no longer counts."""

    __tablename__ = "guide_edits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))  # phrasing | entry
    entry_id: Mapped[str] = mapped_column(String(32))  # the entry asked (phrasing) or created (entry)
    title: Mapped[str] = mapped_column(String(300), default="")
    basis: Mapped[str] = mapped_column(String(300), default="")
    answer: Mapped[str] = mapped_column(Text, default="")
    asked_as: Mapped[list[str]] = mapped_column(JSON)
    undone_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    undone_by: Mapped[str | None] = mapped_column(String(64))


@dataclass(frozen=True)
class GuideEntry:
    id: str
    title: str
    added: bool  # a staff entry, not a packaged one


def _bump(session: Session) -> None:
    knowledge_state(session).version += 1


def entries(session: Session) -> list[GuideEntry]:
    """Every guide entry (packaged, then staff entries that are not undone), for staff to pick from."""
    rows = session.execute(select(Passage.item, Passage.data).where(Passage.kind == "guide")
                           .order_by(Passage.document_id, Passage.ordinal))
    packaged = [GuideEntry(str((data or {}).get("id") or ""), item, False) for item, data in rows]
    added = [GuideEntry(e.entry_id, e.title, True) for e in active(session) if e.kind == ENTRY]
    return [e for e in packaged if e.id] + added


def active(session: Session) -> list[GuideEdit]:
    return list(session.scalars(select(GuideEdit).where(GuideEdit.undone_at.is_(None)).order_by(GuideEdit.id)))


def history(session: Session, limit: int = 100) -> list[GuideEdit]:
    """The latest changes, newest first, undone ones included."""
    return list(session.scalars(select(GuideEdit).order_by(GuideEdit.id.desc()).limit(limit)))


def add_phrasing(session: Session, *, at: datetime, actor: str, entry_id: str, phrasing: str) -> GuideEdit:
    edit = GuideEdit(at=at, actor=actor, kind=PHRASING, entry_id=entry_id, asked_as=[phrasing])
    session.add(edit)
    _bump(session)
    session.flush()
    return edit


def add_entry(session: Session, *, at: datetime, actor: str, title: str, basis: str, answer: str,
              asked_as: list[str]) -> GuideEdit:
    edit = GuideEdit(at=at, actor=actor, kind=ENTRY, entry_id="", title=title, basis=basis, answer=answer,
                     asked_as=list(asked_as))
    session.add(edit)
    session.flush()
    edit.entry_id = f"{NEW_ENTRY_PREFIX}{edit.id}"
    _bump(session)
    session.flush()
    return edit


def undo(session: Session, *, at: datetime, actor: str, edit: GuideEdit) -> GuideEdit:
    edit.undone_at, edit.undone_by = at, actor
    _bump(session)
    session.flush()
    return edit


def merge(session: Session, loaded: list[Entry]) -> list[Entry]:
    """The index entries with the staff additions: phrasings joined to their entries, new entries added."""
    edits = active(session)
    if not edits:
        return loaded
    guide = next((e.doc for e in loaded if e.kind == "guide"), None)
    if guide is None:
        doc = session.scalar(select(Document).where(Document.kind == "guide"))
        if doc is None:
            return loaded
        guide = DocInfo(doc.id, doc.title, doc.agency, doc.year, doc.kind)
    by_id = {str((e.data or {}).get("id")): e for e in loaded if e.kind == "guide"}
    ordinal = max((e.ordinal for e in loaded if e.doc.id == guide.id), default=0)
    out = list(loaded)
    for edit in edits:
        if edit.kind == ENTRY:
            ordinal += 1
            entry = Entry(id=-edit.id, doc=guide, ordinal=ordinal, section=GUIDE_SECTION, item=edit.title,
                          kind="guide", text=edit.answer,
                          data={"basis": edit.basis, "id": edit.entry_id, "asked_as": list(edit.asked_as),
                                "offer": ""})
            out.append(entry)
            by_id[edit.entry_id] = entry
    for edit in edits:
        target = by_id.get(edit.entry_id)
        if edit.kind == PHRASING and target is not None:
            data = dict(target.data or {})
            data["asked_as"] = [*(data.get("asked_as") or []), *edit.asked_as]
            target.data = data
    return out
