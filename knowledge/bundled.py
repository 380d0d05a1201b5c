"""The knowledge that ships with the package, loaded into a fresh database on first use."""

from __future__ import annotations

import hashlib
import logging
from importlib import resources

from sqlalchemy.orm import Session

from knowledge.store import knowledge_state, save_document
from knowledge.structure import parse_document

log = logging.getLogger(__name__)
BUNDLED_FILES = ("hecheng_2019.txt", "tiaoli_2019.txt", "guide.md")


def _bundled_texts() -> dict[str, str]:
    folder = resources.files("knowledge") / "data"
    return {name: (folder / name).read_text(encoding="utf-8") for name in BUNDLED_FILES}


def ensure_bundled(session: Session) -> bool:
    """Load the bundled documents into a fresh database, or after a release changed them."""
    texts = _bundled_texts()
    digest = hashlib.sha256("".join(texts[n] for n in BUNDLED_FILES).encode()).hexdigest()
    state = knowledge_state(session)
    if state.bundled_digest == digest:
        return False
    for name, text in texts.items():
        save_document(session, parse_document(text, name), bundled=True)
    state.bundled_digest = digest
    log.info("loaded %d bundled documents", len(texts))
    return True
