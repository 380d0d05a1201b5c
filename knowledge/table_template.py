"""The national template's tables as data, and the comparison of a report's labels with them.

Row and column labels come from ``knowledge.template_labels`` (国办公开办函〔2021〕30号 and the 2019
trial format); `label_score` says how well a label as a report prints it (normalised) ends in a template label.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass

from knowledge import template_labels as labels

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


T3_COLUMNS = labels.T3_COLUMNS
T4_COLUMNS = tuple(
    f"{'/'.join(path)}/{column}" for path in labels.T4_GROUPS for column in labels.REMEDY_RESULTS
)
T3_SUMMARY = (labels.NEW, labels.CARRIED_IN, labels.GRAND_TOTAL, labels.CARRIED_OUT)


def _table3_specs() -> tuple[RowSpec, ...]:
    """Every row of both formats; rows of one format only carry their variant."""

    def spec(row: str, group: str = "", variant: str = "") -> RowSpec:
        return RowSpec(row, group, T3_COLUMNS, variant)

    rows = [spec(labels.NEW), spec(labels.CARRIED_IN)]
    for group, items in labels.result_groups(labels.FORMAT_2021):
        if group == labels.OTHER:  # one row in 2019; three items in 2021
            rows.append(spec(group, labels.RESULTS, labels.FORMAT_2019))
            rows += [spec(item, f"{labels.RESULTS} / {group}", labels.FORMAT_2021) for item in items]
        elif items:
            rows += [spec(item, f"{labels.RESULTS} / {group}") for item in items]
        else:
            rows.append(spec(group, labels.RESULTS))
    rows += [spec(labels.GRAND_TOTAL, labels.RESULTS), spec(labels.CARRIED_OUT)]
    return tuple(rows)


T3_SPECS = _table3_specs()


def _table2_specs(report_format: str) -> tuple[RowSpec, ...]:
    return tuple(RowSpec(row.label, labels.article_20(row.item), row.columns) for row in labels.table2(report_format))


T2_SPECS_2021 = _table2_specs(labels.FORMAT_2021)
T2_SPECS_2019 = _table2_specs(labels.FORMAT_2019)
# Words only the 2019 format's table 二 prints (shortened where reports wrap or abbreviate them).
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
