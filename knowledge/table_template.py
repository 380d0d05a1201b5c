"""The national template's tables as data, and the comparison of a report's labels with them.

Row and column labels are those printed in 国办公开办函〔2021〕30号 (and the 2019 trial format);
`label_score` says how well a label as a report prints it (normalised) ends in a template label.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass

# ---------------------------------------------------------------------------------------------------------
# The template


@dataclass(frozen=True)
class RowSpec:
    row: str
    group: str
    columns: tuple[str, ...]
    variant: str = ""  # "2019" / "2021" for rows of one template version only

    @property
    def key(self) -> str:
        return norm(self.row)


T3_COLUMNS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
T4_COLUMNS = tuple(
    f"{group}/{column}"
    for group in ("行政复议", "行政诉讼/未经复议直接起诉", "行政诉讼/复议后起诉")
    for column in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
)
_RESULTS = "三、本年度办理结果"
_OTHER = "（六）其他处理"
_T3_SUBITEMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "（三）不予公开",
        (
            "属于国家秘密",
            "其他法律行政法规禁止公开",
            "危及“三安全一稳定”",
            "保护第三方合法权益",
            "属于三类内部事务信息",
            "属于四类过程性信息",
            "属于行政执法案卷",
            "属于行政查询事项",
        ),
    ),
    ("（四）无法提供", ("本机关不掌握相关政府信息", "没有现成信息需要另行制作", "补正后申请内容仍不明确")),
    (
        "（五）不予处理",
        (
            "信访举报投诉类申请",
            "重复申请",
            "要求提供公开出版物",
            "无正当理由大量反复申请",
            "要求行政机关确认或重新出具已获取信息",
        ),
    ),
)
_T3_OTHER_ITEMS = (
    "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "其他",
)
T3_SUMMARY = (
    "一、本年新收政府信息公开申请数量",
    "二、上年结转政府信息公开申请数量",
    "（七）总计",
    "四、结转下年度继续办理",
)


def _table3_specs() -> tuple[RowSpec, ...]:
    def spec(row: str, group: str = "", variant: str = "") -> RowSpec:
        return RowSpec(row, group, T3_COLUMNS, variant)

    rows = [
        spec(T3_SUMMARY[0]),
        spec(T3_SUMMARY[1]),
        spec("（一）予以公开", _RESULTS),
        spec("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", _RESULTS),
    ]
    for group, items in _T3_SUBITEMS:
        rows += [spec(f"{n}.{item}", f"{_RESULTS} / {group}") for n, item in enumerate(items, 1)]
    rows.append(spec(_OTHER, _RESULTS, "2019"))
    rows += [
        spec(f"{n}.{item}", f"{_RESULTS} / {_OTHER}", "2021") for n, item in enumerate(_T3_OTHER_ITEMS, 1)
    ]
    rows += [spec(T3_SUMMARY[2], _RESULTS), spec(T3_SUMMARY[3])]
    return tuple(rows)


T3_SPECS = _table3_specs()

_ITEM_1, _ITEM_5, _ITEM_6, _ITEM_8, _ITEM_9 = (f"第二十条第（{n}）项" for n in "一五六八九")
_DECISIONS_2019 = ("上一年项目数量", "本年增/减", "处理决定数量")
T2_SPECS_2021 = (
    RowSpec("规章", _ITEM_1, ("本年制发件数", "本年废止件数", "现行有效件数")),
    RowSpec("行政规范性文件", _ITEM_1, ("本年制发件数", "本年废止件数", "现行有效件数")),
    RowSpec("行政许可", _ITEM_5, ("本年处理决定数量",)),
    RowSpec("行政处罚", _ITEM_6, ("本年处理决定数量",)),
    RowSpec("行政强制", _ITEM_6, ("本年处理决定数量",)),
    RowSpec("行政事业性收费", _ITEM_8, ("本年收费金额（单位：万元）",)),
)
T2_SPECS_2019 = (
    RowSpec("规章", _ITEM_1, ("本年新制作数量", "本年新公开数量", "对外公开总数量")),
    RowSpec("规范性文件", _ITEM_1, ("本年新制作数量", "本年新公开数量", "对外公开总数量")),
    RowSpec("行政许可", _ITEM_5, _DECISIONS_2019),
    RowSpec("其他对外管理服务事项", _ITEM_5, _DECISIONS_2019),
    RowSpec("行政处罚", _ITEM_6, _DECISIONS_2019),
    RowSpec("行政强制", _ITEM_6, _DECISIONS_2019),
    RowSpec("行政事业性收费", _ITEM_8, _DECISIONS_2019[:2]),
    RowSpec("政府集中采购", _ITEM_9, ("采购项目数量", "采购总金额")),
)
T2_2019_MARKERS = (
    "本年新制作",
    "本年新公开",
    "对外公开总数",
    "上一年项目数",
    "采购项目数量",
    "政府集中采购",
)

# ---------------------------------------------------------------------------------------------------------
# Normalised fuzzy label comparison

THRESHOLD = 0.75
_FUZZY_MIN = 6  # labels shorter than this are compared exactly
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+[,.]|\([一二三四五六七八九十]+\)|\d+\.)")


@functools.lru_cache(maxsize=4096)
def norm(label: str) -> str:
    """Full/half width, 、/. after item numbers, spaces and quotes unified, for comparing labels."""
    text = unicodedata.normalize("NFKC", label)
    text = re.sub(r"(?<=\d)\s*[、,]", ".", text)
    text = text.replace("、", ",")
    return re.sub(r"[\s|/#*“”\"'‘’`]", "", text)


def _tail_ratio(wanted: str, raw: str) -> float:
    """Best similarity of `wanted` with a tail of `raw` of about the same length."""
    best = 0.0
    matcher = difflib.SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(wanted)
    for width in range(max(1, len(wanted) - 3), len(wanted) + 4):
        matcher.set_seq1(raw[-width:])
        if matcher.real_quick_ratio() > best and matcher.quick_ratio() > best:
            best = max(best, matcher.ratio())
    return best


def _starts_word(raw: str, tail: int) -> bool:
    """Whether the last `tail` characters of `raw` begin a label (not the end of a longer word)."""
    before = raw[-tail - 1 : -tail] if tail < len(raw) else ""
    return not re.fullmatch(r"[\u4e00-\u9fff]", before)


@functools.lru_cache(maxsize=65536)
def label_score(key: str, raw: str) -> float:
    """How well a normalised report label `raw` (possibly prefixed by group labels) ends in template `key`.

    Short labels must match exactly; a short label without its numbering ("予以公开") must also start a
    word, so that "其他处理" is not found in "转送其他机关处理".  Long labels may differ in a few characters.
    """
    best = 0.0
    body = _NUMBERING.sub("", key)
    for wanted, numbered in ((key, True), (body, body == key)):
        penalty = 0.0 if numbered else 0.02
        short = len(wanted) < _FUZZY_MIN
        if len(wanted) < 2 or (short and not numbered and not _starts_word(raw, len(wanted))):
            continue
        if raw.endswith(wanted):
            return 1.0 - penalty
        if short:
            continue
        if numbered and wanted in raw:
            best = max(best, 0.85)
        best = max(best, _tail_ratio(wanted, raw) - penalty)
    return best
