"""Understanding a question: the slots of the typed query that retrieval and composition consume.

`analyse` (knowledge.query) calls these: the report field a question asks about, the year it means
(今年/去年/前年 relative to an injected today), and the procedure intent (the guide entry whose
asked-as phrasings are closest). Nothing downstream re-parses the question's text for these.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np

from knowledge.textproc import lightness

# The words by which citizens ask for each report field (knowledge.fields' catalogue), most specific
# first. Cues name the thing asked for, in everyday and formal words alike.
FIELD_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("contact.postcode", re.compile(r"邮编|邮政编码|邮递区号")),
    ("contact.fax", re.compile(r"传真")),
    ("contact.email", re.compile(r"电子邮箱|电子邮件|邮箱|email|e-mail|电邮|发邮件|邮件地址")),
    ("contact.website", re.compile(r"网址|哪个网站|什么网站|网站地址|电子版|在哪下载|哪里下载|哪儿下载")),
    ("contact.phone", re.compile(r"电话|号码|致电|打给|拨打|打哪个|联系方式|咨询热线")),
    ("contact.address", re.compile(r"地址|办公地点|怎么走|位置|在哪(?:里|儿)?(?![些个种类一])|几号楼|几楼|几层|哪个房间|门牌")),
    ("contact.office", re.compile(r"哪个部门|哪个办公室|哪个科室|找谁|联系谁|哪个机构|什么机构|哪个单位负责|什么部门")),
    ("s1.wechat", re.compile(r"微信|公众号")),
    ("s1.weibo", re.compile(r"微博")),
    ("s1.newmedia", re.compile(r"抖音|视频号|头条号|今日头条|快手|新媒体")),
    ("s1.gazette", re.compile(r"公报")),
    ("s1.press", re.compile(r"发布会")),
    ("s1.hotline", re.compile(r"12345|热线")),
    ("s1.mailbox", re.compile(r"信箱|来信")),
    ("s1.website", re.compile(r"门户网站|政府网站|网站|官网|网上发布|网上公开")),
    ("s5.improvements", re.compile(r"改进|整改|改善|措施|下一步|计划|打算|明年|今后|怎么改|如何改|努力方向")),
    ("s5.problems", re.compile(r"问题|不足|薄弱|短板|差距|缺点|毛病|没做好|做得不好|欠缺")),
    ("s6.npc", re.compile(r"人大|代表建议")),
    ("s6.cppcc", re.compile(r"政协|提案")),
    ("s6.fees", re.compile(r"信息处理费|处理费|(?<!事业性)收费(?!项目|金额)|收了?(?:多少)?钱|收取费用|费用")),
)
# Fields that only make sense for a figure (微信 alone may be about the contact, not the count).
_FIGURE_FIELDS = {"s1.wechat", "s1.weibo", "s1.newmedia", "s1.gazette", "s1.press", "s1.hotline",
                  "s1.mailbox", "s1.website"}
# The template's tables: a question with these words asks for a cell of table 二, 三 or 四.
TABLE_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("四", re.compile(r"行政复议|复议|行政诉讼|诉讼|起诉|官司|告政府|被告|被告上法庭")),
    ("三", re.compile(r"申请|本年新收|上年结转|结转|予以公开|部分公开|不予公开|无法提供|不予处理|其他处理|"
                     r"办结|自然人|法人|商业企业|科研机构|社会公益组织|法律服务机构")),
    ("二", re.compile(r"规章|规范性文件|行政许可|行政处罚|行政强制|行政事业性收费|收费项目|制发|废止|现行有效")),
)
_TOTAL_PUBLISHED = re.compile(r"主动公开|公开了?多少|发布了?多少|公开(?:信息|政府信息)")
_REPORT_WORDS = re.compile(r"年报|年度报告|报告里|报告中|报告上|今年|去年|前年|全年|年度|贵单位|贵局")

_RELATIVE_YEARS = {"今年": 0, "本年": 0, "本年度": 0, "去年": -1, "上一年": -1, "上年": -1, "前年": -2,
                   "大前年": -3}
_RELATIVE = re.compile("|".join(sorted(_RELATIVE_YEARS, key=len, reverse=True)))


def relative_year(norm: str, today: date) -> int | None:
    """今年/去年/前年 as a year (去年的年报 is the report about last year); None when not said.

    本年/上年 inside the template's own labels (本年新收、上年结转) are not a year."""
    for m in _RELATIVE.finditer(norm):
        word = m.group(0)
        if word in ("本年", "上年") and re.match(r"(?:新收|结转|增|减|制发|处理|度?新|项目)", norm[m.end():]):
            continue
        return today.year + _RELATIVE_YEARS[word]
    return None


