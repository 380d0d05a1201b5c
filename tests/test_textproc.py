"""The one text pipeline: what a question and a passage both go through."""

import pytest

from knowledge.textproc import clean_display, normalize, terms


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("２０个工作日", "20个工作日"),  # full-width digits
        ("申請政府資訊公開", "申请政府信息公开"),  # traditional → simplified, Taiwan wording too
        ("二十个工作日", "20个工作日"),  # Chinese numerals before a measure word
        ("第三十三条", "第33条"),
        ("1295 件", "1295件"),  # a space inside a number from a PDF
        ("洪泽湖大道 90号 ， 邮 编", "洪泽湖大道90号,邮编"),
        ("一是加强", "一是加强"),  # a lone 一 is not a number
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_synonyms_fold_colloquial_words_onto_the_reports_terms() -> None:
    assert "期限" in terms("多久能答复")
    assert "费用" in terms("要交钱吗")
    assert "电子邮箱" in terms("发邮件到哪里")


def test_traditional_and_simplified_questions_have_the_same_terms() -> None:
    assert terms("申請政府資訊公開多久答覆") == terms("申请政府信息公开多久答复")


def test_stop_words_and_punctuation_are_not_terms() -> None:
    assert terms("请问？！。，的了吗") == []


def test_control_characters_are_removed_for_display() -> None:
    assert clean_display("a\x00b\u200bc") == "abc"


def test_light_words_and_single_characters_keep_a_third_of_their_weight() -> None:
    from knowledge.textproc import LIGHT, lightness

    assert lightness("依法") == lightness("应当") == lightness("写") == LIGHT
    assert lightness("不予公开") == lightness("12345") == lightness("a") == 1.0


@pytest.mark.parametrize(("typed", "meant"), [
    ("鹤城区微信公重号发了几条", "鹤城区微信公众号发了几条"),
    ("行政诉松有几件", "行政诉讼有几件"),
    ("信息处里费收了多少", "信息处理费收了多少"),
    ("年报的电子邮相是多少", "年报的电子邮箱是多少"),
    ("主懂公开了几条", "主动公开了几条"),
])
def test_a_domain_word_typed_one_character_off_is_written_right(typed: str, meant: str) -> None:
    from knowledge.textproc import fix_typos

    assert fix_typos(normalize(typed)) == normalize(meant)


@pytest.mark.parametrize("right", [
    "自然资源与生态环境局的电话",  # 自然资 is part of 自然资源, not 自然人 mistyped
    "行政复议总计多少件",  # 行政复议 + 总, not 行政复议法
    "可以申请行政复议吗",
    "答复不满意怎么办",  # 满意 + 怎, not 满意率
    "申请人需要注意什么",
    "法律服务机构提出了几件",
])
def test_words_typed_right_are_left_alone(right: str) -> None:
    from knowledge.textproc import fix_typos

    assert fix_typos(normalize(right)) == normalize(right)
