"""Reply codes: each tied to its article and to exactly one row of table 三 (2021 format).

Row and group labels are copied from ``reference/law/template-2021.md``; a test checks them
against that file. Several codes may share a row: （一） holds both "already public" and
"disclosed"; （四）1 holds both "not held" and "not this agency's" (only the latter names the
responsible agency, 第三十六条第（五）项).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Remedy(StrEnum):
    """Which remedies the closing reply names (decisions since 2024-01-01; before, both routes)."""

    # 行政复议法第二十三条第一款第（四）项: "申请政府信息公开，行政机关不予公开" goes to review before any
    # suit. A partial disclosure withholds part, so it counts too.
    REVIEW_FIRST = "review_first"
    # 无法提供, 不予处理, 其他处理 and 第三十六条第（七）项 (which redirects rather than withholds): courts
    # differ on whether that rule reaches them. The reply names both routes and quotes the rule as the
    # law words it, and never tells the applicant that review must come first.
    UNSETTLED = "unsettled"
    REVIEW_OR_LAWSUIT = "review_or_lawsuit"  # a disclosure: review (60 days) or a lawsuit (6 months)
    NONE = "none"  # a withdrawal is the applicant's own act


@dataclass(frozen=True)
class Outcome:
    code: str
    article: str | None  # of 《政府信息公开条例》; None where the regulation has no direct article
    group: str  # second-level label of table 三, e.g. "（三）不予公开"
    row: str  # the one row this code counts in; for （一）（二） the group label itself
    remedy: Remedy
    names_agency: bool = False

    @property
    def withholds(self) -> bool:
        """不予公开, wholly or in part: the outcomes 行政复议法第二十三条第一款第（四）项 names."""
        return self.remedy is Remedy.REVIEW_FIRST


G1 = "（一）予以公开"
G2 = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
G3 = "（三）不予公开"
G4 = "（四）无法提供"
G5 = "（五）不予处理"
G6 = "（六）其他处理"
_ART36_3 = "第三十六条第（三）项"
_R, _U, _B, _N = Remedy.REVIEW_FIRST, Remedy.UNSETTLED, Remedy.REVIEW_OR_LAWSUIT, Remedy.NONE

OUTCOMES: dict[str, Outcome] = {
    o.code: o
    for o in (
        Outcome("already_public", "第三十六条第（一）项", G1, G1, _B),
        Outcome("disclosed", "第三十六条第（二）项", G1, G1, _B),
        Outcome("partly_disclosed", "第三十七条", G2, G2, _R),
        Outcome("state_secret", f"第十四条、{_ART36_3}", G3, "1.属于国家秘密", _R),
        Outcome("prohibited_by_law", f"第十四条、{_ART36_3}", G3, "2.其他法律行政法规禁止公开", _R),
        Outcome("security_stability", f"第十四条、{_ART36_3}", G3, "3.危及“三安全一稳定”", _R),
        Outcome("third_party_rights", f"第十五条、第三十二条、{_ART36_3}", G3, "4.保护第三方合法权益", _R),
        Outcome("internal_affairs", f"第十六条第一款、{_ART36_3}", G3, "5.属于三类内部事务信息", _R),
        Outcome("process_information", f"第十六条第二款、{_ART36_3}", G3, "6.属于四类过程性信息", _R),
        Outcome("enforcement_file", f"第十六条第二款、{_ART36_3}", G3, "7.属于行政执法案卷", _R),
        # procedures.md §7: the mapping of 第三十六条第（七）项 to （三）8 is an unverified reading. The reply
        # points to another procedure instead of withholding, so its remedies are those of （四）.
        Outcome("administrative_query", "第三十六条第（七）项", G3, "8.属于行政查询事项", _U),
        Outcome("not_held", "第三十六条第（四）项", G4, "1.本机关不掌握相关政府信息", _U),
        Outcome("not_this_agency", "第三十六条第（五）项", G4, "1.本机关不掌握相关政府信息", _U, names_agency=True),
        Outcome("needs_new_work", "第三十八条", G4, "2.没有现成信息需要另行制作", _U),
        Outcome("still_unclear", "第三十条", G4, "3.补正后申请内容仍不明确", _U),
        Outcome("petition_complaint", "第三十九条第一款", G5, "1.信访举报投诉类申请", _U),
        Outcome("repeated", "第三十六条第（六）项", G5, "2.重复申请", _U),
        Outcome("publication", "第三十九条第二款", G5, "3.要求提供公开出版物", _U),
        Outcome("excessive", "第三十五条", G5, "4.无正当理由大量反复申请", _U),
        Outcome("confirm_or_reissue", None, G5, "5.要求行政机关确认或重新出具已获取信息", _U),
        Outcome("correction_overdue", "第三十条", G6,
                "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", _U),
        Outcome("fee_unpaid", "第四十二条", G6,
                "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", _U),
        Outcome("withdrawn", None, G6, "3.其他", _N),
    )
}

# Enquiries are not counted in table 三; they close with one of these.
ENQUIRY_OUTCOMES = frozenset({"answered", "referred", "withdrawn"})
