"""Questions about the real reports, all loaded at once (text and PDF), prose and table cells."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.answers import render
from bot.app import App
from bot.settings import Settings

REPORTS = Path(__file__).parent / "data" / "reports"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> App:
    tmp = tmp_path_factory.mktemp("reports")
    app = App(Settings.from_env(env={}, db=str(tmp / "all.sqlite3")).with_(cache_dir=tmp / "cache"))
    for path in [*sorted(REPORTS.glob("*.txt")), *sorted((REPORTS / "pdf").glob("*.pdf"))]:
        result = app.knowledge.ingest(path)
        assert result.ok, result
    return app


CASES = [
    # table cells, with their meaning
    ("淮安市2024年自然人提出了多少件政府信息公开申请？", "3001"),
    ("淮安市2024年本年新收政府信息公开申请总计多少件？", "3119"),
    ("淮安市2024年商业企业申请了多少件？", "53"),
    ("淮安市2024年行政许可处理决定多少件？", "447228"),
    ("淮安市2024年行政事业性收费金额是多少？", "96171.6"),
    ("淮安市2024年本机关不掌握相关政府信息的有多少件", "769"),
    ("平潭2021年予以公开的申请有多少件？", "30"),
    ("平潭综合实验区2022年本年新收申请总计多少？", "74"),
    ("沭阳县2025年行政诉讼总计多少件？", "10"),
    ("淮安市人民政府2024年收到的政府信息公开申请中，法律服务机构提出了几件？", "61"),
    ("淮安市2024年结转下年度继续办理的申请总计多少", "103"),
    ("洪泽区2023年行政复议结果纠正多少件", "结果纠正为1件。"),
    ("平潭综合实验区2023年部分公开的申请有多少", "（总计）为20"),
    ("上海市人民政府办公厅2019年收到多少政府信息公开申请", "859"),
    ("上海市科委2024年收到多少政府信息公开申请？", "34"),
    # two columns of one row: the one the question names; 总计 when it names none of the breakdown
    ("淮安市2024年复议后起诉的有几件", "复议后起诉/总计为20"),
    ("淮安市2024年未经复议直接起诉结果纠正的有几件", "结果纠正为4"),
    ("淮安市2024年规章本年制发和现行有效各有多少件？", "（现行有效件数）为11"),
    ("淮安市2024年规章本年制发和现行有效各有多少件？", "（本年制发件数）为1。"),
    # 一共 over the parts a table splits a group into (复议后起诉 + 未经复议直接起诉)
    ("沭阳县2025年一共被提起了多少件行政诉讼？", "行政诉讼共13件"),
    # prose
    ("洪泽区2023年主动公开了多少条政府信息？", "1136"),
    ("上海市政府办公厅2019年主动公开规章多少件？", "13"),
    ("淮安市政府信息公开的邮箱是什么？", "hazwgkc@163.com"),
    ("淮安市人民政府办公室的地址在哪里", "翔宇南道1号"),
    ("洪泽区2024年报告的联系电话是多少", "0517-87290606"),
    ("沭阳县2025年政府信息公开存在什么问题？", "政策解读"),
    # the home agency is still the default
    ("2019年鹤城区政府网站发布了多少条信息？", "12965"),
    ("区长信箱收到多少封来信？", "63"),
]


@pytest.mark.parametrize(("question", "expected"), CASES)
def test_answers_come_from_the_report_the_question_names(app: App, question: str, expected: str) -> None:
    answer = app.matcher.answer(question)
    text = render(answer)
    assert answer.matched, text
    assert expected in text.replace(" ", ""), text
    assert len(text) <= 400


@pytest.mark.parametrize(
    "question",
    ["北京市2023年收到多少政府信息公开申请？", "淮安市2019年收到多少政府信息公开申请？"],
)
def test_a_report_that_is_not_loaded_is_said_plainly(app: App, question: str) -> None:
    answer = app.matcher.answer(question)
    assert not answer.matched and answer.reason == "no_report"
    assert "没有收录" in render(answer)


def test_an_answer_cites_the_named_report(app: App) -> None:
    answer = app.matcher.answer("洪泽区2024年行政处罚本年处理决定多少件")
    assert answer.sources[0].document == "淮安市洪泽区人民政府2024年政府信息公开工作年度报告"
    assert "2776" in render(answer)
