"""Agency names as people say them: aliases from a name's structure and the usual short forms.

A name is read as place + department + suffix (平潭综合实验区 + 公安 + 局). Aliases drop or shorten
the place (平潭综合实验区 → 平潭; 淮安市洪泽区 → 洪泽区 → 洪泽), shorten the department by the usual
short forms of Chinese government departments (`SHORT_FORMS`, and the first character of each part:
交通与建设 → 交建) and drop the suffix when a place still says whose it is (平潭公安).
"""

from __future__ import annotations

import re
from functools import lru_cache

from knowledge.textproc import normalize

# The usual short forms of department names (full core → short cores). Documented in the README.
SHORT_FORMS: dict[str, tuple[str, ...]] = {
    "发展和改革": ("发改",),
    "人力资源和社会保障": ("人社", "人力社保"),
    "住房和城乡建设": ("住建", "住房城乡建设"),
    "市场监督管理": ("市监", "市场监管"),
    "自然资源和规划": ("自规", "自然资源", "资规"),
    "自然资源": ("自然资源", "国土"),
    "自然资源与生态环境": ("自然资源", "资源环境"),
    "生态环境": ("生态环境", "环保", "生态"),
    "卫生健康": ("卫健",),
    "卫生和计划生育": ("卫计",),
    "教育": ("教育",),
    "教育和体育": ("教体", "教育"),
    "交通运输": ("交通", "交运"),
    "交通与建设": ("交建", "交通"),
    "农业农村": ("农业农村", "农业", "农农"),
    "应急管理": ("应急",),
    "财政": ("财政",),
    "行政审批": ("审批", "行政审批"),
    "行政审批服务": ("审批", "行政审批"),
    "公安": ("公安",),
    "民政": ("民政",),
    "司法": ("司法",),
    "统计": ("统计",),
    "文化和旅游": ("文旅", "文化旅游"),
    "文化广电和旅游": ("文旅", "文广旅", "文广新旅"),
    "文化广电旅游体育": ("文旅", "文广旅体"),
    "水利": ("水利", "水务"),
    "水务": ("水务", "水利"),
    "商务": ("商务",),
    "工业和信息化": ("工信", "经信"),
    "经济和信息化": ("经信", "工信"),
    "科学技术": ("科技", "科"),
    "退役军人事务": ("退役军人", "退役事务"),
    "医疗保障": ("医保",),
    "林业": ("林业",),
    "城市管理": ("城管",),
    "城市管理和综合执法": ("城管", "城管执法", "综合执法"),
    "综合行政执法": ("综合执法", "执法"),
    "审计": ("审计",),
    "信访": ("信访",),
    "体育": ("体育",),
    "粮食和物资储备": ("粮储", "粮食"),
    "国有资产监督管理": ("国资",),
    "民族宗教事务": ("民宗",),
    "人民防空": ("人防",),
    "地方金融监督管理": ("金融", "地方金融"),
    "大数据管理": ("大数据", "数据"),
    "数据资源管理": ("数据", "数据资源"),
    "乡村振兴": ("乡村振兴", "乡振"),
    "机关事务管理": ("机关事务", "机管"),
    "社会事业": ("社事", "社会事业"),
    "消防救援": ("消防",),
    "税务": ("税务",),
    "气象": ("气象",),
    "档案": ("档案",),
    "外事": ("外事", "外办"),
    "政务服务数据管理": ("政数", "政务服务"),
    "政务服务管理": ("政务服务", "政务办"),
}
# Suffixes and their spoken forms: 委员会 → 委, 办公室 → 办.
_SUFFIXES: dict[str, tuple[str, ...]] = {
    "管理委员会": ("管委会", "管委"),
    "委员会": ("委员会", "委"),
    "办公厅": ("办公厅", "办"),
    "办公室": ("办公室", "办"),
    "管理局": ("管理局", "局"),
    "局": ("局",),
    "厅": ("厅",),
    "委": ("委", "委员会"),
    "办": ("办",),
    "中心": ("中心",),
    "管委会": ("管委会", "管委"),
}
_SUFFIX = re.compile("(" + "|".join(sorted(_SUFFIXES, key=len, reverse=True)) + ")$")
_GOVERNMENT = re.compile(r"(人民政府办公厅|人民政府办公室|人民政府|政府办公厅|政府办公室|政府|党工委管委会)$")
_LEVEL = "综合实验区|自治州|自治县|自治区|新区|开发区|片区|街道|省|市|区|县|镇|乡|旗"
_UNIT = re.compile(rf"[\u4e00-\u9fff]{{1,8}}?(?:{_LEVEL})")
LEVEL_WORDS = ("省", "市", "区", "县", "镇", "乡", "街道", "片区", "新区", "综合实验区", "自治州", "自治县")


def _places(prefix: str) -> tuple[list[str], set[str]]:
    """The admin units a name starts with, and the ways to say the place (full, last unit, bare)."""
    units: list[str] = []
    rest = prefix
    while True:
        m = _UNIT.match(rest)
        if not m or len(m.group(0)) < 2 or re.search(r"[和与及]", m.group(0)):
            break  # 住房和城乡… is a department, not a 乡
        units.append(m.group(0))
        rest = rest[m.end():]
    forms: set[str] = set()
    if units:
        forms.add("".join(units))
        last = units[-1]
        forms.add(last)
        for level in sorted(LEVEL_WORDS, key=len, reverse=True):
            if last.endswith(level) and len(last) - len(level) >= 2:
                forms.add(last[: -len(level)])
                break
    return units, forms