def report_scoped(norm: str, has_agency: bool, has_year: bool) -> bool:
    """Whether a question asks about a report (its agency or year named, or the report itself)."""
    return has_agency or has_year or bool(_REPORT_WORDS.search(norm))


def detect_fields(norm: str, types: list[str], scoped: bool) -> list[str]:
    """The report fields a question asks for, in the order asked (电话和邮箱 → two fields)."""
    if not scoped:
        return []
    found: list[tuple[int, str]] = []
    wants_figure = "number" in types
    for key, cue in FIELD_CUES:
        m = cue.search(norm)
        if not m:
            continue
        if key in _FIGURE_FIELDS and not wants_figure:
            continue
        if key == "contact.phone" and re.search(r"12345|热线", norm) and wants_figure:
            continue  # 12345热线受理了多少 asks for the channel's figure
        if any(m.start() < e and s < m.end() for s, e, _ in ((p, p + 1, k) for p, k in found)):
            continue
        found.append((m.start(), key))
    keys = [k for _, k in sorted(found)]
    if wants_figure and any(not k.startswith("contact.") for k in keys):
        keys = [k for k in keys if not k.startswith("contact.") or k == "contact.postcode"]
    if "s5.improvements" in keys and "s5.problems" in keys and not re.search(r"改进|整改|措施|计划|打算", norm):
        keys.remove("s5.improvements")
    if not keys and wants_figure and _TOTAL_PUBLISHED.search(norm) and not table_of(norm):
        keys.append("s1.published_total")
    # A contact question names one or more contact items; figures are asked one at a time.
    contact = [k for k in keys if k.startswith("contact.")]
    return contact if contact and not wants_figure else keys[:2]


_ORDINAL = re.compile(r"第\s*([一二三四五六七八九十]|\d{1,2})\s*(?:条|个|项|点|件|方面|是)")
_CN = "一二三四五六七八九十"


def ordinal(norm: str) -> int | None:
    """第二条 / 第三个问题: which item of a list is asked for (1-based)."""
    m = _ORDINAL.search(norm)
    if not m:
        return None
    n = m.group(1)
    return int(n) if n.isdigit() else _CN.index(n) + 1


def table_of(norm: str) -> str:
    """The template table (二、三、四) a figure question is about, or ''."""
    for table, cue in TABLE_CUES:
        if cue.search(norm):
            return table
    return ""


# The template's six sections, by number and by the words of their titles.
_SECTION_TITLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("六", re.compile(r"其他需要报告的事项|其他需报告的事项|其他事项")),
    ("一", re.compile(r"总体情况")),
    ("四", re.compile(r"行政复议[、和与及]?行政诉讼情况")),
    ("三", re.compile(r"收到和处理[^，。？?]{0,12}申请情况")),
    ("二", re.compile(r"主动公开政府信息情况")),
)
_SECTION_NUMBER = re.compile(r"第([一二三四五六1-6])(?:部分|章|节|大部分|板块)")
_SECTION_ASKED = re.compile(r"写了?什么|讲了?什么|说了?什么|内容|有什么|有没有|有哪些|是什么|怎么写|提到|介绍")


def section_asked(norm: str) -> str:
    """The section of a report a question asks about as a whole (年报第六部分写了什么), or ''. Sections
    with fields of their own (五's problems and improvements) are asked through the fields."""
    if not _SECTION_ASKED.search(norm):
        return ""
    m = _SECTION_NUMBER.search(norm)
    if m:
        number = "一二三四五六"[int(m[1]) - 1] if m[1].isdigit() else m[1]
        return "" if number == "五" else number
    return next((number for number, title in _SECTION_TITLES if title.search(norm)), "")


