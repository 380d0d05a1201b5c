"""The national template as transcribed in tests/data/law/template-2021.md and template-2019.md.

Read independently of the code under test: the part headings, and tables 二, 三 and 四 as printed, so
that a test can compare the labels module and the .docx/.xlsx files with the transcription cell by cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

LAW = Path(__file__).parent / "data" / "law"


@dataclass(frozen=True)
class Template:
    parts: tuple[str, ...]
    table2: tuple[tuple[str, ...], ...]  # every row of the grid, 4 cells; a blank cell continues the left one
    corner_note: str
    table3_columns: tuple[str, ...]  # "自然人", "法人或其他组织：商业企业", …, "总计"
    table3_rows: tuple[tuple[str, str, str], ...]  # (一级, 二级, 三级); blank where merged
    table4_columns: tuple[tuple[str, ...], ...]  # header path of each of the 15 columns


def _section(text: str, number: str) -> str:
    start = re.search(rf"(?m)^## {number}\. ", text)
    assert start is not None, number
    end = re.search(r"(?m)^## ", text[start.end():])
    return text[start.end(): start.end() + end.start() if end else len(text)]


def _tables(section: str) -> list[list[list[str]]]:
    """Markdown tables of a section: rows of stripped cells, the separator line left out."""
    tables: list[list[list[str]]] = []
    current: list[list[str]] | None = None
    for line in section.splitlines():
        if not line.startswith("|"):
            current = None
            continue
        if re.fullmatch(r"\|(?:\s*-+\s*\|)+", line.strip()):
            continue
        if current is None:
            current = []
            tables.append(current)
        current.append([cell.strip().strip("*") for cell in line.strip().strip("|").split("|")])
    return tables


@cache
def template(report_format: str) -> Template:
    text = (LAW / f"template-{report_format}.md").read_text(encoding="utf-8")
    parts = tuple(re.findall(r"(?m)^\d\. ([一二三四五六]、[^（(\s]+)", _section(text, "2")))
    table2 = tuple(tuple(row) for row in _tables(_section(text, "3"))[0])
    section3 = _section(text, "4")
    note = re.search(r"“(（本列数据的勾稽关系为：.*?）)”", section3)
    assert note is not None
    columns_table, rows_table = _tables(section3)[:2]
    assert rows_table[0][:3] == ["一级", "二级", "三级"]
    rows = tuple((a, b, "" if c == "（无子项）" else c) for a, b, c, *_ in rows_table[1:])
    header4 = _tables(_section(text, "5"))[0][0]
    table4 = tuple((*path.split("·"), result) for path, result in (h.split("：") for h in header4))
    return Template(parts, table2, note.group(1), tuple(columns_table[0][1:]), rows, table4)


def filled(cells: tuple[str, ...] | list[str]) -> list[str]:
    """A row with each blank cell taking the text of the cell to its left (the cell it is merged into)."""
    out: list[str] = []
    for cell in cells:
        out.append(cell or (out[-1] if out else ""))
    return out
