"""One national template: knowledge/template_labels.py against the transcriptions of both formats, and its users."""

from __future__ import annotations

import pytest

from bot.stats.layout import table3_rows
from bot.stats.proactive import layout
from bot.tickets.outcomes import OUTCOMES
from knowledge import template_labels as labels
from knowledge.table_template import T2_SPECS_2019, T2_SPECS_2021, T3_SPECS, T4_COLUMNS
from tests.template_md import template

FORMATS = ["2021", "2019"]


def _table2_grid(report_format: str) -> list[list[str]]:
    """Table 二 from the labels module as the template prints it: heading, 信息内容 row, item rows."""
    grid: list[list[str]] = []
    item = None
    for row in labels.table2(report_format):
        if row.item != item:
            item = row.item
            grid.append([labels.article_20(item), "", "", ""])
            grid.append([labels.T2_CONTENT, *row.columns, *[""] * (labels.T2_WIDTH - len(row.columns))])
        grid.append([row.label, "", "", ""])
    return grid


def _table3_levels(report_format: str) -> list[tuple[str, str, str]]:
    rows = [(labels.NEW, "", ""), (labels.CARRIED_IN, "", "")]
    for group, items in labels.result_groups(report_format):
        rows += [(labels.RESULTS, group, item) for item in items] or [(labels.RESULTS, group, "")]
    return [*rows, (labels.RESULTS, labels.GRAND_TOTAL, ""), (labels.CARRIED_OUT, "", "")]


@pytest.mark.parametrize("report_format", FORMATS)
def test_the_labels_are_the_template_s(report_format: str) -> None:
    md = template(report_format)
    assert labels.parts(report_format) == md.parts
    assert _table2_grid(report_format) == [list(row) for row in md.table2]
    assert md.corner_note == labels.CORNER_NOTE
    printed = [c.split("：") for c in md.table3_columns]
    assert [p[-1] for p in printed] == list(labels.T3_COLUMNS)
    assert {p[0] for p in printed if len(p) == 2} == {labels.ORGANISATIONS}
    assert [p[-1] for p in printed if len(p) == 2] == list(labels.ORGANISATION_TYPES)
    assert _table3_levels(report_format) == list(md.table3_rows)
    assert [(*path, result) for path in labels.T4_GROUPS for result in labels.REMEDY_RESULTS] == list(
        md.table4_columns)


def test_the_two_formats_differ_where_the_template_says() -> None:
    """template-2021.md §6: table 二 changed; in table 三 only （六）其他处理 gained items; table 四 did not change."""
    new, old = template("2021"), template("2019")
    assert new.table2 != old.table2 and new.table4_columns == old.table4_columns
    assert [r for r in new.table3_rows if r[1] != labels.OTHER] == [r for r in old.table3_rows if r[1] != labels.OTHER]


@pytest.mark.parametrize("report_format", FORMATS)
def test_the_statistics_use_the_template_labels(report_format: str) -> None:
    md = template(report_format)
    printed = [next(level for level in reversed(row) if level) for row in md.table3_rows]
    # The statistics add a header row for 三、本年度办理结果 and a subtotal row for each （n） with items.
    counted = [row.label for row in table3_rows(report_format) if row.kind in ("leaf", "total")]
    assert counted == printed
    assert [(label, tuple(c for _f, c in columns)) for _item, label, columns in layout(report_format)] == [
        (row[0], tuple(c for c in header[1:] if c)) for header, row in _item_rows(md.table2)]


def _item_rows(grid: tuple[tuple[str, ...], ...]) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """(the 信息内容 row above, the item row) for each item row of table 二."""
    pairs, header = [], grid[0]
    for row in grid:
        if row[0] == labels.T2_CONTENT:
            header = row
        elif not row[0].startswith("第二十条"):
            pairs.append((header, row))
    return pairs


@pytest.mark.parametrize("report_format", FORMATS)
def test_the_table_reader_uses_the_template_labels(report_format: str) -> None:
    md = template(report_format)
    other = "2019" if report_format == "2021" else "2021"
    specs = [spec.row for spec in T3_SPECS if spec.variant != other]
    assert specs == [next(level for level in reversed(row) if level) for row in md.table3_rows]
    t2 = T2_SPECS_2021 if report_format == "2021" else T2_SPECS_2019
    assert [(s.group, s.row) for s in t2] == [(_heading(md.table2, row), row[0]) for _h, row in _item_rows(md.table2)]
    assert tuple("/".join(path) for path in md.table4_columns) == T4_COLUMNS


def _heading(grid: tuple[tuple[str, ...], ...], wanted: tuple[str, ...]) -> str:
    heading = ""
    for row in grid:
        if row[0].startswith("第二十条"):
            heading = row[0]
        if row == wanted:
            return heading
    raise AssertionError(wanted)


@pytest.mark.parametrize("code", sorted(OUTCOMES))
def test_every_outcome_code_names_a_row_of_the_labels_module(code: str) -> None:
    outcome = OUTCOMES[code]
    assert outcome.group in labels.RESULT_GROUPS
    assert outcome.row == outcome.group or outcome.row in labels.items(outcome.group)
