"""Tests for knowledge.tables: the statistics tables of report sections 二/三/四, read from real reports."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from knowledge.tables import Cell, Extraction, extract_tables

REPORTS = Path(__file__).parent / "data" / "reports"

_NUM = "一二三四五六七八九十"
_HEADINGS = {  # section -> its heading; the numeral varies (shanghai-kewei numbers its tables 一 to 三)
    "二": rf"[{_NUM}]、\s*主动公开政府信息情况",
    "三": rf"[{_NUM}]、\s*收到和处理政府信息公开申请情况",
    "四": rf"[{_NUM}]、\s*政府信息公开行政法?复议、行政诉讼情况",
    "五": rf"[{_NUM}]、\s*(?:政府信息公开工作)?存在的主要问题|[{_NUM}]、\s*其他需要报告的事项",
}


def _section(text: str, number: str) -> str:
    """The text after a section heading up to the next section heading (works on one-line pages too)."""
    found = {
        k: re.search(rf"(?m)(?:^[ \t]*#+[ \t]*)?(?:{pattern})", text) for k, pattern in _HEADINGS.items()
    }
    head = found[number]
    assert head is not None, f"no heading for section {number}"
    ends = [m.start() for m in found.values() if m is not None and m.start() > head.start()]
    return text[head.end() : min(ends, default=len(text))]


@cache
def _extract(name: str, number: str) -> Extraction:
    return extract_tables(number, _section((REPORTS / name).read_text(encoding="utf-8"), number))


def _value(ex: Extraction, row: str, column: str) -> str:
    found = [c.value for c in ex.cells if c.row == row and c.column == column]
    assert len(found) == 1, f"{row} / {column}: {found}"
    return found[0]


def _row(ex: Extraction, row: str) -> list[str]:
    return [c.value for c in ex.cells if c.row == row]


def _md_tables(name: str) -> dict[str, list[list[str]]]:
    """Rows of each '## 表…' table of a .tables.md reconstruction."""
    tables: dict[str, list[list[str]]] = {}
    current: list[list[str]] = []
    for line in (REPORTS / name).read_text(encoding="utf-8").splitlines():
        if line.startswith("## 表"):
            current = tables.setdefault(line[4], [])
        elif line.startswith("|") and not line.startswith("| ---"):
            current.append([c.strip() for c in line.strip().strip("|").split("|")])
    return tables


T3_COLUMNS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
NEW = "一、本年新收政府信息公开申请数量"
TOTAL = "（七）总计"
CARRY_ON = "四、结转下年度继续办理"
REPORT_FILES = sorted(p.name for p in REPORTS.glob("*.txt"))
WITH_TABLES = [name for name in REPORT_FILES if "hecheng" not in name]


# --- blank sections --------------------------------------------------------------------------------------


@pytest.mark.parametrize("number", ["二", "三", "四"])
def test_hecheng_sections_without_tables_give_nothing(number: str) -> None:
    text = _section((REPORTS / "000_hecheng_2019.txt").read_text(encoding="utf-8"), number)
    ex = extract_tables(number, text)
    assert ex.cells == []
    assert ex.remaining_text == text


@pytest.mark.parametrize("text", ["", "\n", "本年度未发生因政府信息公开引起的行政复议、行政诉讼。\n"])
def test_blank_or_prose_only_section(text: str) -> None:
    assert extract_tables("四", text) == Extraction([], text)


def test_unknown_section_number() -> None:
    with pytest.raises(ValueError):
        extract_tables("五", "")


# --- every report with tables yields all three tables ------------------------------------------------------


@pytest.mark.parametrize("name", WITH_TABLES)
def test_every_report_yields_three_tables(name: str) -> None:
    table3 = _extract(name, "三")
    assert {c.row for c in table3.cells} >= {NEW, TOTAL, CARRY_ON}
    assert len(table3.cells) in (23 * 7, 25 * 7)  # 2019-style （六） (one row) or 2021-style (three rows)
    assert len(_extract(name, "四").cells) == 15
    assert {c.row for c in _extract(name, "二").cells} >= {
        "规章",
        "行政许可",
        "行政处罚",
        "行政强制",
        "行政事业性收费",
    }


@pytest.mark.parametrize("name", WITH_TABLES)
@pytest.mark.parametrize("number", ["二", "三", "四"])
def test_no_number_is_invented(name: str, number: str) -> None:
    section = re.sub(r"\s+", "", _section((REPORTS / name).read_text(encoding="utf-8"), number))
    for cell in _extract(name, number).cells:
        assert re.sub(r"\s+", "", cell.value) in section, cell


@pytest.mark.parametrize("name", WITH_TABLES)
@pytest.mark.parametrize("number", ["二", "三", "四"])
def test_table_digits_leave_the_remaining_text(name: str, number: str) -> None:
    ex = _extract(name, number)
    assert not re.search(r"\d\s+\d\s+\d|\|\s*\d", ex.remaining_text)
    assert "本年新收政府信息公开申请数量" not in ex.remaining_text


# --- 淮安市 2024 (Markdown; the same tables from the PDF below) ---------------------------------------------


def test_huaian_2024_table3() -> None:
    ex = _extract("11_huaian_2024.txt", "三")
    assert _value(ex, NEW, "自然人") == "3001"
    assert _value(ex, NEW, "总计") == "3119"
    assert _value(ex, "1.本机关不掌握相关政府信息", "总计") == "769"
    assert _value(ex, TOTAL, "总计") == "3050"
    assert _value(ex, CARRY_ON, "自然人") == "103"
    # "1、申请人…" is printed with 、; the canonical label uses "1."
    cell = next(c for c in ex.cells if c.row.startswith("1.申请人无正当理由") and c.column == "总计")
    assert cell == Cell(
        "三",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "三、本年度办理结果 / （六）其他处理",
        "总计",
        "71",
    )
    first = next(c for c in ex.cells if c.row == "1.本机关不掌握相关政府信息")
    assert first.group == "三、本年度办理结果 / （四）无法提供"


def test_huaian_2024_table2() -> None:
    ex = _extract("11_huaian_2024.txt", "二")
    assert _value(ex, "行政许可", "本年处理决定数量") == "447228"
    assert _value(ex, "行政事业性收费", "本年收费金额（单位：万元）") == "96171.6"
    assert _value(ex, "行政处罚", "本年处理决定数量") == "3985758"
    assert _row(ex, "行政规范性文件") == ["8", "26", "66"]
    assert next(c for c in ex.cells if c.row == "规章").group == "第二十条第（一）项"


def test_huaian_2024_table4() -> None:
    ex = _extract("11_huaian_2024.txt", "四")
    assert _value(ex, "", "行政复议/结果维持") == "72"
    assert _value(ex, "", "行政复议/总计") == "351"
    assert _value(ex, "", "行政诉讼/未经复议直接起诉/总计") == "26"
    assert _value(ex, "", "行政诉讼/复议后起诉/总计") == "20"


# --- 洪泽区 2023 / 2024 -------------------------------------------------------------------------------------


def test_hongze_typo_label_maps_to_template() -> None:
    ex = _extract("09_hongze_2023.txt", "三")  # printed "2.其他法律行政止公开"
    assert _row(ex, "2.其他法律行政法规禁止公开") == ["0"] * 7
    assert not any("行政止公开" in c.row for c in ex.cells)
    assert _value(ex, NEW, "总计") == "21"


def test_hongze_2023_table4_quoted_as_printed_even_if_it_does_not_add_up() -> None:
    ex = _extract("09_hongze_2023.txt", "四")
    assert _value(ex, "", "行政复议/结果维持") == "10"
    assert _value(ex, "", "行政复议/总计") == "0"
    assert _value(ex, "", "行政诉讼/复议后起诉/结果维持") == "5"


def test_hongze_2024() -> None:
    ex = _extract("10_hongze_2024.txt", "三")
    assert _value(ex, NEW, "总计") == "95"
    assert _value(ex, "（一）予以公开", "自然人") == "50"
    assert _row(ex, "（六）其他处理") == ["0"] * 7  # 2019-style （六）, no sub-items
    assert _value(_extract("10_hongze_2024.txt", "二"), "行政许可", "本年处理决定数量") == "9487"
    assert _value(_extract("10_hongze_2024.txt", "四"), "", "行政诉讼/复议后起诉/总计") == "3"


# --- 上海市政府办公厅 2019 (2019 template, blank cells) -------------------------------------------------------


def test_shanghai_2019_blank_cells() -> None:
    ex = _extract("01_shanghai-bangongting_2019.txt", "三")
    assert _row(ex, NEW) == ["821", "35", "", "", "2", "1", "859"]
    assert _value(ex, "（一）予以公开", "总计") == ""
    assert _row(ex, "2.其他法律行政法规禁止公开") == [""] * 7
    assert _value(ex, TOTAL, "总计") == "805"
    assert next(c for c in ex.cells if c.row == "（六）其他处理").group == "三、本年度办理结果"


def test_shanghai_2019_table2_uses_2019_labels() -> None:
    ex = _extract("01_shanghai-bangongting_2019.txt", "二")
    assert _value(ex, "规范性文件", "本年新制作数量") == "60"
    assert _value(ex, "规章", "对外公开总数量") == "524"
    assert _value(ex, "行政事业性收费", "本年增/减") == "0"
    assert _value(ex, "政府集中采购", "采购总金额") == "251000元"
    assert next(c for c in ex.cells if c.row == "政府集中采购").group == "第二十条第（九）项"


def test_shanghai_2019_table4() -> None:
    ex = _extract("01_shanghai-bangongting_2019.txt", "四")
    assert _value(ex, "", "行政复议/总计") == "7"
    assert _value(ex, "", "行政复议/结果纠正") == ""
    assert _value(ex, "", "行政诉讼/未经复议直接起诉/总计") == "9"


# --- 平潭 2021–2024 (digit runs), checked against the .tables.md reconstructions ----------------------------

PINGTAN = ["04_pingtan_2021", "05_pingtan_2022", "06_pingtan_2023", "07_pingtan_2024"]


@pytest.mark.parametrize("stem", PINGTAN)
def test_pingtan_table3_matches_reconstruction(stem: str) -> None:
    expected = _md_tables(f"{stem}.tables.md")["三"][1:]
    ex = _extract(f"{stem}.txt", "三")
    assert not any(c.ambiguous for c in ex.cells)
    got: dict[tuple[str, str], list[str]] = {}
    for c in ex.cells:
        got.setdefault((c.group, c.row), []).append(c.value)
    assert len(got) == len(expected) == 25
    for path, *values in expected:
        *group, row = path.split(" / ")
        assert got[(" / ".join(group), row)] == values, path


@pytest.mark.parametrize("stem", PINGTAN)
def test_pingtan_table4_matches_reconstruction(stem: str) -> None:
    header, values = _md_tables(f"{stem}.tables.md")["四"]
    ex = _extract(f"{stem}.txt", "四")
    assert [(c.column, c.value) for c in ex.cells] == list(zip(header, values, strict=True))


def test_pingtan_2021_new_requests_row() -> None:
    ex = _extract("04_pingtan_2021.txt", "三")
    assert _row(ex, NEW) == ["64", "0", "0", "2", "0", "4", "70"]
    assert [c.column for c in ex.cells if c.row == NEW] == T3_COLUMNS


def test_pingtan_2021_column_equations_choose_the_split() -> None:
    ex = _extract("04_pingtan_2021.txt", "三")  # "270020130" and "220000325" split two ways each
    assert _row(ex, "（一）予以公开") == ["27", "0", "0", "2", "0", "1", "30"]
    assert _row(ex, "1.本机关不掌握相关政府信息") == ["22", "0", "0", "0", "0", "3", "25"]
    assert _row(ex, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）") == [
        "5",
        "0",
        "0",
        "0",
        "0",
        "0",
        "5",
    ]


@pytest.mark.parametrize("stem", PINGTAN)
def test_pingtan_table2(stem: str) -> None:
    expected = {row: value for _, row, _, value in _md_tables(f"{stem}.tables.md")["二"][1:]}
    ex = _extract(f"{stem}.txt", "二")
    for row, value in expected.items():
        assert [c.value for c in ex.cells if c.row == row] == [value]
    assert _row(ex, "规章") == ["0", "0", "0"]  # "000" splits one way only
    regulatory = [c for c in ex.cells if c.row == "行政规范性文件"]  # three columns, no sum to check
    assert len(regulatory) == 1 and regulatory[0].ambiguous and regulatory[0].column == ""
    raw = re.search(r"行政规范性文件“(\d+)”", (REPORTS / f"{stem}.tables.md").read_text(encoding="utf-8"))
    assert raw is not None and regulatory[0].value == raw.group(1)


# --- 上海市科委 2024 (garbled Markdown from a PDF) ---------------------------------------------------------------


def test_kewei_table2_mixed_text_and_markdown() -> None:
    ex = _extract("12_shanghai-kewei_2024.txt", "二")
    assert _value(ex, "行政许可", "本年处理决定数量") == "97"
    assert _row(ex, "行政规范性文件") == ["13", "0", "55"]  # printed "规范性文件" in a 2021-format table
    assert _value(ex, "行政事业性收费", "本年收费金额（单位：万元）") == "0"


def test_kewei_table3_rows_without_labels_fill_the_gaps() -> None:
    ex = _extract("12_shanghai-kewei_2024.txt", "三")
    assert _row(ex, NEW) == ["32", "2", "0", "0", "0", "0", "34"]
    assert _row(ex, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）") == ["0"] * 7
    assert _value(ex, "5.属于三类内部事务信息", "总计") == "1"
    assert _value(ex, "1.本机关不掌握相关政府信息", "总计") == "4"
    assert _value(ex, "2.没有现成信息需要另行制作", "总计") == "6"
    assert _row(ex, "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请") == [
        "8",
        "2",
        "0",
        "0",
        "0",
        "0",
        "10",
    ]
    assert _value(ex, TOTAL, "总计") == "35"
    assert _value(ex, CARRY_ON, "总计") == ""  # blank in the source


def test_kewei_table4_and_the_prose_after_it() -> None:
    ex = _extract("12_shanghai-kewei_2024.txt", "四")
    assert _value(ex, "", "行政复议/结果维持") == "1"
    assert _value(ex, "", "行政复议/总计") == "1"
    assert ex.remaining_text.startswith("（一）主要问题")
    assert "正在有序进行中" in ex.remaining_text


# --- 沭阳县 2025 (OCR-like, mislabeled headers) -------------------------------------------------------------------


def test_shuyang_mislabeled_headers_use_template_columns() -> None:
    ex = _extract("14_shuyang_2025.txt", "三")
    assert _row(ex, NEW) == ["705", "3", "0", "0", "5", "0", "713"]
    assert _value(ex, "（一）予以公开", "总计") == "294"  # printed as "予以公开" under a "### (一)" heading
    assert _value(ex, "3.其他", "总计") == "143"  # under the header "本年新收件数 | 上年结转件数 | …"
    assert _value(ex, TOTAL, "总计") == "718"
    assert _value(ex, CARRY_ON, "自然人") == "31"


def test_shuyang_table4_in_three_parts() -> None:
    ex = _extract("14_shuyang_2025.txt", "四")
    assert _value(ex, "", "行政复议/总计") == "61"
    assert _value(ex, "", "行政诉讼/未经复议直接起诉/总计") == "3"
    assert _value(ex, "", "行政诉讼/复议后起诉/总计") == "10"
    assert _value(_extract("14_shuyang_2025.txt", "二"), "行政许可", "本年处理决定数量") == "517645"


# --- the same reports as text from their PDFs (page numbers, wrapped and vertical labels) ---------------------


@pytest.mark.parametrize("stem", ["09_hongze_2023", "10_hongze_2024", "11_huaian_2024"])
@pytest.mark.parametrize("number", ["二", "三", "四"])
def test_pdf_text_gives_the_same_tables(stem: str, number: str) -> None:
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(REPORTS / "pdf" / f"{stem}.pdf")
    text = "\n".join(page.extract_text() for page in reader.pages)
    section = _section(text, number)
    from_pdf = extract_tables(number, section)
    assert from_pdf.cells == _extract(f"{stem}.txt", number).cells
    assert from_pdf.remaining_text == ""


# --- synthetic cases ----------------------------------------------------------------------------------------

PDF_LIKE = """本年度共收到申请95件，均已办结。
（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）
申请人情况
自然人
法人或其他组织
总计
一、本年新收政府信息公开申请数量 95 0 0 0 0 0 95
二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0
三
、
本
年
度
（一）予以公开 50 0 0 0 0 0 50
- 3 -
（三）不予公开
1、属于国家秘密 1 0 0 0 0 0 1
3.危及三安全一稳定 2 0 0 0 0 0 2
（四）无法提供 1.本机关不掌握相关政
府信息 31 0 0 0 0 0 31
注：以上数据截至2024年12月31日。
"""


def test_pdf_like_text_and_remaining_prose() -> None:
    ex = extract_tables("三", PDF_LIKE)
    assert _row(ex, NEW) == ["95", "0", "0", "0", "0", "0", "95"]
    assert _value(ex, "（一）予以公开", "自然人") == "50"
    assert _value(ex, "1.属于国家秘密", "总计") == "1"  # "1、" and group label on the line above
    assert _value(ex, "3.危及“三安全一稳定”", "总计") == "2"  # quotes missing
    assert _value(ex, "1.本机关不掌握相关政府信息", "总计") == "31"  # label wrapped over two lines
    assert ex.remaining_text == "本年度共收到申请95件，均已办结。\n注：以上数据截至2024年12月31日。\n"


@pytest.mark.parametrize(
    ("printed", "canonical"),
    [
        ("2.其他法律行政止公开", "2.其他法律行政法规禁止公开"),
        ("5、属于三类内部事务信", "5.属于三类内部事务信息"),
        ("（五）不予处理 / 4.无正当理由大量反复 申请", "4.无正当理由大量反复申请"),
        (
            "（二）部分公开(区分处理的, 只计这一情形, 不计其他情形)",
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        ),
        (
            "1.申请人无正当理由逾期不补正，行政机关不再处理其政府信息公开申请",
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        ),
    ],
)
def test_garbled_labels_map_to_canonical(printed: str, canonical: str) -> None:
    ex = extract_tables("三", f"| {printed} | 1 | 0 | 0 | 0 | 0 | 0 | 1 |")
    assert {c.row for c in ex.cells} == {canonical}


def test_label_like_nothing_in_the_template_is_kept() -> None:
    text = f"{NEW} 5 0 0 0 0 0 5\n（八）转送其他机关处理 1 0 0 0 0 0 1\n{TOTAL} 5 0 0 0 0 0 5\n"
    ex = extract_tables("三", text)
    assert _value(ex, "（八）转送其他机关处理", "总计") == "1"
    assert [c.row for c in ex.cells][7:8] == ["（八）转送其他机关处理"]  # kept in document order


def test_table2_2021_regulatory_documents_label_variant() -> None:
    ex = extract_tables(
        "二", "第二十条第（一）项\n信息内容 本年制发件数 本年废止件数 现行有效件数\n规范性文件 3 0 8\n"
    )
    assert _row(ex, "行政规范性文件") == ["3", "0", "8"]


def test_digit_run_with_a_unique_split() -> None:
    ex = extract_tables(
        "三", "一、本年新收政府信息公开申请数量640020470二、上年结转政府信息公开申请数量0000000"
    )
    assert _row(ex, NEW) == ["64", "0", "0", "2", "0", "4", "70"]
    assert _row(ex, "二、上年结转政府信息公开申请数量") == ["0"] * 7
    assert not any(c.ambiguous for c in ex.cells)


def test_digit_run_table4_unique_split() -> None:
    ex = extract_tables("四", "行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计10203120001200000")
    assert [c.value for c in ex.cells] == ["1", "0", "2", "0", "3", "12", "0", "0", "0", "12"] + ["0"] * 5


def test_digit_run_that_stays_ambiguous() -> None:
    ex = extract_tables("三", "（一）予以公开270020130")  # two splits and no other row to decide
    assert ex.cells == [Cell("三", "（一）予以公开", "三、本年度办理结果", "", "270020130", ambiguous=True)]


def test_prose_numbers_are_not_cells() -> None:
    text = "四、结转下年度继续办理1000001 2021年，无收取信息处理费。"
    ex = extract_tables("三", text)
    assert _row(ex, CARRY_ON) == ["1", "0", "0", "0", "0", "0", "1"]
    assert ex.remaining_text == "2021年，无收取信息处理费。"
