"""Agency names as people say them: aliases from the name's structure and the short-form table."""

from __future__ import annotations

import pytest

from knowledge.agencies import SHORT_FORMS, agency_aliases, identity, split_name
from knowledge.index import DocInfo
from knowledge.query import AgencyTable
from knowledge.textproc import normalize


def test_the_short_form_table_covers_at_least_forty_departments() -> None:
    assert len(SHORT_FORMS) >= 40
    for core in ("发展和改革", "人力资源和社会保障", "住房和城乡建设", "市场监督管理", "自然资源和规划", "生态环境",
                 "卫生健康", "教育和体育", "交通运输", "农业农村", "应急管理", "财政", "行政审批", "公安", "民政",
                 "司法", "统计", "文化和旅游", "水利"):
        assert core in SHORT_FORMS


@pytest.mark.parametrize(("agency", "said"), [
    ("平潭综合实验区公安局", ["平潭公安局", "平潭公安", "公安局"]),
    ("沭阳县发展和改革局", ["沭阳县发改局", "沭阳发改局", "沭阳发改", "发改局"]),
    ("平潭综合实验区市场监督管理局", ["平潭市监局", "平潭市场监管局", "市监局"]),
    ("平潭综合实验区交通与建设局", ["平潭交建局", "交建局"]),
    ("平潭综合实验区社会事业局", ["平潭社事局", "社会事业局"]),
    ("平潭综合实验区自然资源与生态环境局", ["平潭自然资源局"]),
    ("平潭综合实验区海坛片区管理局", ["海坛片区", "海坛片区管理局"]),
    ("上海市科委", ["上海科委", "市科委", "上海市科学技术委员会"]),
    ("淮安市洪泽区人民政府", ["洪泽区", "洪泽", "洪泽区政府"]),
    ("上海市人民政府办公厅", ["上海市政府", "上海市人民政府办公厅"]),
    ("某市人力资源和社会保障局", ["某市人社局", "人社局"]),
    ("某县住房和城乡建设局", ["某县住建局", "住建局"]),
    ("某区卫生健康委员会", ["某区卫健委", "卫健委"]),
])
def test_aliases_people_use(agency: str, said: list[str]) -> None:
    aliases = agency_aliases(agency)
    for name in said:
        assert normalize(name) in aliases, (agency, name)


def test_a_name_is_read_as_place_department_and_suffix() -> None:
    assert split_name("平潭综合实验区公安局") == ("平潭综合实验区", "公安", "局")
    assert split_name("平潭综合实验区市场监督管理局") == ("平潭综合实验区", "市场监督管理", "局")
    assert split_name("淮安市洪泽区人民政府") == ("淮安市洪泽区", "", "人民政府")


def test_two_spellings_of_one_agency_are_one_agency() -> None:
    assert identity("洪泽区人民政府") == identity("淮安市洪泽区人民政府")
    assert identity("平潭综合实验区公安局") != identity("平潭综合实验区")


AGENCIES = ["平潭综合实验区公安局", "平潭综合实验区", "平潭综合实验区市场监督管理局", "鹤城区", "洪泽区人民政府",
            "淮安市洪泽区人民政府", "淮安市人民政府", "上海市科委", "平潭综合实验区交通与建设局",
            "平潭综合实验区海坛片区管理局", "沐阳县人民政府", "平潭综合实验区社会事业局"]


@pytest.fixture(scope="module")
def table() -> AgencyTable:
    return AgencyTable([DocInfo(i, "t", a, 2024, "report") for i, a in enumerate(AGENCIES)])


@pytest.mark.parametrize(("question", "agency"), [
    ("平潭公安2024年收到几件申请", "平潭综合实验区公安局"),
    ("平潭市监局的电话", "平潭综合实验区市场监督管理局"),
    ("公安局电话多少", "平潭综合实验区公安局"),
    ("平潭2024年收到多少申请", "平潭综合实验区"),
    ("海坛片区的公众号", "平潭综合实验区海坛片区管理局"),
    ("市科委收了多少申请", "上海市科委"),
    ("沭阳县2025年", "沐阳县人民政府"),  # one character off (an OCR slip in the report)
    ("平潭交建局", "平潭综合实验区交通与建设局"),
    ("平谭公安局", "平潭综合实验区公安局"),
    ("平潭社事局的地址", "平潭综合实验区社会事业局"),
    ("上海市科为收了多少申请", "上海市科委"),  # the last character mistyped: more than 上海市 is named
    ("平潭公按局的电话", "平潭综合实验区公安局"),
])
def test_the_agency_a_question_names(table: AgencyTable, question: str, agency: str) -> None:
    found = table.mentioned(normalize(question))
    assert agency in found and table.distinct(found) == 1


def test_both_spellings_of_a_named_agency_are_in_scope(table: AgencyTable) -> None:
    assert table.mentioned(normalize("洪泽区2023年")) == {"洪泽区人民政府", "淮安市洪泽区人民政府"}


def test_a_department_of_another_place_is_not_the_loaded_one(table: AgencyTable) -> None:
    # 鹤城区's 公安局 is not loaded: not answered from 平潭's 公安局.
    assert "平潭综合实验区公安局" not in table.mentioned(normalize("鹤城区公安局的电话"))


def test_a_name_slightly_off_is_matched_when_one_agency_is_clearly_nearest(table: AgencyTable) -> None:
    found, nearest = table.fuzzy("平潭市场监管理局")
    assert found == {"平潭综合实验区市场监督管理局"}
    found, nearest = table.fuzzy("北京市发改委")
    assert found == set() and len(nearest) <= 3


def test_a_place_followed_by_a_word_is_not_a_mistyped_department(table: AgencyTable) -> None:
    assert table.mentioned(normalize("上海市科技创新政策")) == set()  # 科技 is a word: not 科委 mistyped


@pytest.mark.parametrize("question", ["福州市公安局2024年收到多少件申请", "北京市发改局的电话", "厦门市市监局的地址"])
def test_a_department_after_a_place_not_loaded_is_not_the_loaded_one(table: AgencyTable, question: str) -> None:
    assert table.mentioned(normalize(question)) == set()  # said "not loaded" instead of 平潭's figures
