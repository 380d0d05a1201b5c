"""Answer composition: what the citizen reads for a field, a list, an empty field, an ambiguity."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.answers import MAX_CHARS, answer_question, as_json, render
from bot.app import App
from bot.settings import Settings
from knowledge.structure import Hints

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> App:
    tmp = tmp_path_factory.mktemp("compose")
    app = App(Settings.from_env(env={}, db=str(tmp / "c.sqlite3")).with_(cache_dir=tmp / "cache"))
    for name in ("10_hongze_2024.txt", "11_huaian_2024.txt", "01_shanghai-bangongting_2019.txt"):
        assert app.knowledge.ingest(DATA / "reports" / name).ok
    # Two departments with the same short name, in two counties.
    for agency in ("甲县公安局", "乙县公安局"):
        assert app.knowledge.ingest(DATA / "reports" / "09_hongze_2023.txt",
                                    Hints(title=f"{agency}2023年政府信息公开工作年度报告", agency=agency, year=2023)).ok
    return app


def ask(app: App, question: str) -> dict[str, object]:
    return as_json(answer_question(app.matcher, question))


def test_a_list_keeps_every_item_within_the_limit(app: App) -> None:
    answer = str(ask(app, "洪泽区2024年政府信息公开工作存在哪些问题？")["answer"])
    for point in ("研判能力不足", "答复文书规范性", "疑难问题协调", "政策解读的形式", "政务新媒体运维"):
        assert point in answer
    assert len(answer) <= MAX_CHARS and "（出处：" in answer


def test_one_item_of_a_list_by_its_number(app: App) -> None:
    answer = str(ask(app, "洪泽区2024年改进措施的第二条是什么？")["answer"])
    assert "典型案例" in answer and "扎实推进依申请公开" not in answer


def test_contact_items_asked_together_are_answered_together(app: App) -> None:
    answer = str(ask(app, "淮安市2024年年报的联系电话和邮箱是什么？")["answer"])
    assert "0517-83605210" in answer and "hazwgkc@163.com" in answer


def test_a_field_the_report_leaves_empty_is_said_to_be_empty(app: App) -> None:
    result = ask(app, "上海市人民政府办公厅2019年年报的联系电话是多少？")
    assert result["matched"] is True
    assert "没有写明联系电话" in str(result["answer"])


@pytest.mark.parametrize("question", [
    "鹤城区2019年收到多少件政府信息公开申请？",
    "鹤城区2019年被申请行政复议几次？",
    "2019年鹤城区打了几场官司",
    "鹤城区2019年规章制发了几件",
    "鹤城区那年予以公开的申请有多少件？",
])
def test_an_empty_template_table_gives_no_figure_whatever_the_wording(app: App, question: str) -> None:
    result = ask(app, question)
    assert result["matched"] is True
    assert "没有给出这方面的数据" in str(result["answer"])


def test_two_agencies_that_fit_are_a_question_back_with_choices(app: App) -> None:
    result = ask(app, "公安局2023年收到多少件政府信息公开申请？")
    assert result["matched"] is False
    choices = result["choices"]
    assert isinstance(choices, list) and len(choices) == 2
    assert any("甲县公安局" in c for c in choices) and any("乙县公安局" in c for c in choices)
    # each choice, asked instead, is answered
    assert ask(app, choices[0])["matched"] is True


def test_how_to_apply_says_how_and_offers_the_form(app: App) -> None:
    answer = render(answer_question(app.matcher, "怎么申请政府信息公开？"))
    assert "书面" in answer and "/apply" in answer
