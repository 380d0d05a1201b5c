"""Turn the matcher's findings into what a citizen reads (≤ 400 characters) and the JSON contract."""

from __future__ import annotations

import re
from typing import Any

from bot import texts
from knowledge.matcher import Answer, Matcher

MAX_CHARS = 400
MAX_MESSAGE = 2000  # a longer message is refused before it reaches the matcher
_GREETING = re.compile(r"^(你好|您好|hi|hello|哈喽|在吗|在不在|早上好|下午好|晚上好)[呀啊吗!！。~～]*$", re.I)
# Thanks and acknowledgements, alone or together ("好的，谢谢", "收到，多谢您", "明白了", "ok"): nothing to answer.
_ACK = r"好的|好嘞|好滴|好吧|好|嗯嗯|嗯|哦哦|哦|噢|ok|okay|明白了|明白|知道了|知道|了解了|了解|收到了|收到"
_THANKS_WORD = (r"(?:非常|太|十分|万分|真的|真是|实在)?(?:谢谢|多谢|感谢|谢了|谢啦|thanks|thank you|thx)"
                r"(?:[你您]们?)?(?:的?(?:帮助|帮忙|解答|回答|答复|回复|耐心解答))?")
_FILLER = r"[你您啦了呀啊哈的!！。.,，、~～\s]*"
_THANKS = re.compile(rf"^(?:(?:{_ACK}){_FILLER})*(?:{_THANKS_WORD}){_FILLER}(?:(?:{_THANKS_WORD}|{_ACK}){_FILLER})*$", re.I)
_ACKNOWLEDGED = re.compile(rf"^(?:(?:{_ACK}){_FILLER})+$", re.I)


def answer_question(matcher: Matcher, question: str) -> Answer:
    """The answer to one message: small talk and over-long messages here, the rest by the matcher."""
    stripped = question.strip()
    if len(stripped) > MAX_MESSAGE:
        return Answer(question, False, "none", reason="too_long")
    if _GREETING.match(stripped):
        return Answer(question, False, "none", reason="greeting")
    if _THANKS.match(stripped):
        return Answer(question, False, "none", reason="thanks")
    if _ACKNOWLEDGED.match(stripped):
        return Answer(question, False, "none", reason="acknowledged")
    return matcher.answer(question)


def _cell_label(data: dict[str, Any]) -> str:
    row = " / ".join(p for p in (str(data.get("group") or ""), str(data.get("row") or "")) if p)
    column = str(data.get("column") or "")
    return texts.CELL_LABEL.format(row=row, column=column) if row else column


def _cell_value(data: dict[str, Any]) -> str:
    value = str(data.get("value") or "")
    if not value:
        return texts.CELL_BLANK_VALUE
    # Tables 三 and 四 count requests and cases: 8 件 (table 二 mixes 件, 个 and 万元: as printed).
    return texts.CELL_COUNT.format(value=value) if data.get("table") in ("三", "四") and value.isdigit() else value


def _cell_text(answer: Answer) -> str:
    document = answer.sources[0].document if answer.sources else ""
    data: dict[str, Any] = dict(answer.data or {})
    cells: list[dict[str, Any]] = list(data.get("cells") or [data])
    items = "；".join(texts.CELL_ITEM.format(label=_cell_label(d), value=_cell_value(d)) for d in cells)
    if data.get("sum") is not None:
        group = str(cells[0].get("column") or "").split("/")[0]
        items += texts.CELL_SUM.format(group=group, total=data["sum"])
    return texts.CELL_ANSWER.format(document=document, table=cells[0].get("table", ""), items=items)


def _fallback(answer: Answer) -> str:
    data = answer.data or {}
    simple = {"empty": texts.FALLBACK_EMPTY, "greeting": texts.GREETING, "thanks": texts.THANKS,
              "acknowledged": texts.ACKNOWLEDGED, "too_long": texts.FALLBACK_TOO_LONG.format(limit=MAX_MESSAGE)}
    if answer.reason in simple:
        return simple[answer.reason]
    if answer.reason == "complaint":
        return texts.FALLBACK_COMPLAINT
    if answer.reason == "out_of_scope":
        return texts.FALLBACK_OUT_OF_SCOPE
    if answer.reason == "no_report":
        available = [str(a) for a in data.get("available") or []]  # type: ignore[attr-defined]
        shown = "、".join(available[:8]) + ("等" if len(available) > 8 else "")
        return texts.FALLBACK_NO_REPORT.format(missing=data.get("missing", ""), available=shown or "无")
    if answer.reason == "ambiguous":
        options = "；".join(str(o) for o in data.get("options", []))  # type: ignore[attr-defined]
        return texts.FALLBACK_AMBIGUOUS.format(options=options)
    return texts.FALLBACK_UNKNOWN


def render(answer: Answer) -> str:
    """The text a citizen reads, with the source cited."""
    if not answer.matched:
        return _fallback(answer)[:MAX_CHARS]
    source = answer.sources[0] if answer.sources else None
    if answer.kind == "no_figures" and source is not None:
        body = texts.NO_FIGURES.format(document=source.document, section=source.section)
        return body[:MAX_CHARS]
    if answer.kind == "no_field" and source is not None:
        label = str((answer.data or {}).get("label", ""))
        return texts.NO_FIELD.format(document=source.document, label=label)[:MAX_CHARS]
    body = _cell_text(answer) if answer.kind in ("cell", "cells") else answer.text
    cite = texts.SOURCE_LINE.format(document=source.document, section=source.section) if source else ""
    if len(body) + len(cite) > MAX_CHARS:
        body = body[: MAX_CHARS - len(cite) - 1] + "…"
    return body + cite


def as_json(answer: Answer) -> dict[str, Any]:
    """The `ask --json` contract."""
    return {
        "question": answer.question,
        "matched": answer.matched,
        "answer": render(answer),
        "sources": [{"document": s.document, "section": s.section} for s in answer.sources],
        "score": round(answer.score, 4),
        **({"choices": [str(c) for c in choices]} if not answer.matched and isinstance(
            choices := (answer.data or {}).get("choices"), list) and choices else {}),
    }
