"""The printed rows and columns of table 三 and table 四, in the template's order.

Labels come from ``knowledge.template_labels``, the one module the table reader uses too; the outcome
codes of ``bot.tickets.outcomes`` name rows of it (a test keeps them so). The 2019 format differs only
in （六）其他处理, a single row without items.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.tickets.codes import ApplicantType, RemedyKind, RemedyResult
from bot.tickets.outcomes import OUTCOMES
from knowledge import template_labels as labels

TYPE_COLUMNS = labels.T3_TYPE_COLUMNS
TOTAL = labels.TOTAL
COLUMNS = labels.T3_COLUMNS
COLUMN_OF_TYPE = dict(zip(ApplicantType, TYPE_COLUMNS, strict=True))

NEW = labels.NEW
CARRIED_IN = labels.CARRIED_IN
RESULTS = labels.RESULTS
GRAND_TOTAL = labels.GRAND_TOTAL
CARRIED_OUT = labels.CARRIED_OUT

REVIEW = labels.REVIEW
LAWSUIT = labels.LAWSUIT
DIRECT = labels.DIRECT
AFTER_REVIEW = labels.AFTER_REVIEW
RESULT_COLUMNS = labels.REMEDY_RESULTS
RESULT_OF_CODE = dict(zip((RemedyResult.UPHELD, RemedyResult.CORRECTED, RemedyResult.OTHER, RemedyResult.PENDING),
                          RESULT_COLUMNS[:4], strict=True))
GROUP_OF_REMEDY = {RemedyKind.REVIEW: REVIEW, RemedyKind.LAWSUIT_DIRECT: DIRECT,
                   RemedyKind.LAWSUIT_AFTER_REVIEW: AFTER_REVIEW}


@dataclass(frozen=True)
class Row:
    """One printed row: ``kind`` is header (no figures), leaf (counted), group (sum of items) or total."""

    label: str
    group: str | None
    kind: str


def table3_rows(report_format: str) -> tuple[Row, ...]:
    """Every row of table 三 in ``report_format`` ("2021" or "2019"), in order, with the （n） subtotals.

    The template prints no subtotal row for a （n） with items (its label stands beside them); the JSON
    and Markdown keep one, the .xlsx and .docx leave it out.
    """
    rows = [Row(NEW, None, "leaf"), Row(CARRIED_IN, None, "leaf"), Row(RESULTS, None, "header")]
    for group, items in labels.result_groups(report_format):
        rows.append(Row(group, RESULTS, "group" if items else "leaf"))
        rows.extend(Row(item, group, "leaf") for item in items)
    rows += [Row(GRAND_TOTAL, RESULTS, "total"), Row(CARRIED_OUT, None, "leaf")]
    return tuple(rows)


def row_of_outcome(code: str, report_format: str) -> tuple[str, str] | None:
    """(group, row label) an outcome code counts in, or None for a code table 三 does not know."""
    outcome = OUTCOMES.get(code)
    if outcome is None:
        return None
    if outcome.row != outcome.group and outcome.row not in labels.items(outcome.group, report_format):
        return outcome.group, outcome.group  # 2019: all three （六） outcomes count in the one row
    return outcome.group, outcome.row


def format_for_year(year: int) -> str:
    """The 2021 format applies from the 2021 report on (国办公开办函〔2021〕30号); before it, 2019's."""
    return labels.FORMAT_2021 if year >= 2021 else labels.FORMAT_2019
