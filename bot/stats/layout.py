"""The printed rows and columns of table 三 and table 四, in the template's order.

Labels come from ``bot.tickets.outcomes`` (checked there against reference/law/template-2021.md);
the 2019 format differs only in （六）其他处理, a single row without items.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.tickets.codes import ApplicantType, RemedyKind, RemedyResult
from bot.tickets.outcomes import G6, OUTCOMES

TYPE_COLUMNS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
TOTAL = "总计"
COLUMNS = (*TYPE_COLUMNS, TOTAL)
COLUMN_OF_TYPE = dict(zip(ApplicantType, TYPE_COLUMNS, strict=True))

NEW = "一、本年新收政府信息公开申请数量"
CARRIED_IN = "二、上年结转政府信息公开申请数量"
RESULTS = "三、本年度办理结果"
GRAND_TOTAL = "（七）总计"
CARRIED_OUT = "四、结转下年度继续办理"

REVIEW = "行政复议"
LAWSUIT = "行政诉讼"
DIRECT = "未经复议直接起诉"
AFTER_REVIEW = "复议后起诉"
RESULT_COLUMNS = ("结果维持", "结果纠正", "其他结果", "尚未审结", TOTAL)
RESULT_OF_CODE = {
    RemedyResult.UPHELD: "结果维持", RemedyResult.CORRECTED: "结果纠正",
    RemedyResult.OTHER: "其他结果", RemedyResult.PENDING: "尚未审结",
}
GROUP_OF_REMEDY = {RemedyKind.REVIEW: REVIEW, RemedyKind.LAWSUIT_DIRECT: DIRECT,
                   RemedyKind.LAWSUIT_AFTER_REVIEW: AFTER_REVIEW}


@dataclass(frozen=True)
class Row:
    """One printed row: ``kind`` is header (no figures), leaf (counted), group (sum of items) or total."""

    label: str
    group: str | None
    kind: str


def _groups() -> list[tuple[str, list[str]]]:
    """Outcome groups in order, each with its item rows (empty for （一）（二））."""
    groups: dict[str, list[str]] = {}
    for outcome in OUTCOMES.values():
        items = groups.setdefault(outcome.group, [])
        if outcome.row != outcome.group and outcome.row not in items:
            items.append(outcome.row)
    return list(groups.items())


def table3_rows(report_format: str) -> tuple[Row, ...]:
    """Every printed row of table 三 in ``report_format`` ("2021" or "2019"), in order."""
    rows = [Row(NEW, None, "leaf"), Row(CARRIED_IN, None, "leaf"), Row(RESULTS, None, "header")]
    for group, items in _groups():
        if report_format == "2019" and group == G6:
            items = []
        rows.append(Row(group, RESULTS, "group" if items else "leaf"))
        rows.extend(Row(item, group, "leaf") for item in items)
    rows += [Row(GRAND_TOTAL, RESULTS, "total"), Row(CARRIED_OUT, None, "leaf")]
    return tuple(rows)


def row_of_outcome(code: str, report_format: str) -> tuple[str, str] | None:
    """(group, row label) an outcome code counts in, or None for a code table 三 does not know."""
    outcome = OUTCOMES.get(code)
    if outcome is None:
        return None
    if report_format == "2019" and outcome.group == G6:
        return G6, G6
    return outcome.group, outcome.row


def format_for_year(year: int) -> str:
    """The 2021 format applies from the 2021 report on (国办公开办函〔2021〕30号); before it, 2019's."""
    return "2021" if year >= 2021 else "2019"

APPLICANT_HEADER_GROUP = "法人或其他组织"
