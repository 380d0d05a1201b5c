"""Text a terminal shows without obeying it: control characters and escape sequences removed.

Names, descriptions and messages come from citizens and from ingested files. Printed raw, an escape
sequence in them could retitle, clear or rewrite the staff member's terminal (or hide a line), so the
CLI and the terminal chat pass everything they print through ``strip_controls``.
"""

from __future__ import annotations

import re
from typing import Any, TextIO

# Whole escape sequences first, so their parameters ("[2J", "]0;title") do not remain as litter.
_SEQUENCES = re.compile(
    r"\x1b\][^\x07\x1b\n]*(?:\x07|\x1b\\)?"  # OSC … BEL or ST (window title, hyperlinks, clipboard)
    r"|\x1b[PX^_][^\x1b\n]*(?:\x1b\\)?"  # DCS, SOS, PM, APC … ST
    r"|\x1b\[[0-?]*[ -/]*[@-~]?"  # CSI (cursor, erase, colours)
    r"|\x1b[ -/]*[0-~]?"  # any other escape sequence
    r"|\x9d[^\x07\x9c\n]*[\x07\x9c]?"  # the same as 8-bit C1 controls: OSC
    r"|[\x90\x98\x9e\x9f][^\x9c\n]*\x9c?"  # DCS, SOS, PM, APC
    r"|\x9b[0-?]*[ -/]*[@-~]?"  # CSI
)
# C0 except tab and newline (a carriage return can overwrite a line), DEL, and C1.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def strip_controls(text: str) -> str:
    """``text`` without escape sequences and control characters; newlines and tabs are kept."""
    if not _CONTROLS.search(text):
        return text
    return _CONTROLS.sub("", _SEQUENCES.sub("", text))


class TerminalSafe:
    """A text stream that writes through ``strip_controls``; everything else goes to the wrapped stream
    (``buffer`` included, so binary output, such as a report's .xlsx, is written unchanged)."""

    def __init__(self, stream: TextIO) -> None:
        self.wrapped = stream

    def write(self, text: str) -> int:
        self.wrapped.write(strip_controls(text))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.wrapped, name)
