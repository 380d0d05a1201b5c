"""Template fields extracted at ingest, checked against values written by hand for every report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from knowledge.fields import BY_KEY, EMPTY, FIELDS, extract_fields
from knowledge.readers import read_file
from knowledge.structure import parse_document

DATA = Path(__file__).parent / "data"
EXPECTED: dict[str, dict[str, object]] = json.loads((DATA / "fields_expected.json").read_text("utf-8"))
# Where the hand-written value and the extractor knowingly differ, and why (each is a judgement the
# template does not settle, or a report that does not follow the template).
KNOWN = {
    ("000_hecheng_2019.txt", "contact.website"): "the report names its portal but gives no address",
    ("01_pingtan-scj_2019.txt", "contact.website"): "the report names its portal but gives no address",
    ("000_hecheng_2019.txt", "s1.published_total"): "the hand value takes the website count as the total",
    ("10_hongze_2024.txt", "s1.published_total"): "the hand value takes the website count as the total",
    ("01_shanghai-bangongting_2019.txt", "s1.published_total"): "13 is a count of rules, read as a total",
    ("01_shanghai-bangongting_2019.txt", "s1.website"): "the figure near 网站 counts rules",
    ("01_shanghai-bangongting_2019.txt", "s1.wechat"): "180 is a count of posts of one campaign",
    ("04_pingtan_2021.txt", "s1.website"): "the total is said to be published through the website",
    ("04_pingtan_2021.txt", "s1.wechat"): "inspection batches published via WeChat, not posts",
    ("05_pingtan_2022.txt", "s1.website"): "a count of website columns",
    ("12_shanghai-kewei_2024.txt", "s1.published_total"): "its own section numbering: the total is in 三",
    ("12_shanghai-kewei_2024.txt", "s5.problems"): "no section 五: problems stand under its own heading",
    ("12_shanghai-kewei_2024.txt", "s5.improvements"): "no section 五",
    ("12_shanghai-kewei_2024.txt", "s6.npc"): "人大建议 stand in its section 三",
    ("12_shanghai-kewei_2024.txt", "s6.cppcc"): "政协提案 stand in its section 三",
    ("14_shuyang_2025.txt", "s5.improvements"): "a fourth, unnumbered paragraph follows the three points",
}


def _path(name: str) -> Path:
    for folder in (DATA / "reports", DATA / "validation"):
        if (folder / name).exists():
            return folder / name
    raise FileNotFoundError(name)


def _fields(name: str) -> dict[str, dict[str, object]]:
    doc = parse_document(read_file(_path(name)), name)
    return {str(p.data["field"]): p.data for p in doc.passages if p.kind == "field" and p.data}


def _agrees(expected: object, got: dict[str, object]) -> bool:
    items = list(got.get("items") or [])  # type: ignore[call-overload]
    if expected is None:
        return got.get("value") is None and not items
    if isinstance(expected, list):  # no item dropped, none added, in order
        return len(items) == len(expected) and all(e in i for e, i in zip(expected, items, strict=True))
    if str(got.get("field", "")).startswith("contact."):  # what is shown is the value itself: all of it
        return str(expected) in str(got.get("value") or "")
    value = str(got.get("value") or "") + str(got.get("text") or "")
    return got.get("value") is not None and str(expected) in value


CASES = [(name, key) for name, fields in sorted(EXPECTED.items()) for key in sorted(fields)
         if not key.startswith("_") and key in BY_KEY]


@pytest.mark.parametrize(("name", "key"), CASES)
def test_each_field_of_each_report_is_what_the_report_says(name: str, key: str) -> None:
    got = _fields(name)[key]
    agrees = _agrees(EXPECTED[name][key], got)
    if (name, key) in KNOWN:
        assert not agrees, f"{name} {key} now agrees: remove it from KNOWN"
    else:
        assert agrees, f"{name} {key}: expected {EXPECTED[name][key]!r}, got {got.get('value') or got.get('items')!r}"


def test_every_report_has_every_field_of_the_catalogue_empty_ones_included() -> None:
    for name in EXPECTED:
        assert set(_fields(name)) == {f.key for f in FIELDS}


def test_a_field_carries_its_source_section_and_offsets_in_the_text() -> None:
    name = "000_hecheng_2019.txt"
    text = read_file(_path(name))
    phone = _fields(name)["contact.phone"]
    start, end = phone["start"], phone["end"]
    assert isinstance(start, int) and isinstance(end, int)
    assert text[start:end] == "0745-2230100"
    wechat = _fields(name)["s1.wechat"]
    assert wechat["value"] == "168" and "微信公众号" in str(wechat["text"])


def test_problems_written_as_one_sentence_are_split_into_their_points() -> None:
    fields = extract_fields("五、存在的主要问题及改进情况\n工作取得一定成效，但仍存在一些不足，主要是：个别部门研判能力不足，"
                            "答复文书规范性有待提升，政策解读形式还不够丰富等。下一步，我们将一是加强培训。二是完善制度。",
                            [("五", "五、存在的主要问题及改进情况",
                              "工作取得一定成效，但仍存在一些不足，主要是：个别部门研判能力不足，答复文书规范性有待提升，"
                              "政策解读形式还不够丰富等。下一步，我们将一是加强培训。二是完善制度。")])
    by_key = {f.key: f for f in fields}
    assert by_key["s5.problems"].items == ("个别部门研判能力不足", "答复文书规范性有待提升", "政策解读形式还不够丰富")
    assert by_key["s5.improvements"].items == ("加强培训", "完善制度")
    assert by_key["s6.fees"].shown() == EMPTY
