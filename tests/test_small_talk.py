"""The small-talk stage before the matcher: thanks and acknowledgements, in the ways people type them, are
answered politely and never counted or searched as questions; a question that merely contains such a word
goes on to the matcher."""

from __future__ import annotations

import pytest

from bot import texts
from bot.answers import answer_question, render
from knowledge.matcher import Answer

THANKS = ["谢谢", "谢谢！", "谢谢您", "多谢", "感谢", "谢啦", "谢了", "非常感谢", "太感谢了！", "谢谢你们的耐心解答",
          "感谢您的帮助。", "好的，谢谢", "好的谢谢！", "嗯嗯，谢谢您", "收到，多谢", "OK 谢谢", "ok，thanks",
          "明白了，谢谢", "谢谢，明白了", "知道了谢谢~", "好的好的，谢谢啦", "Thank you!"]
ACKNOWLEDGED = ["好的", "好", "嗯", "嗯嗯", "哦", "OK", "ok。", "明白", "明白了", "知道了", "了解", "收到", "收到了！",
                "好的，明白了", "嗯，知道了"]
QUESTIONS = ["好的，那怎么申请？", "谢谢，请问要收费吗", "收到答复后不满意怎么办", "知道了申请编号怎么查进度",
             "感谢信怎么写", "好多部门不公开怎么办", "了解一下政府信息公开", "明白人都知道的事也要申请吗",
             "谢谢你们，我想问一下去年收到多少件申请"]


class Recording:
    """A matcher that records what reaches it."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def answer(self, question: str) -> Answer:
        self.asked.append(question)
        return Answer(question, False, "none", reason="no_match")


@pytest.mark.parametrize("message", THANKS)
def test_thanks_get_a_thank_you_and_never_reach_the_matcher(message: str) -> None:
    matcher = Recording()
    answer = answer_question(matcher, message)  # type: ignore[arg-type]
    assert answer.reason == "thanks" and render(answer) == texts.THANKS and matcher.asked == []


@pytest.mark.parametrize("message", ACKNOWLEDGED)
def test_an_acknowledgement_gets_a_short_reply_not_an_out_of_scope_refusal(message: str) -> None:
    matcher = Recording()
    answer = answer_question(matcher, message)  # type: ignore[arg-type]
    assert answer.reason == "acknowledged" and render(answer) == texts.ACKNOWLEDGED and matcher.asked == []


@pytest.mark.parametrize("message", QUESTIONS)
def test_a_question_that_contains_such_a_word_is_still_a_question(message: str) -> None:
    matcher = Recording()
    answer_question(matcher, message)  # type: ignore[arg-type]
    assert matcher.asked == [message]
