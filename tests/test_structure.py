"""Parsing real reports: title, agency, year, sections, items, tables; the regulation; the guide."""

from pathlib import Path

import pytest

from knowledge.errors import ParseError
from knowledge.readers import read_file
from knowledge.structure import Hints, parse_document

REPORTS = Path(__file__).parent / "data" / "reports"
BUNDLED = Path(__file__).parents[1] / "knowledge" / "data"


def parse(path: Path, **hints: object):  # type: ignore[no-untyped-def]
    return parse_document(read_file(path), path.name, Hints(**hints))  # type: ignore[arg-type]


def sections(doc) -> list[str]:  # type: ignore[no-untyped-def]
    return list(dict.fromkeys(p.section for p in doc.passages))


@pytest.mark.parametrize(
    ("name", "agency", "year"),
    [
        ("000_hecheng_2019.txt", "鹤城区", 2019),
        ("01_shanghai-bangongting_2019.txt", "上海市人民政府办公厅", 2019),
        ("04_pingtan_2021.txt", "平潭综合实验区", 2021),
        ("07_pingtan_2024.txt", "平潭综合实验区", 2024),
        ("10_hongze_2024.txt", "淮安市洪泽区人民政府", 2024),
        ("11_huaian_2024.txt", "淮安市人民政府", 2024),
        ("14_shuyang_2025.txt", "沐阳县人民政府", 2025),
        ("pdf/11_huaian_2024.pdf", "淮安市人民政府", 2024),
    ],
)
def test_title_agency_and_year_are_recognised(name: str, agency: str, year: int) -> None:
    doc = parse(REPORTS / name)
    assert (doc.agency, doc.year, doc.kind) == (agency, year, "report")


def test_a_txt_and_a_pdf_of_one_report_are_the_same_document() -> None:
    assert parse(REPORTS / "10_hongze_2024.txt").title == parse(REPORTS / "pdf" / "10_hongze_2024.pdf").title


def test_hecheng_sections_two_to_four_are_recorded_as_empty() -> None:
    doc = parse(BUNDLED / "hecheng_2019.txt")
    empty = [p.section for p in doc.passages if p.kind == "empty_section"]
    assert [s[:2] for s in empty] == ["二、", "三、", "四、"]
    assert len([s for s in sections(doc) if s[:2] in ("一、", "五、", "六、")]) == 3


def test_one_line_web_page_is_split_into_six_sections_without_navigation() -> None:
    doc = parse(REPORTS / "04_pingtan_2021.txt")
    numbered = [s for s in sections(doc) if s != "报告说明"]
    assert [s[0] for s in numbered] == list("一二三四五六")
    assert not any("当前位置" in p.text for p in doc.passages)


def test_pdf_lines_are_rejoined_and_page_numbers_dropped() -> None:
    doc = parse(REPORTS / "pdf" / "10_hongze_2024.pdf")
    sentence = next(p.text for p in doc.passages if "受理政府信息公开申请" in p.text and p.kind == "text")
    assert "受理政府信息公开申请17件" in sentence
    assert not any(p.text.strip("- ").isdigit() for p in doc.passages if p.kind != "field")


def test_numbered_items_are_kept_as_context() -> None:
    doc = parse(BUNDLED / "hecheng_2019.txt")
    passage = next(p for p in doc.passages if "12965" in p.text)
    assert passage.item.endswith("积极主动公开各类信息")
    assert passage.section == "一、总体情况"


def test_table_cells_keep_row_and_column_labels() -> None:
    doc = parse(REPORTS / "11_huaian_2024.txt")
    cell = next(p for p in doc.passages if p.kind == "cell" and p.data
                and p.data["row"] == "一、本年新收政府信息公开申请数量" and p.data["column"] == "自然人")
    assert cell.data is not None and cell.data["value"] == "3001"
    assert cell.section.startswith("三、")


def test_the_regulation_is_split_by_article() -> None:
    doc = parse(BUNDLED / "tiaoli_2019.txt")
    assert doc.kind == "regulation"
    assert len(doc.passages) == 56
    art33 = next(p for p in doc.passages if p.item == "第三十三条")
    assert "20个工作日" in art33.text and art33.section.startswith("第四章")


def test_the_guide_has_at_least_thirty_entries_each_citing_its_basis() -> None:
    doc = parse(BUNDLED / "guide.md")
    assert doc.kind == "guide" and len(doc.passages) >= 30
    assert all(p.data and p.data["basis"] for p in doc.passages)
    assert all(len(p.text) <= 400 for p in doc.passages)


def test_agency_and_year_hints_fill_what_the_text_does_not_say() -> None:
    text = "一、总体情况\n我们做了很多工作。\n二、主动公开政府信息情况\n本年主动公开信息10条。\n"
    with pytest.raises(ParseError):
        parse_document(text, "x.txt")
    doc = parse_document(text, "x.txt", Hints(agency="某某县人民政府", year=2023))
    assert (doc.agency, doc.year) == ("某某县人民政府", 2023)


@pytest.mark.parametrize("text", ["", "   \n\t", "随便写的一段话，没有任何章节。"])
def test_text_that_is_not_a_report_is_refused_with_a_reason(text: str) -> None:
    with pytest.raises(ParseError) as err:
        parse_document(text, "x.txt", Hints(agency="某县", year=2020))
    assert err.value.reason


@pytest.mark.parametrize("navigation", [
    "首页 > 政务公开 > 政府信息公开年报 > ",
    "当前位置：首页>信息公开>年度报告\n",
    "政务公开 年度报告 ",
])
def test_navigation_before_a_web_page_title_is_not_part_of_the_title(navigation: str) -> None:
    text = "平潭综合实验区2024年政府信息公开工作年度报告\n" + (REPORTS / "07_pingtan_2024.txt").read_text("utf-8")
    plain = parse_document(text, "a.txt")
    page = parse_document(navigation + text, "a.html")
    assert plain.agency == "平潭综合实验区"
    assert page.agency == plain.agency and page.title == plain.title and page.year == plain.year
