"""Cell text for spreadsheets and documents: never read as a formula, no character the format cannot hold."""

from __future__ import annotations

import re
from typing import Any

# OWASP, "CSV Injection": a cell that begins with one of these is read as a formula by spreadsheet programs.
FORMULA_STARTS = frozenset("=+-@\t\r")
QUOTE = "'"
# A figure ("-3", a 2019 本年增/减) is a number to a spreadsheet, not a formula: it stays as it is.
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)%?")
# XML 1.0 (inside .xlsx and .docx) cannot hold C0 control characters other than tab, line feed and carriage
# return, nor lone surrogates, U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _looks_quoted(text: str) -> bool:
    """Whether ``text`` after any leading apostrophes begins like a formula (and is not a number)."""
    rest = text.lstrip(QUOTE)
    return bool(rest) and rest[0] in FORMULA_STARTS and not _NUMBER.fullmatch(rest)


def neutralise(text: str) -> str:
    """``=HYPERLINK(…)`` → ``'=HYPERLINK(…)``: shown as text, never evaluated (undone by ``restore``)."""
    return QUOTE + text if _looks_quoted(text) else text


def restore(text: str) -> str:
    """The text ``neutralise`` was given: a register exported by the bot imports unchanged."""
    return text[1:] if text.startswith(QUOTE) and _looks_quoted(text[1:]) else text


def xml_safe(text: str) -> str:
    """``text`` without the characters an .xlsx or .docx cannot hold (a vertical tab pasted into a chat)."""
    return _NOT_XML.sub("", text)


def sheet_value(value: Any) -> Any:
    """A value for a spreadsheet cell: numbers and empty cells as they are, text neutralised."""
    if value is None or isinstance(value, bool | int | float):
        return value
    return neutralise(str(value))


def xlsx_value(value: Any) -> Any:
    """A value for an .xlsx cell: like ``sheet_value``, without the characters XML cannot hold."""
    if isinstance(value, str):
        return sheet_value(xml_safe(value))
    return sheet_value(value)
