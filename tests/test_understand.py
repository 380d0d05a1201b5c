"""The understanding stage on its own: a question becomes a typed query (field, table, year, intent)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from bot.app import App
from bot.settings import Settings
from knowledge.matcher import Matcher
from knowledge.textproc import normalize
from knowledge.understand import detect_fields, ordinal, relative_year, table_of

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> App:
    tmp = tmp_path_factory.mktemp("understand")
    app = App(Settings.from_env(env={}, db=str(tmp / "u.sqlite3")).with_(cache_dir=tmp / "cache"))
    for name in ("09_hongze_2023.txt", "10_hongze_2024.txt", "11_huaian_2024.txt", "06_pingtan_2023.txt",
                 "14_shuyang_2025.txt"):
        assert app.knowledge.ingest(DATA / "reports" / name).ok
    return app


@pytest.fixture(scope="module")
def matcher(app: App) -> Matcher:
    return Matcher(app.knowledge, home_agency="鹤城区", today=lambda: date(2025, 3, 1))


@pytest.mark.parametrize(("question", "fields"), [
    ("平潭综合实验区2023年年报的邮编是多少", ["contact.postcode"]),
    ("洪泽区2024年年报上的电话和邮箱", ["contact.phone", "contact.email"]),
    ("淮安市2024年报里写的办公地址在哪", ["contact.address"]),
    ("洪泽区2023年微信公众号发了多少条", ["s1.wechat"]),
    ("淮安市2024年12345热线受理了多少件", ["s1.hotline"]),
    ("淮安市2024年政府信息公开工作存在什么问题", ["s5.problems"]),
    ("洪泽2024年下一步打算怎么改进", ["s5.improvements"]),
    ("淮安市2024年收了多少信息处理费", ["s6.fees"]),
    ("洪泽区2023年行政许可本年处理决定数量是多少", []),
    ("申请政府信息公开要交钱吗", []),  # a procedure, not a report's field
])
def test_the_report_field_a_question_asks_for(matcher: Matcher, question: str, fields: list[str]) -> None:
    assert matcher.understand(question).fields == fields


@pytest.mark.parametrize(("question", "table"), [
    ("洪泽区2023年行政许可本年处理决定数量是多少", "二"),
    ("淮安市2024年予以公开的申请有多少件", "三"),
    ("洪泽区2023年行政复议结果纠正多少件", "四"),
    ("淮安市2024年打了几场官司", "四"),
])
def test_the_template_table_a_figure_question_is_about(matcher: Matcher, question: str, table: str) -> None:
    assert matcher.understand(question).table == table


@pytest.mark.parametrize(("question", "year"), [
    ("去年的年报里洪泽区收到多少申请", 2024),
    ("前年淮安市主动公开了多少条", 2023),
    ("今年的年报出来了吗", 2025),
    ("本年新收申请总计多少", None),  # a label of table 三, not a year
    ("上年结转的申请有几件", None),
])
def test_relative_years_count_from_today(matcher: Matcher, question: str, year: int | None) -> None:
    assert matcher.understand(question).year == year


def test_pure_functions_of_understanding() -> None:
    assert relative_year(normalize("去年收到多少申请"), date(2026, 1, 5)) == 2025
    assert ordinal(normalize("改进措施的第二条是什么")) == 2
    assert ordinal(normalize("第3个问题")) == 3
    assert table_of(normalize("上年结转多少件")) == "三"
    assert detect_fields(normalize("电话是多少"), ["phone"], scoped=False) == []  # no report named


def test_a_department_that_is_not_loaded_is_named_as_such(matcher: Matcher) -> None:
    query = matcher.understand("北京市发改委2024年收到多少政府信息公开申请？")
    assert query.unknown_agency == "北京市发改委" and not query.agencies


def test_the_agency_as_people_name_it_and_both_spellings_of_one(matcher: Matcher) -> None:
    query = matcher.understand("洪泽2023年的年报电话多少")
    assert query.agencies == {"洪泽区人民政府", "淮安市洪泽区人民政府"}


def _guide_text(matcher: Matcher, i: int) -> str:
    return matcher.knowledge.index().entries[i].text


@pytest.mark.parametrize(("question", "entry"), [
    ("怎么申请政府信息公开", "怎样申请政府信息公开？"),
    ("咋申请啊", "怎样申请政府信息公开？"),
    ("申请要说明用途吗", "谁可以申请政府信息公开？需要说明申请理由吗？"),
    ("他们说这个信息不归他们管，那我找谁", "行政机关答复信息不存在或者不归它负责，是什么意思？"),
    ("要钱吗", "申请政府信息公开要交钱吗？"),
    ("今年的年报什么时候出", "政府信息公开工作年度报告什么时候公布？"),
    # A phrasing that adds 依法 / 应当 is no less like a question that leaves them out (light words).
    ("哪些政府信息不予公开？", "哪些政府信息依法不予公开？"),
    ("政府信息公开申请应当包括哪些内容？", "政府信息公开申请应当写明哪些内容？"),
    ("他们的答复我很不服气，可以申请复议吗", "对政府信息公开的答复不满意，可以申请行政复议吗？期限多久？"),
])
def test_the_procedure_intent_of_everyday_questions(matcher: Matcher, question: str, entry: str) -> None:
    query = matcher.understand(question)
    assert query.intent is not None
    assert matcher.knowledge.index().entries[query.intent].item == entry


def test_intents_of_the_development_procedure_questions(matcher: Matcher) -> None:
    """Top intent holds the expected article or phrase for most procedure questions (measured 0.89)."""
    cases = [json.loads(line) for line in (DATA / "dev_procedures.jsonl").read_text("utf-8").splitlines() if line]
    entries = matcher.knowledge.index().entries
    right = 0
    for case in cases:
        query = matcher.understand(case["question"])
        if query.intents and any(x in entries[query.intents[0][0]].text for x in case["expect_any"]):
            right += 1
    assert right / len(cases) >= 0.85


def test_the_story_of_a_long_figure_question_weighs_little_and_a_procedure_story_keeps_its_words(
        matcher: Matcher) -> None:
    story = matcher.understand("我在洪泽开了个小厂，环保检查挺多的，洪泽2023年全区的行政强制一共有多少件啊？")
    assert story.weights["环保"] < story.weights["行政强制"] / 3
    procedure = matcher.understand("我向区环保局申请一份市里的文件，他们回复说不归他们公开，让我去找市里，这样答复合法吗？")
    assert procedure.weights["环保局"] == matcher.understand("环保局").weights["环保局"]


def test_the_agency_as_written_is_no_term_even_one_character_off(matcher: Matcher) -> None:
    """The report says 沐阳县 (sic); citizens write 沭阳: it names the report and is not asked about."""
    query = matcher.understand("我家在沭阳开店，想问问沭阳县2025年一共新收了多少件申请？")
    assert query.agencies == {"沐阳县人民政府"}
    assert not {"沭", "沭阳", "沭阳县", "阳"} & set(query.terms)
    assert "受理" in query.terms  # 新收 … 申请: what is asked stays


@pytest.mark.parametrize("question", ["区里各个局的年报每年什么时候公布？", "所有部门的年报都要公开吗", "每个局2024年都要写年报吗"])
def test_departments_in_general_are_no_agency_that_is_missing(matcher: Matcher, question: str) -> None:
    query = matcher.understand(question)
    assert query.unknown_agency == "" and not query.agencies


@pytest.mark.parametrize(("question", "reason"), [
    ("怎么办身份证", "complaint"), ("去哪里办护照", "complaint"), ("办理营业执照要多久", "complaint"),
    ("社保卡怎么办", "complaint"), ("楼下噪音扰民找谁", "complaint"),
    ("申请政府信息公开要带身份证吗", ""), ("办证的收费标准能申请公开吗", ""),
])
def test_a_service_such_as_getting_a_card_is_for_12345_a_disclosure_question_about_it_is_not(
        matcher: Matcher, question: str, reason: str) -> None:
    from knowledge.scope import out_of_scope

    assert out_of_scope(matcher.understand(question), matcher.knowledge.index()) == reason


@pytest.mark.parametrize(("question", "section"), [
    ("鹤城区2019年年报第六部分写了什么", "六"), ("平潭2023年年度报告“其他需要报告的事项”有内容吗", "六"),
    ("淮安市2024年年报的总体情况讲了什么", "一"), ("洪泽区2023年报告第3部分说了什么", "三"),
    ("淮安市2024年年报第五部分写了什么", ""),  # problems and improvements: asked through their fields
    ("淮安市2024年行政复议有多少件", ""), ("年度报告包括哪些内容", ""),
])
def test_a_section_asked_as_a_whole(matcher: Matcher, question: str, section: str) -> None:
    assert matcher.understand(question).section == section


def test_a_section_asked_as_a_whole_is_answered_from_the_report_not_from_the_law(matcher: Matcher) -> None:
    answer = matcher.answer("淮安市2024年年报的总体情况讲了什么")
    assert answer.kind == "text" and answer.sources[0].document.startswith("淮安市人民政府2024年")
    assert answer.sources[0].section.startswith("一、") and len(answer.text) <= 330
