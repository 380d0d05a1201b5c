"""The knowledge that ships with the package, loaded into a fresh database on first use."""

from __future__ import annotations

import hashlib
import logging
from importlib import resources

from sqlalchemy.orm import Session

from knowledge.store import document_key, knowledge_state, remove_bundled_except, save_document
from knowledge.structure import parse_document

log = logging.getLogger(__name__)
BUNDLED_FILES = ("hecheng_2019.txt", "tiaoli_2019.txt", "guide.md")


def _bundled_texts() -> dict[str, str]:
    folder = resources.files("knowledge") / "data"
    return {name: (folder / name).read_text(encoding="utf-8") for name in BUNDLED_FILES}


def ensure_bundled(session: Session) -> bool:
    """Load the bundled documents into a fresh database, or after a release changed them.

    This is the only way a bundled document is replaced (``ingest`` refuses to: see
    ``knowledge.store.BundledDocumentKept``); a bundled document the release no longer has is removed."""
    texts = _bundled_texts()
    digest = hashlib.sha256("".join(texts[n] for n in BUNDLED_FILES).encode()).hexdigest()
    state = knowledge_state(session)
    if state.bundled_digest == digest:
        return False
    keys = set()
    for name, text in texts.items():
        parsed = parse_document(text, name)
        save_document(session, parsed, bundled=True)
        keys.add(document_key(parsed.agency, parsed.year, parsed.title))
    remove_bundled_except(session, keys)
    state.bundled_digest = digest
    log.info("loaded %d bundled documents", len(texts))
    return True