@dataclass(frozen=True)
class Phrasing:
    entry: int  # position of the guide entry in the index
    norm: str
    terms: frozenset[str] = frozenset()


def _bigrams(text: str) -> frozenset[str]:
    chars = re.sub(r"[^\u4e00-\u9fff0-9a-z]", "", text)
    return frozenset(chars[i : i + 2] for i in range(len(chars) - 1))


class IntentIndex:
    """The guide's catalogue of procedure intents, each asked in many ways; the nearest phrasing wins.

    Likeness of a question to a phrasing: the share of their words' weight they have in common (a
    cosine over IDF weights, so 不予公开 counts more than 怎么) and, for typos and unsegmented text,
    the character pairs they share."""

    def __init__(self, phrasings: list[Phrasing], idf: Callable[[str], float]) -> None:
        # One phrasing once (a corpus may hold the same guide twice); it stands for its first entry.
        seen: dict[str, Phrasing] = {}
        for p in phrasings:
            seen.setdefault(p.norm, p)
        self.phrasings = list(seen.values())
        self.idf = {t: idf(t) * lightness(t) for p in self.phrasings for t in p.terms}
        self.entries = np.array([p.entry for p in self.phrasings], dtype=np.int64)
        self.totals = np.array([sum(self.idf[t] for t in p.terms) or 1.0 for p in self.phrasings])
        self.sizes = np.array([max(len(_bigrams(p.norm)), 1) for p in self.phrasings], dtype=np.float64)
        # Postings as arrays: which phrasings have a word, a character pair (a question meets only those).
        by_term: dict[str, list[int]] = {}
        by_pair: dict[str, list[int]] = {}
        for i, p in enumerate(self.phrasings):
            for t in p.terms:
                by_term.setdefault(t, []).append(i)
            for pair in _bigrams(p.norm):
                by_pair.setdefault(pair, []).append(i)
        self.by_term = {t: np.array(ids, dtype=np.int64) for t, ids in by_term.items()}
        self.by_pair = {b: np.array(ids, dtype=np.int64) for b, ids in by_pair.items()}

    def classify(self, norm: str, weights: dict[str, float]) -> list[tuple[int, float]]:
        """Guide entries by their closest phrasing to the question, best first, with a 0–1 score."""
        n = len(self.phrasings)
        if not n or not norm:
            return []
        q_total = sum(weights.values()) or 1.0
        terms = [t for t in weights if t in self.by_term]
        pairs = [b for b in _bigrams(norm) if b in self.by_pair]
        if not terms and not pairs:
            return []
        shared_idf: np.ndarray = np.zeros(n)
        shared_weight: np.ndarray = np.zeros(n)
        if terms:
            ids = np.concatenate([self.by_term[t] for t in terms])
            shared_idf = np.bincount(ids, weights=np.concatenate(
                [np.full(len(self.by_term[t]), self.idf[t]) for t in terms]), minlength=n)
            shared_weight = np.bincount(ids, weights=np.concatenate(
                [np.full(len(self.by_term[t]), weights[t]) for t in terms]), minlength=n)
        common: np.ndarray = (np.bincount(np.concatenate([self.by_pair[b] for b in pairs]), minlength=n)
                              if pairs else np.zeros(n))
        # How much of the phrasing the question says (a long story may say much more), and how much of
        # the question the phrasing covers; and the character pairs it shares (typos, unsegmented text).
        of_phrasing = shared_idf / self.totals
        of_question = shared_weight / q_total
        total = of_phrasing + of_question
        both = np.divide(2 * of_phrasing * of_question, total, out=np.zeros(n), where=total > 0)
        scores = 0.75 * both + 0.25 * (common / self.sizes)
        best: dict[int, float] = {}
        for i in np.argsort(-scores)[:60]:
            entry = int(self.entries[i])
            if scores[i] > 0 and entry not in best:
                best[entry] = float(scores[i])
            if len(best) == 5:
                break
        return sorted(best.items(), key=lambda kv: -kv[1])
