"""Plain data passed between the parser, the store and the matcher."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ParsedPassage:
    section: str
    item: str
    kind: str  # text | cell | empty_section | article | guide
    text: str
    data: dict[str, Any] | None = None


@dataclass
class ParsedDocument:
    title: str
    agency: str
    year: int | None
    kind: str  # report | regulation | guide
    source: str
    text: str
    passages: list[ParsedPassage] = field(default_factory=list)
