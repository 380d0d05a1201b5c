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

    p = sub.add_parser("documents", help="列出已收录的文档")
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
            reason = exc.reason if isinstance(exc, ParseError) else exc.strerror or str(exc)
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


def cmd_documents(app: App, _args: argparse.Namespace) -> int:
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