def split_name(agency: str) -> tuple[str, str, str]:
    """(place, department core, suffix) of an agency name; core and suffix empty for a government."""
    name = normalize(agency)
    units, _ = _places(name)
    place = "".join(units)
    rest = name[len(place):]
    if not rest or _GOVERNMENT.fullmatch(rest):
        return place, "", rest
    splits = [(rest[: -len(sfx)], sfx) for sfx in sorted(_SUFFIXES, key=len, reverse=True)
              if rest.endswith(sfx) and len(rest) > len(sfx)]
    if not splits:
        return place, rest, ""
    # 市场监督管理局: the core the table knows (市场监督管理 + 局) over the longest suffix (管理局).
    known = [(c, sfx) for c, sfx in splits if c in SHORT_FORMS]
    core, sfx = (known or splits)[0]
    return place, core, sfx


_GENERIC_CORES = {"", "管理", "管理委员会", "工作委员会", "党工委管委会", "管委会"}


def _core_forms(core: str, suffix: str) -> set[str]:
    forms = {core}
    forms.update(SHORT_FORMS.get(core, ()))
    for full, shorts in SHORT_FORMS.items():  # 科委 names 科学技术委员会 the other way round
        if core in shorts:
            forms.add(full)
    # The first character of each part: 交通与建设 → 交建, 发展和改革 → 发改.
    parts = [p for p in re.split(r"[和与及、]", core) if p]
    if len(parts) >= 2 and all(len(p) >= 2 for p in parts):
        forms.add("".join(p[0] for p in parts))
        if len(parts[0]) >= 4:
            forms.add(parts[0])  # 自然资源与生态环境 → 自然资源
    return {f for f in forms if f}


@lru_cache(maxsize=4096)
def agency_aliases(agency: str) -> frozenset[str]:
    """Names a citizen may use for an agency: 平潭综合实验区公安局 → 平潭公安局, 平潭公安, …"""
    name = normalize(agency)
    aliases = {name}
    place, core, suffix = split_name(name)
    _, place_forms = _places(place)
    if core in _GENERIC_CORES:  # 海坛片区管理局 governs its area: named by the place, like a government
        core, suffix = "", core + suffix
    if not core:  # a government: 淮安市洪泽区人民政府 → 洪泽区人民政府, 洪泽区, 洪泽 …
        for p in place_forms or {place}:
            if not p:
                continue
            aliases.add(p)
            if suffix:
                aliases.add(p + suffix)
                aliases.add(p + _GOVERNMENT.sub("政府", suffix))
        return frozenset(a for a in aliases if len(a) >= 2)
    suffixes = set(_SUFFIXES.get(suffix, (suffix,)))
    units, _ = _places(place)
    level = units[-1][-1] if units and units[-1][-1] in "省市区县镇乡" else ""
    for c in _core_forms(core, suffix):
        if level:
            aliases.update(level + c + s for s in suffixes)  # 市科委, 区发改局
        for s in suffixes:
            aliases.add(c + s)  # 公安局, 发改委 — alone, they name it when only one such is loaded
            for p in place_forms:
                aliases.add(p + c + s)
        for p in place_forms:
            if len(c) >= 2:
                aliases.add(p + c)  # 平潭公安, 沭阳发改
    return frozenset(a for a in aliases if len(a) >= 2)


def bare_aliases(agency: str) -> frozenset[str]:
    """Aliases that name no place (公安局, 发改委): they count only when no place is named."""
    place, _core, _suffix = split_name(agency)
    _, forms = _places(place)
    return frozenset(a for a in agency_aliases(agency) if not any(f in a for f in forms | {place} if f))


# A mention of a department or government in a question, whether or not it is loaded.
_DEPARTMENT = re.compile(
    rf"(?:[\u4e00-\u9fff]{{2,8}}?(?:{_LEVEL}))?[\u4e00-\u9fff]{{1,10}}?(?:局|委员会|委|厅|办公室|管委会|政府)")


def department_mentions(norm: str) -> list[str]:
    """Department-like names in a question (平潭人社局, 发改委): for 'not loaded' and fuzzy matches."""
    out = []
    for m in _DEPARTMENT.finditer(norm):
        word = m.group(0)
        word = re.sub(r"^(?:请问|我想问|想问|问一下|你好|您好|关于|那个|这个|咱们|我们|的)+", "", word)
        if len(word) >= 2:
            out.append(word)
    return out


def identity(agency: str) -> str:
    """One key for the names of one agency as reports write them (洪泽区人民政府 = 淮安市洪泽区人民政府)."""
    place, core, suffix = split_name(agency)
    units, _ = _places(place)
    last = units[-1] if units else place
    if core in _GENERIC_CORES:
        core = ""
    suffix = "" if not core else suffix
    return f"{last}|{core}|{suffix}"
