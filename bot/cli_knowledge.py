"""Knowledge commands: where, ask, ingest, documents, chat."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from bot import texts
from bot.answers import answer_question, as_json, render
from bot.app import App
from knowledge.errors import ParseError
from knowledge.readers import read_text_file
from knowledge.structure import Hints


def register(sub: Any) -> None:
    p = sub.add_parser("where", help="显示数据库位置")
    p.set_defaults(handler=cmd_where)

    p = sub.add_parser("ask", help="回答一个问题（或 --batch 文件中的每一行）")
    p.add_argument("question", nargs="?", default=None)
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.add_argument("--batch", metavar="FILE", help="UTF-8 文件，每行一个问题")
    p.set_defaults(handler=cmd_ask)

    p = sub.add_parser("ingest", help="收录年度报告（.txt .md .docx .html .pdf）")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--title")
    p.add_argument("--agency")
    p.add_argument("--year", type=int)
    p.set_defaults(handler=cmd_ingest)

    p = sub.add_parser("documents", help="列出已收录的文档；--fields 显示年度报告的各项内容")
    p.add_argument("--fields", nargs="?", const="", default=None, metavar="DOC",
                   help="显示报告按模板提取的各项内容（DOC：文档编号或机关名称，省略则全部）")
    p.add_argument("--json", action="store_true", help="与 --fields 一起使用：每份报告输出一个 JSON 对象")
    p.set_defaults(handler=cmd_documents)


def cmd_where(app: App, _args: argparse.Namespace) -> int:
    print(texts.WHERE_LINE.format(db=app.settings.masked()["database_url"]))
    return 0


def answer_line(app: App, question: str, as_json_output: bool) -> str:
    answer = answer_question(app.matcher, question)
    if as_json_output:
        return json.dumps(as_json(answer), ensure_ascii=False)
    return render(answer)


def cmd_ask(app: App, args: argparse.Namespace) -> int:
    if args.batch:
        try:
            content = read_text_file(Path(args.batch).read_bytes())
        except (OSError, ParseError) as exc:
            reason = exc.reason if isinstance(exc, ParseError) else texts.FILE_REASONS.get(
                type(exc).__name__, texts.FILE_REASON_OTHER)
            print(texts.BATCH_UNREADABLE.format(path=args.batch, reason=reason), file=sys.stderr)
            return 2
        for line in content.splitlines():
            print(answer_line(app, line, args.json), flush=True)
        return 0
    print(answer_line(app, args.question or "", args.json))
    return 0


def cmd_ingest(app: App, args: argparse.Namespace) -> int:
    hints = Hints(title=args.title or "", agency=args.agency or "", year=args.year)
    failures = 0
    for raw in args.paths:
        result = app.knowledge.ingest(Path(raw), hints)
        if result.ok:
            print(texts.INGEST_OK.format(title=result.title, agency=result.agency, year=result.year,
                                         passages=result.passages,
                                         replaced=texts.INGEST_REPLACED if result.replaced else ""))
        else:
            failures += 1
            print(texts.INGEST_FAILED.format(path=raw, reason=result.reason), file=sys.stderr)
    return 1 if failures else 0


def cmd_documents(app: App, args: argparse.Namespace) -> int:
    if args.fields is not None:
        return _print_fields(app, args.fields, args.json)
    rows = app.knowledge.documents()
    if not rows:
        print(texts.DOCUMENTS_EMPTY)
        return 0
    print(texts.DOCUMENTS_HEADER)
    for doc, n in rows:
        print(texts.DOCUMENTS_LINE.format(
            id=doc.id, kind=texts.DOCUMENT_KINDS.get(doc.kind, doc.kind), title=doc.title,
            agency=doc.agency, year=f"，{doc.year}年" if doc.year else "", passages=n,
            bundled=texts.BUNDLED_MARK if doc.bundled else ""))
    return 0



def _field_line(p: dict[str, Any]) -> str:
    data = p["data"]
    if p["kind"] == "field":
        items = data.get("items") or []
        value = "；".join(f"{n}. {t}" for n, t in enumerate(items, 1)) if items else data.get("value")
        return texts.FIELD_LINE.format(label=data.get("label", ""), value=value or texts.FIELD_EMPTY,
                                       section=p["section"] or "—")
    if p["kind"] == "cell":
        row = " / ".join(x for x in (data.get("group"), data.get("row")) if x)
        value = data.get("value") if data.get("value") not in ("", None) else texts.FIELD_EMPTY
        return texts.CELL_FIELD_LINE.format(table=data.get("table", ""), row=row, column=data.get("column") or "",
                                            value=value, section=p["section"],
                                            mark=texts.CELL_AMBIGUOUS_MARK if data.get("ambiguous") else "")
    return texts.FIELD_LINE.format(label=p["section"], value=texts.FIELD_EMPTY, section=p["section"])


def _print_fields(app: App, selector: str, as_json_output: bool) -> int:
    reports = app.knowledge.report_fields(selector)
    if not reports:
        print(texts.FIELDS_NO_REPORT.format(selector=selector) if selector else texts.DOCUMENTS_EMPTY,
              file=sys.stderr if selector else sys.stdout)
        return 1 if selector else 0
    for r in reports:
        if as_json_output:
            fields = [{"key": p["data"].get("field"), "label": p["data"].get("label"), "value": p["data"].get("value"),
                       "items": p["data"].get("items") or [], "section": p["section"],
                       "start": p["data"].get("start"), "end": p["data"].get("end")}
                      for p in r.passages if p["kind"] == "field"]
            cells = [{k: p["data"].get(k) for k in ("table", "group", "row", "column", "value", "ambiguous")}
                     | {"section": p["section"]} for p in r.passages if p["kind"] == "cell"]
            empty = [p["section"] for p in r.passages if p["kind"] == "empty_section"]
            print(json.dumps({"document": r.id, "title": r.title, "agency": r.agency, "year": r.year,
                              "fields": fields, "cells": cells, "empty_sections": empty}, ensure_ascii=False))
            continue
        print(texts.FIELDS_HEADER.format(id=r.id, title=r.title))
        order = {"field": 0, "empty_section": 1, "cell": 2}
        for p in sorted(r.passages, key=lambda p: order.get(p["kind"], 3)):
            print(_field_line(p))
    return 0
