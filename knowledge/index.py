"""The in-memory index: passages with their terms, BM25 over them, cached on disk."""

from __future__ import annotations

import functools
import hashlib
import logging
import math
import pickle
import sys
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import bm25s
import jieba
import numpy as np

from knowledge.textproc import general_rarity, normalize, tokenize

log = logging.getLogger(__name__)
# The version of the code that builds an index; the data files and the libraries are in the cache key
# by content and version (see ``dependencies_digest``), so this changes only with the code.
PIPELINE_VERSION = "19"
DATA: Traversable = resources.files("knowledge") / "data"


@dataclass(frozen=True)
class DocInfo:
    id: int
    title: str
    agency: str
    year: int | None
    kind: str


@dataclass(slots=True)
class Entry:
    """One passage as the matcher sees it."""

    id: int
    doc: DocInfo
    ordinal: int
    section: str
    item: str
    kind: str
    text: str
    data: dict[str, Any] | None
    norm: str = ""
    context_norm: str = ""
    # The passage's distinct words, interned, as a tuple: a set per passage would cost 5× the memory;
    # the matcher makes sets only for the few passages it re-ranks.
    terms: tuple[str, ...] = ()
    context_terms: frozenset[str] = field(default_factory=frozenset)


def _context(entry: Entry) -> str:
    if entry.kind == "guide":
        return entry.item
    return f"{entry.section} {entry.item}"


class Index:
    """BM25 recall over passage terms (body + headings), plus the statistics the features need."""

    def __init__(self, entries: list[Entry]) -> None:
        self.entries = entries
        corpus: list[list[str]] = []
        contexts: dict[str, tuple[str, list[str], frozenset[str]]] = {}
        for e in entries:
            e.norm = normalize(e.text)
            body = tokenize(e.norm)
            raw_context = _context(e)
            if raw_context not in contexts:  # passages of one section share their headings
                norm = normalize(raw_context)
                tokens = tokenize(norm)
                contexts[raw_context] = (norm, tokens, frozenset(tokens))
            e.context_norm, ctx, e.context_terms = contexts[raw_context]
            if e.kind == "guide" and e.data and e.data.get("asked_as"):
                # The ways citizens ask a guide entry are part of its heading: their words recall it.
                asked = [t for q in e.data["asked_as"] for t in tokenize(normalize(q))]
                ctx = ctx + asked
                e.context_terms = e.context_terms | frozenset(asked)
            e.terms = tuple(sys.intern(t) for t in dict.fromkeys(body))
            # Fields are answered by name (knowledge.understand), not found by free retrieval.
            corpus.append(body + ctx if (body or ctx) and e.kind != "field" else ["∅"])
        self.df: Counter[str] = Counter()
        for e in entries:
            self.df.update(e.context_terms.union(e.terms))
        self.n = max(len(entries), 1)
        self.max_idf = math.log(1 + self.n / 0.5)
        self.doc_ids = np.array([e.doc.id for e in entries], dtype=np.int64)
        self.fields: dict[int, dict[str, Entry]] = {}
        self.empty_sections: dict[int, list[Entry]] = {}  # a report's sections left empty
        for e in entries:
            if e.kind == "field" and e.data:
                self.fields.setdefault(e.doc.id, {})[str(e.data.get("field"))] = e
            elif e.kind == "empty_section":
                self.empty_sections.setdefault(e.doc.id, []).append(e)
        self.bm25 = bm25s.BM25()
        self.bm25.index(corpus, show_progress=False) if entries else None
        self.by_doc_ordinal = {(e.doc.id, e.ordinal): i for i, e in enumerate(entries)}

    def idf(self, term: str) -> float:
        df = self.df.get(term, 0)
        if df == 0:
            # A word no passage has: as heavy as the rarest word if it is rare in Chinese (a topic the
            # knowledge does not cover), light if it is an everyday word.
            return self.max_idf * general_rarity(term)
        return math.log(1 + (self.n - df + 0.5) / (df + 0.5))

    def known(self, term: str) -> bool:
        return term in self.df

    def mentions(self, text: str) -> bool:
        """Whether any passage has this word (a place name, say)."""
        return text in self.df

    def search(self, terms: list[str], allowed_docs: set[int] | None, k: int) -> list[tuple[int, float]]:
        """Top-k passages by BM25 among the allowed documents (all when None)."""
        if not self.entries or not terms:
            return []
        scores = np.asarray(self.bm25.get_scores(terms), dtype=np.float32)
        if allowed_docs is not None:
            allowed = np.zeros(int(self.doc_ids.max()) + 1, dtype=bool)
            allowed[[d for d in allowed_docs if d < len(allowed)]] = True
            scores = np.where(allowed[self.doc_ids], scores, 0.0)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        ranked = sorted(((int(i), float(scores[i])) for i in top if scores[i] > 0), key=lambda x: -x[1])
        return ranked

    def neighbour(self, i: int, step: int) -> Entry | None:
        e = self.entries[i]
        j = self.by_doc_ordinal.get((e.doc.id, e.ordinal + step))
        return self.entries[j] if j is not None else None


@functools.cache
def dependencies_digest() -> str:
    """What an index depends on besides the passages: every file of knowledge/data (dictionary,
    synonyms, stop words, guide, bundled texts) by content, and the versions of jieba and bm25s."""
    digest = hashlib.sha256(f"{PIPELINE_VERSION}|jieba {jieba.__version__}|bm25s {bm25s.__version__}".encode())
    for name, item in sorted(_data_files(DATA), key=lambda f: f[0]):
        digest.update(f"|{name}|".encode())
        digest.update(item.read_bytes())
    return digest.hexdigest()


def _data_files(folder: Traversable, prefix: str = "") -> list[tuple[str, Traversable]]:
    files: list[tuple[str, Traversable]] = []
    for item in folder.iterdir():
        if item.is_dir():
            files.extend(_data_files(item, f"{prefix}{item.name}/"))
        elif item.is_file():
            files.append((prefix + item.name, item))
    return files


def cache_key(source: str, version: int) -> str:
    return hashlib.sha256(f"{dependencies_digest()}|{source}|{version}".encode()).hexdigest()[:24]


def load_cached(cache_dir: Path | None, key: str) -> Index | None:
    if cache_dir is None:
        return None
    path = cache_dir / f"index-{key}.pickle"
    try:
        with path.open("rb") as fh:
            index = pickle.load(fh)
        return index if isinstance(index, Index) else None
    except FileNotFoundError:
        return None
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError) as exc:
        log.warning("index cache unreadable, rebuilding: %s", exc)
        return None


def save_cached(cache_dir: Path | None, key: str, index: Index) -> None:
    if cache_dir is None:
        return
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        for old in cache_dir.glob("index-*.pickle"):
            old.unlink(missing_ok=True)
        tmp = cache_dir / f"index-{key}.tmp"
        with tmp.open("wb") as fh:
            pickle.dump(index, fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(cache_dir / f"index-{key}.pickle")
    except OSError as exc:
        log.warning("could not write the index cache: %s", exc)
