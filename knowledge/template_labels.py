"""The printed labels of the national template: its six parts and tables 二, 三 and 四.

One source for the table reader (``knowledge.table_template``), the statistics (``bot.stats``) and the
outcome codes. Labels are as printed in 《政府信息公开工作年度报告格式》 (国办公开办函〔2021〕30号, reports
of 2021 on) and its 2019 trial version (国办公开办函〔2019〕60号); ``tests/test_template_labels.py`` checks
them against ``tests/data/law/template-2021.md`` and ``template-2019.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

FORMAT_2019, FORMAT_2021 = "2019", "2021"

# ---------------------------------------------------------------------------------------------------------
# The six parts of a report

_PARTS_COMMON = ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                 "四、政府信息公开行政复议、行政诉讼情况")
PARTS_2021 = (*_PARTS_COMMON, "五、存在的主要问题及改进情况", "六、其他需要报告的事项")
PARTS_2019 = (*_PARTS_COMMON, "五、政府信息公开工作存在的主要问题及改进情况", "六、其他需要报告的事项")


def parts(report_format: str) -> tuple[str, ...]:
    """The six part headings of a report in ``report_format``."""
    return PARTS_2021 if report_format == FORMAT_2021 else PARTS_2019


# ---------------------------------------------------------------------------------------------------------
# Table 二: 主动公开政府信息情况 (第二十条 items, each under its section heading)

T2_CONTENT = "信息内容"  # the header cell over the row labels


def article_20(item: str) -> str:
    """The section heading of table 二 for an item of 第二十条: "（一）" → "第二十条第（一）项"."""
    return f"第二十条第{item}项"


@dataclass(frozen=True)
class T2Row:
    """One row of table 二: the 第二十条 item it is published under, its label, its printed columns."""

    item: str  # "（一）"
    label: str
    columns: tuple[str, ...]


_ISSUED_2021 = ("本年制发件数", "本年废止件数", "现行有效件数")
_DECISIONS_2021 = ("本年处理决定数量",)
T2_2021 = (
    T2Row("（一）", "规章", _ISSUED_2021),
    T2Row("（一）", "行政规范性文件", _ISSUED_2021),
    T2Row("（五）", "行政许可", _DECISIONS_2021),
    T2Row("（六）", "行政处罚", _DECISIONS_2021),
    T2Row("（六）", "行政强制", _DECISIONS_2021),
    T2Row("（八）", "行政事业性收费", ("本年收费金额（单位：万元）",)),
)
_MADE_2019 = ("本年新制作数量", "本年新公开数量", "对外公开总数量")
CHANGE_2019 = "本年增/减"  # the one column of the template that may be negative
_COUNTS_2019 = ("上一年项目数量", CHANGE_2019, "处理决定数量")
T2_2019 = (
    T2Row("（一）", "规章", _MADE_2019),
    T2Row("（一）", "规范性文件", _MADE_2019),
    T2Row("（五）", "行政许可", _COUNTS_2019),
    T2Row("（五）", "其他对外管理服务事项", _COUNTS_2019),
    T2Row("（六）", "行政处罚", _COUNTS_2019),
    T2Row("（六）", "行政强制", _COUNTS_2019),
    T2Row("（八）", "行政事业性收费", _COUNTS_2019[:2]),
    T2Row("（九）", "政府集中采购", ("采购项目数量", "采购总金额")),
)
T2_WIDTH = 3  # value columns of the grid (a row with fewer spans the rest)


def table2(report_format: str) -> tuple[T2Row, ...]:
    return T2_2021 if report_format == FORMAT_2021 else T2_2019


# ---------------------------------------------------------------------------------------------------------
# Table 三: 收到和处理政府信息公开申请情况

CORNER_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
APPLICANTS = "申请人情况"
NATURAL_PERSON = "自然人"
ORGANISATIONS = "法人或其他组织"
ORGANISATION_TYPES = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
TOTAL = "总计"
T3_TYPE_COLUMNS = (NATURAL_PERSON, *ORGANISATION_TYPES)
T3_COLUMNS = (*T3_TYPE_COLUMNS, TOTAL)

NEW = "一、本年新收政府信息公开申请数量"
CARRIED_IN = "二、上年结转政府信息公开申请数量"
RESULTS = "三、本年度办理结果"
GRAND_TOTAL = "（七）总计"
CARRIED_OUT = "四、结转下年度继续办理"

DISCLOSED = "（一）予以公开"
PARTLY_DISCLOSED = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
WITHHELD = "（三）不予公开"
CANNOT_PROVIDE = "（四）无法提供"
NOT_PROCESSED = "（五）不予处理"
OTHER = "（六）其他处理"

_ITEMS: dict[str, tuple[str, ...]] = {
    WITHHELD: ("属于国家秘密", "其他法律行政法规禁止公开", "危及“三安全一稳定”", "保护第三方合法权益",
               "属于三类内部事务信息", "属于四类过程性信息", "属于行政执法案卷", "属于行政查询事项"),
    CANNOT_PROVIDE: ("本机关不掌握相关政府信息", "没有现成信息需要另行制作", "补正后申请内容仍不明确"),
    NOT_PROCESSED: ("信访举报投诉类申请", "重复申请", "要求提供公开出版物", "无正当理由大量反复申请",
                    "要求行政机关确认或重新出具已获取信息"),
    # Split into three items by the 2021 format; one row without items in 2019's.
    OTHER: ("申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "其他"),
}
RESULT_GROUPS = (DISCLOSED, PARTLY_DISCLOSED, WITHHELD, CANNOT_PROVIDE, NOT_PROCESSED, OTHER)


def items(group: str, report_format: str = FORMAT_2021, *, numbered: bool = True) -> tuple[str, ...]:
    """The item rows of a result group （n） as printed ("1.属于国家秘密"); () for a group without items."""
    if report_format != FORMAT_2021 and group == OTHER:
        return ()
    found = _ITEMS.get(group, ())
    return tuple(f"{n}.{item}" for n, item in enumerate(found, 1)) if numbered else found


def result_groups(report_format: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(group, its numbered items) for （一）…（六） of 三、本年度办理结果, in the template's order."""
    return tuple((group, items(group, report_format)) for group in RESULT_GROUPS)


# ---------------------------------------------------------------------------------------------------------
# Table 四: 政府信息公开行政复议、行政诉讼情况 (one row of fifteen figures)

REVIEW = "行政复议"
LAWSUIT = "行政诉讼"
DIRECT = "未经复议直接起诉"
AFTER_REVIEW = "复议后起诉"
REMEDY_RESULTS = ("结果维持", "结果纠正", "其他结果", "尚未审结", TOTAL)
T4_GROUPS = ((REVIEW,), (LAWSUIT, DIRECT), (LAWSUIT, AFTER_REVIEW))  # header path of each group of five
