"""Errors raised by the knowledge layer."""

from __future__ import annotations


class ParseError(Exception):
    """Raised when a file cannot be read as a document; ``reason`` is a plain-Chinese sentence."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
