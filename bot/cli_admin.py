"""`python -m bot staff …`, `deadline …`, `holidays load …`: the administrator's commands."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from bot import texts
from bot.app import App
from bot.cli_args import ACTOR_MAX
from bot.cli_tickets import codes, default_actor, in_transaction, iso_date, run
from bot.tickets.calendar_store import build_calendar
from bot.tickets.clock import SystemClock
from bot.tickets.codes import Role
from bot.tickets.deadlines import REPLY_DAYS
from bot.tickets.staff import add_staff, list_staff, remove_staff
from bot.workdays import ScheduleChange, parse_holiday_file


def _staff(app: App, args: argparse.Namespace) -> int:
    now = SystemClock().now()
    if args.staff_command == "add":
        member = in_transaction(app, lambda session: add_staff(session, at=now, by=args.actor, name=args.name,
                                                               role=args.role))
        if member.first_admin:
            asked = "" if args.role == Role.ADMIN else texts.STAFF_FIRST_ADMIN_ASKED.format(
                role=texts.ROLE_LABELS[args.role])
            print(texts.STAFF_FIRST_ADMIN.format(name=member.name, asked=asked))
        else:
            print(texts.STAFF_SAVED.format(name=member.name, role=texts.ROLE_LABELS[member.role]))
    elif args.staff_command == "remove":
        in_transaction(app, lambda session: remove_staff(session, at=now, by=args.actor, name=args.name))
        print(texts.STAFF_REMOVED.format(name=args.name))
    else:
        with app.db.session() as session:
            lines = [texts.STAFF_LINE.format(name=m.name, role=texts.ROLE_LABELS[m.role]) for m in list_staff(session)]
        print("\n".join(lines) or texts.STAFF_EMPTY)
    return 0


def _deadline(app: App, args: argparse.Namespace) -> int:
    """The contract: one JSON line ``{"received", "working_days", "due", "provisional"}`` with --json."""
    with app.db.session() as session:
        calendar = build_calendar(session, app.settings)
    due = calendar.add_workdays(args.received, args.days)
    if args.json:
        print(json.dumps({"received": args.received.isoformat(), "working_days": args.days,
                          "due": due.date.isoformat(), "provisional": due.provisional}, ensure_ascii=False))
        return 0
    unknown = [str(y) for y in range(args.received.year, due.date.year + 1) if not calendar.knows(y)]
    note = texts.DEADLINE_PROVISIONAL_NOTE.format(years="、".join(unknown)) if due.provisional else ""
    print(texts.DEADLINE_LINE.format(received=args.received, days=args.days, due=due.date, provisional=note))
    return 0


def _holidays_load(app: App, args: argparse.Namespace) -> int:
    try:
        content = Path(args.file).read_text(encoding="utf-8-sig")  # a BOM (Windows Notepad) is skipped
    except (OSError, UnicodeDecodeError) as exc:
        reason = texts.HOLIDAY_FILE_REASONS.get(type(exc).__name__, texts.HOLIDAY_FILE_REASON_OTHER)
        print(texts.HOLIDAY_FILE_UNREADABLE.format(path=args.file, reason=reason), file=sys.stderr)
        return 1
    schedules = parse_holiday_file(content)
    result = run(app, lambda session, service: service.load_holidays(session, args.actor, schedules,
                                                                      replace_known=args.replace))
    for change in result.changes:
        if change.known:
            print("\n".join(_change_lines(change)))
    if not result.loaded:
        print(texts.HOLIDAYS_NEED_REPLACE.format(years="、".join(map(str, result.blocked))), file=sys.stderr)
        return 1
    if result.blocked:
        print(texts.HOLIDAYS_REPLACED.format(years="、".join(map(str, result.blocked))))
    print(texts.HOLIDAYS_LOADED.format(years="、".join(str(s.year) for s in schedules), count=len(result.recomputed)))
    return 0


def _change_lines(change: ScheduleChange) -> list[str]:
    """What loading a known year changes, day by day (runs of days as ranges)."""
    if change.empty:
        return [texts.HOLIDAYS_SAME.format(year=change.year)]
    lines = [texts.HOLIDAYS_KNOWN_YEAR.format(year=change.year)]
    for key, template in texts.HOLIDAY_CHANGE_LINES.items():
        days: frozenset[date] = getattr(change, key)
        if days:
            lines.append(template.format(days=texts.HOLIDAYS_DAYS.format(days=_runs(days), count=len(days))))
    return lines


def _runs(days: frozenset[date]) -> str:
    """``2024-10-01..2024-10-07、2024-10-12``: consecutive days as one range."""
    runs: list[list[date]] = []
    for day in sorted(days):
        if runs and (day - runs[-1][-1]).days == 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return "、".join(r[0].isoformat() if len(r) == 1 else f"{r[0].isoformat()}..{r[-1].isoformat()}" for r in runs)


def staff_name(value: str) -> str:
    """A staff member's name as stored (staff.name, ticket_events.actor): 1–64 printable characters."""
    name = value.strip()
    if not name or len(name) > ACTOR_MAX or not name.isprintable():
        raise argparse.ArgumentTypeError(texts.ACTOR_INVALID.format(name=name[:ACTOR_MAX]))
    return name


MOST_DAYS = 366  # more working days than a year has: no period of the regulation comes near


def _working_days(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = -1
    if not 0 <= number <= MOST_DAYS:
        raise argparse.ArgumentTypeError(texts.DAYS_OUT_OF_RANGE.format(value=value, most=MOST_DAYS))
    return number


def register(subparsers: Any) -> None:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--as", dest="actor", default=default_actor(), metavar="NAME", help=texts.CLI_AS_HELP)
    staff = subparsers.add_parser("staff", help=texts.CLI_STAFF_HELP)
    sub = staff.add_subparsers(dest="staff_command", metavar="COMMAND", required=True)
    p = sub.add_parser("add", parents=[common], help=texts.CLI_STAFF_ADD_HELP)
    p.add_argument("name", type=staff_name)
    p.add_argument("--role", choices=codes(Role), default=Role.STAFF.value, help=texts.CLI_ROLE_HELP)
    sub.add_parser("remove", parents=[common], help=texts.CLI_STAFF_REMOVE_HELP).add_argument("name")
    sub.add_parser("list", parents=[common], help=texts.CLI_STAFF_LIST_HELP)
    staff.set_defaults(handler=_staff)

    p = subparsers.add_parser("deadline", help=texts.CLI_DEADLINE_HELP)
    p.add_argument("received", type=iso_date, metavar="YYYY-MM-DD")
    p.add_argument("--days", type=_working_days, default=REPLY_DAYS)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_deadline)

    holidays = subparsers.add_parser("holidays", help=texts.CLI_HOLIDAYS_HELP)
    sub = holidays.add_subparsers(dest="holidays_command", metavar="COMMAND", required=True)
    p = sub.add_parser("load", parents=[common], help=texts.CLI_HOLIDAYS_LOAD_HELP)
    p.add_argument("file", metavar="FILE")
    p.add_argument("--replace", action="store_true", help=texts.CLI_REPLACE_HELP)
    p.set_defaults(handler=_holidays_load)
