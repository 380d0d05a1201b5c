"""`python -m bot report …` (the yearly tables) and `tickets import|export` (the office register)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot import texts
from bot.app import App
from bot.cli_tickets import default_actor
from bot.stats.files import BINARY_FORMATS, FORMATS, ReportFileError, file_name, render, write_file
from bot.stats.importing import RegisterOps
from bot.stats.proactive import layout, set_figure
from bot.stats.report import build_report, publish_as
from bot.tickets.calendar_store import build_calendar
from bot.tickets.clock import SystemClock
from bot.tickets.codes import Action, Role
from bot.tickets.staff import require_role


def _report(app: App, args: argparse.Namespace) -> int:
    path = _destination(args)
    with app.db.session() as session:
        report = build_report(session, args.year)
        output = render(session, app.settings, report, args.format)
    if path is not None:
        write_file(path, output, fmt=args.format, overwrite=args.force or bool(args.output))
        print(texts.REPORT_WRITTEN.format(path=path), file=sys.stderr)
    elif isinstance(output, bytes):
        sys.stdout.flush()
        sys.stdout.buffer.write(output)
    else:
        sys.stdout.write(output)
    failed = any(check["status"] == "fail" for check in report["checks"])
    return 1 if args.strict and failed else 0


def _destination(args: argparse.Namespace) -> Path | None:
    """The file the report goes to; None for standard output (text, or binary into a pipe with ``-``).

    An .xlsx or .docx without ``--output`` is written into the current folder under its usual name, and
    an existing file of that name is kept unless ``--force``: binary never goes to a terminal.
    """
    binary = args.format in BINARY_FORMATS
    if args.output == "-":
        if binary and sys.stdout.isatty():
            raise ReportFileError(texts.REPORT_BINARY_TO_TERMINAL.format(format=args.format))
        return None
    if args.output:
        return Path(args.output)
    if not binary:
        return None
    path = Path(file_name(args.year, args.format))
    if path.exists() and not args.force:
        raise ReportFileError(texts.REPORT_EXISTS.format(path=path))
    return path


def _staff_only(app: App, actor: str, action: Action, call: Callable[[Any], str]) -> int:
    """Run ``call(session)`` as staff; a refusal is committed (it is an event) and then reported."""
    from bot.errors import PermissionDenied

    denied: PermissionDenied | None = None
    with app.db.session() as session:
        try:
            require_role(session, at=SystemClock().now(), actor=actor, action=action, role=Role.STAFF)
            print(call(session))
        except PermissionDenied as exc:
            denied = exc
    if denied is not None:
        raise denied
    return 0


def _set(app: App, args: argparse.Namespace) -> int:
    from bot.stats.layout import format_for_year

    def call(session: Any) -> str:
        value = set_figure(session, year=args.year, report_format=format_for_year(args.year), item=args.item,
                           field=args.field, raw=args.value, actor=args.actor, at=SystemClock().now())
        return texts.TABLE2_SET.format(year=args.year, item=args.item, field=args.field, value=value)

    return _staff_only(app, args.actor, Action.NOTE, call)


def _publish(app: App, args: argparse.Namespace) -> int:
    def call(session: Any) -> str:  # a supervisor's act, as in the console
        figures = publish_as(session, args.year, actor=args.actor, at=SystemClock().now())
        return texts.REPORT_PUBLISHED.format(year=args.year, at=figures["published_at"])

    return _staff_only(app, args.actor, Action.REPORT_PUBLISHED, call)


def _register_ops(app: App, session: Any) -> RegisterOps:
    return RegisterOps(app.settings, build_calendar(session, app.settings))


def _import(app: App, args: argparse.Namespace) -> int:
    from bot.errors import PermissionDenied

    denied: PermissionDenied | None = None
    with app.db.session() as session:
        try:
            result = _register_ops(app, session).import_register(
                session, args.actor, Path(args.file), skip_invalid=args.skip_invalid)
        except PermissionDenied as exc:
            denied = exc
    if denied is not None:
        raise denied
    if result.errors:
        head = texts.IMPORT_REFUSED if not result.imported else texts.IMPORT_SKIPPED
        print(head.format(n=len(result.errors)), file=sys.stderr)
        for error in result.errors:
            print(f"  {error}", file=sys.stderr)
    if not result.imported:
        return 1
    print(texts.IMPORT_DONE.format(added=result.added, updated=result.updated, unchanged=result.unchanged))
    return 0


def _export(app: App, args: argparse.Namespace) -> int:
    with app.db.session() as session:
        n = _register_ops(app, session).export_register(session, args.year, Path(args.file))
    print(texts.EXPORT_DONE.format(n=n, path=args.file))
    return 0


def _cells_help() -> str:
    lines = [f"{item} {field}  （{label}：{column}）" for item, label, columns in layout("2021")
             for field, column in columns]
    return "\n".join(lines)


def register(subparsers: Any) -> None:
    actor = argparse.ArgumentParser(add_help=False)
    actor.add_argument("--as", dest="actor", default=default_actor(), metavar="NAME", help=texts.CLI_AS_HELP)
    report = subparsers.add_parser("report", help=texts.CLI_REPORT_HELP)
    report.add_argument("--year", type=int, help=texts.CLI_REPORT_YEAR_HELP)
    report.add_argument("--format", choices=FORMATS, default="md", help=texts.CLI_REPORT_FORMAT_HELP)
    report.add_argument("--output", metavar="FILE", help=texts.CLI_REPORT_OUTPUT_HELP)
    report.add_argument("--force", action="store_true", help=texts.CLI_REPORT_FORCE_HELP)
    report.add_argument("--strict", action="store_true", help=texts.CLI_REPORT_STRICT_HELP)
    report.set_defaults(handler=_report_or_usage(report))
    sub = report.add_subparsers(dest="report_command", metavar="COMMAND")
    p = sub.add_parser("set", parents=[actor], help=texts.CLI_SET_HELP, epilog=_cells_help(),
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--year", type=int, required=True, help=texts.CLI_REPORT_YEAR_HELP)
    p.add_argument("item")
    p.add_argument("field")
    p.add_argument("value")
    p.set_defaults(handler=_set)
    p = sub.add_parser("publish", parents=[actor], help=texts.CLI_PUBLISH_HELP)
    p.add_argument("--year", type=int, required=True, help=texts.CLI_REPORT_YEAR_HELP)
    p.set_defaults(handler=_publish)
    _register_ticket_commands(subparsers, actor)


def _report_or_usage(parser: argparse.ArgumentParser) -> Callable[[App, argparse.Namespace], int]:
    def handler(app: App, args: argparse.Namespace) -> int:
        if args.year is None:
            parser.error(texts.CLI_REPORT_YEAR_REQUIRED)
        return _report(app, args)

    return handler


def _register_ticket_commands(subparsers: Any, actor: argparse.ArgumentParser) -> None:
    """Add `import` and `export` to the `tickets` command registered by bot.cli_tickets."""
    tickets = subparsers.choices["tickets"]
    sub = next(a for a in tickets._actions if isinstance(a, argparse._SubParsersAction))  # noqa: SLF001
    p = sub.add_parser("import", parents=[actor], help=texts.CLI_IMPORT_HELP)
    p.add_argument("file", metavar="FILE")
    p.add_argument("--skip-invalid", action="store_true", help=texts.CLI_SKIP_INVALID_HELP)
    p.set_defaults(handler=_import)
    p = sub.add_parser("export", help=texts.CLI_EXPORT_HELP)
    p.add_argument("--year", type=int, required=True, help=texts.CLI_REPORT_YEAR_HELP)
    p.add_argument("file", metavar="FILE")
    p.set_defaults(handler=_export)
