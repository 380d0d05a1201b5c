"""Turn the matcher's findings into what a citizen reads (≤ 400 characters) and the JSON contract."""

from __future__ import annotations

from typing import Any

from bot import texts
from knowledge.matcher import Answer

MAX_CHARS = 400


def _cell_text(answer: Answer) -> str:
    data = answer.data or {}
    document = answer.sources[0].document if answer.sources else ""
    row = " / ".join(p for p in (str(data.get("group") or ""), str(data.get("row") or "")) if p)
    fields = {"document": document, "table": data.get("table", ""), "row": row,
              "column": data.get("column") or "—", "value": data.get("value", "")}
    template = texts.CELL_BLANK if data.get("value") == "" else texts.CELL_ANSWER
    return template.format(**fields)


def _fallback(answer: Answer) -> str:
    data = answer.data or {}
    if answer.reason == "empty":
        return texts.FALLBACK_EMPTY
    if answer.reason == "complaint":
        return texts.FALLBACK_COMPLAINT
    if answer.reason == "out_of_scope":
        return texts.FALLBACK_OUT_OF_SCOPE
    if answer.reason == "no_report":
        return texts.FALLBACK_NO_REPORT.format(missing=data.get("missing", ""))
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
    body = _cell_text(answer) if answer.kind == "cell" else answer.text
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
    }
