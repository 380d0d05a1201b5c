"""`python -m bot tickets …`: the staff side of tickets on the command line."""

from __future__ import annotations

import argparse
import getpass
from collections.abc import Callable, Iterable
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from bot import texts
from bot.app import App
from bot.errors import PermissionDenied
from bot.settings import Settings, os_login
from bot.tickets.calendar_store import build_calendar
from bot.tickets.codes import (
    ApplicantType,
    Channel,
    DeliveryForm,
    DeliveryWay,
    IdKind,
    PauseKind,
    RemedyKind,
    RemedyResult,
    TicketKind,
)
from bot.tickets.intake import RequestForm
from bot.tickets.outcomes import ENQUIRY_OUTCOMES, OUTCOMES
from bot.tickets.render import due_text, render_detail, render_row
from bot.tickets.service import TicketService
from bot.tickets.status import TicketStatus
from bot.tickets.views import Filters

T = TypeVar("T")


# The dates a command accepts: from the day the regulation first took effect (2008 条例, 第三十八条:
# 2008年5月1日起施行) to a horizon far enough for any deadline, near enough for the calendar to count.
EARLIEST_DATE = date(2008, 5, 1)
LATEST_DATE = date(2100, 12, 31)


def iso_date(value: str) -> date:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(texts.DATE_FORMAT.format(value=value)) from None
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise argparse.ArgumentTypeError(texts.DATE_OUT_OF_RANGE.format(
            value=value, earliest=EARLIEST_DATE.isoformat(), latest=LATEST_DATE.isoformat()))
    return day


def default_actor() -> str:
    """The default of ``--as``: empty, meaning "not given"; ``bot.cli.main`` then takes GONGKAI_STAFF
    from the settings, else the login name (see ``resolve_actor``)."""
    return ""


def resolve_actor(given: str | None, settings: Settings) -> tuple[str, str]:
    """Who acts, and where the name came from: ``--as``, else GONGKAI_STAFF, else the login name."""
    if given:
        return given, "option"
    if settings.acting_staff:
        return settings.acting_staff, "setting"
    return os_login(), "login"


def in_transaction(app: App, action: Callable[[Session], T]) -> T:
    """One transaction around one call; a refusal's event is committed before the refusal is reported."""
    denied: PermissionDenied | None = None
    with app.db.session() as session:
        try:
            return action(session)
        except PermissionDenied as exc:
            denied = exc  # leave the block normally, so the transaction (with the refusal event) commits
    assert denied is not None
    raise denied


def run(app: App, action: Callable[[Session, TicketService], T]) -> T:
    """One transaction around one service call (see ``in_transaction``)."""
    return in_transaction(app, lambda session: action(
        session, TicketService(app.settings, build_calendar(session, app.settings))))


def codes(enum: Iterable[StrEnum]) -> list[str]:
    """Argparse choices as plain codes, so an invalid choice lists ``staff``, not ``<Role.STAFF: 'staff'>``."""
    return [member.value for member in enum]


def _updated(ticket: Any) -> str:
    return texts.TICKET_UPDATED.format(number=ticket.number, status=texts.STATUS_LABELS[ticket.status],
                                       due=due_text(ticket.due_on, ticket.due_provisional))


def _list(app: App, args: argparse.Namespace) -> int:
    filters = Filters(open_only=args.open, due_soon=args.due_soon, overdue=args.overdue, kind=args.kind,
                      status=args.status, assignee=args.assignee)
    rows = run(app, lambda s, svc: svc.list_tickets(s, args.actor, filters))
    print(texts.LIST_HEADER if rows else texts.LIST_EMPTY)
    for row in rows:
        print(render_row(row))
    return 0


def _show(app: App, args: argparse.Namespace) -> int:
    detail = run(app, lambda s, svc: svc.detail(s, args.actor, args.number, reveal=args.reveal))
    print("\n".join(render_detail(detail)))
    return 0


def _new(app: App, args: argparse.Namespace) -> int:
    def action(session: Session, service: TicketService) -> Any:
        common = {"channel": args.channel, "received_on": args.received, "chat_id": args.chat_id}
        if args.kind == TicketKind.ENQUIRY:
            return service.register_enquiry(session, args.actor, question=args.question or "", **common)
        id_number = getpass.getpass(texts.ID_NUMBER_PROMPT) if args.id_number == "-" else args.id_number or ""
        form = RequestForm(
            applicant_name=args.name or "", applicant_type=args.applicant_type, id_kind=args.id_kind,
            id_number=id_number, description=args.description or "", form=args.form, delivery=args.delivery,
            phone=args.phone, email=args.email, address=args.address,
        )
        return service.register_request(session, args.actor, form=form, **common)

    ticket = run(app, action)
    due = due_text(ticket.due_on, ticket.due_provisional)
    if ticket.kind == TicketKind.ENQUIRY:
        print(texts.TICKET_CREATED.format(number=ticket.number, due=due))
    else:  # 第三十一条: the receipt date and how the channel fixes it
        print(texts.REQUEST_CREATED.format(number=ticket.number, received=ticket.received_on.isoformat(),
                                           rule=texts.RECEIPT_RULES[ticket.channel], due=due))
    return 0


def _operation(call: Callable[[TicketService, Session, argparse.Namespace], Any]) -> Callable[[App, argparse.Namespace], int]:
    """A handler that runs one service method and prints the ticket's new state (or the reply text)."""

    def handler(app: App, args: argparse.Namespace) -> int:
        result = run(app, lambda session, service: call(service, session, args))
        print(texts.TICKET_REPLY.format(text=result) if isinstance(result, str) else _updated(result))
        return 0

    return handler


def _remedy(app: App, args: argparse.Namespace) -> int:
    record = run(app, lambda s, svc: svc.add_remedy(s, args.actor, args.number, kind=args.kind, filed_on=args.filed,
                                                    decided_on=args.decided, result=args.result))
    print(texts.REMEDY_SAVED.format(id=record.id, number=args.number))
    return 0


def _remedy_result(app: App, args: argparse.Namespace) -> int:
    record = run(app, lambda s, svc: svc.decide_remedy(s, args.actor, args.id, decided_on=args.decided,
                                                       result=args.result))
    print(texts.REMEDY_SAVED.format(id=record.id, number=record.ticket.number))
    return 0


def _outcomes(_app: App, _args: argparse.Namespace) -> int:
    for code, outcome in OUTCOMES.items():
        row = outcome.row if outcome.row == outcome.group else f"{outcome.group} {outcome.row}"
        print(texts.OUTCOMES_LINE.format(code=code, row=row, article=outcome.article or texts.NO_ARTICLE))
    print(texts.OUTCOMES_ENQUIRY, "、".join(f"{c}（{texts.ENQUIRY_OUTCOME_LABELS[c]}）" for c in sorted(ENQUIRY_OUTCOMES)))
    return 0


def _sweep(app: App, _args: argparse.Namespace) -> int:
    numbers = run(app, lambda s, svc: svc.end_expired_consultations(s))
    print(texts.SWEEP_DONE.format(count=len(numbers)))
    return 0


_OPERATIONS: dict[str, tuple[str, Callable[[TicketService, Session, argparse.Namespace], Any]]] = {
    "claim": (texts.CLI_CLAIM_HELP, lambda svc, s, a: svc.claim(s, a.actor, a.number)),
    "assign": (texts.CLI_ASSIGN_HELP, lambda svc, s, a: svc.assign(s, a.actor, a.number, to=a.to)),
    "note": (texts.CLI_NOTE_HELP, lambda svc, s, a: svc.note(s, a.actor, a.number, text=a.text)),
    "reply": (texts.CLI_REPLY_HELP, lambda svc, s, a: svc.reply(s, a.actor, a.number, text=a.text)),
    "correction": (texts.CLI_CORRECTION_HELP, lambda svc, s, a: svc.ask_correction(
        s, a.actor, a.number, matters=a.matters, days=a.days, on=a.on)),
    "corrected": (texts.CLI_CORRECTED_HELP, lambda svc, s, a: svc.record_correction(s, a.actor, a.number, on=a.on)),
    "consult": (texts.CLI_CONSULT_HELP, lambda svc, s, a: svc.start_consultation(
        s, a.actor, a.number, party=a.party, on=a.on)),
    "consulted": (texts.CLI_CONSULTED_HELP, lambda svc, s, a: svc.end_consultation(s, a.actor, a.number, on=a.on)),
    "fee": (texts.CLI_FEE_HELP, lambda svc, s, a: svc.send_fee_notice(s, a.actor, a.number, amount=a.amount, on=a.on)),
    "paid": (texts.CLI_PAID_HELP, lambda svc, s, a: svc.record_payment(s, a.actor, a.number, on=a.on)),
    "extend": (texts.CLI_EXTEND_HELP, lambda svc, s, a: svc.request_extension(
        s, a.actor, a.number, days=a.days, reason=a.reason)),
    "approve": (texts.CLI_APPROVE_HELP, lambda svc, s, a: svc.approve_extension(s, a.actor, a.number)),
    "close": (texts.CLI_CLOSE_HELP, lambda svc, s, a: svc.close(
        s, a.actor, a.number, outcome=a.outcome, agency=a.agency, on=a.on)),
}


def _operation_arguments(name: str, parser: argparse.ArgumentParser) -> None:
    if name == "assign":
        parser.add_argument("to", metavar="NAME")
    if name in ("note", "reply"):
        parser.add_argument("text")
    if name == "correction":
        parser.add_argument("--matters", required=True)
        parser.add_argument("--days", type=int, help=texts.CLI_CORRECTION_DAYS_HELP)
    if name == "consult":
        parser.add_argument("--party", required=True, choices=codes([PauseKind.THIRD_PARTY, PauseKind.AGENCY]))
    if name == "fee":
        parser.add_argument("--amount", required=True)
    if name == "extend":
        parser.add_argument("--days", type=int, required=True)
        parser.add_argument("--reason", required=True)
    if name == "close":
        parser.add_argument("outcome", metavar="OUTCOME", help=texts.CLI_OUTCOME_HELP)
        parser.add_argument("--agency", help=texts.CLI_AGENCY_HELP)
    if name in ("correction", "corrected", "consult", "consulted", "fee", "paid", "close"):
        parser.add_argument("--on", type=iso_date, help=texts.CLI_ON_HELP)


def _add_new(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("new", parents=[common], help=texts.CLI_NEW_HELP)
    p.add_argument("--kind", choices=codes(TicketKind), default=TicketKind.DISCLOSURE_REQUEST.value)
    p.add_argument("--channel", required=True, choices=codes(Channel))
    p.add_argument("--received", type=iso_date, help=texts.CLI_RECEIVED_HELP)
    p.add_argument("--chat-id")
    p.add_argument("--question")
    p.add_argument("--name")
    p.add_argument("--applicant-type", choices=codes(ApplicantType), default=ApplicantType.NATURAL_PERSON.value)
    p.add_argument("--id-kind", choices=codes(IdKind), default=IdKind.RESIDENT_ID.value)
    p.add_argument("--id-number", help=texts.CLI_ID_NUMBER_HELP)
    p.add_argument("--phone")
    p.add_argument("--email")
    p.add_argument("--address")
    p.add_argument("--description")
    p.add_argument("--form", choices=codes(DeliveryForm), default=DeliveryForm.ELECTRONIC.value)
    p.add_argument("--delivery", choices=codes(DeliveryWay), default=DeliveryWay.EMAIL.value)
    p.set_defaults(handler=_new)


def register(subparsers: Any) -> None:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--as", dest="actor", default=default_actor(), metavar="NAME", help=texts.CLI_AS_HELP)
    tickets = subparsers.add_parser("tickets", help=texts.CLI_TICKETS_HELP)
    sub = tickets.add_subparsers(dest="tickets_command", metavar="COMMAND", required=True)
    p = sub.add_parser("list", parents=[common], help=texts.CLI_LIST_HELP)
    p.add_argument("--open", action="store_true")
    p.add_argument("--due-soon", action="store_true")
    p.add_argument("--overdue", action="store_true")
    p.add_argument("--kind", choices=codes(TicketKind))
    p.add_argument("--status", choices=codes(TicketStatus))
    p.add_argument("--assignee")
    p.set_defaults(handler=_list)
    p = sub.add_parser("show", parents=[common], help=texts.CLI_SHOW_HELP)
    p.add_argument("number")
    p.add_argument("--reveal", action="store_true", help=texts.CLI_REVEAL_HELP)
    p.set_defaults(handler=_show)
    _add_new(sub, common)
    for name, (help_text, call) in _OPERATIONS.items():
        p = sub.add_parser(name, parents=[common], help=help_text)
        p.add_argument("number")
        _operation_arguments(name, p)
        p.set_defaults(handler=_operation(call))
    p = sub.add_parser("remedy", parents=[common], help=texts.CLI_REMEDY_HELP)
    p.add_argument("number")
    p.add_argument("--kind", required=True, choices=codes(RemedyKind))
    p.add_argument("--filed", required=True, type=iso_date)
    p.add_argument("--decided", type=iso_date)
    p.add_argument("--result", choices=codes(RemedyResult), default=RemedyResult.PENDING.value)
    p.set_defaults(handler=_remedy)
    p = sub.add_parser("remedy-result", parents=[common], help=texts.CLI_REMEDY_RESULT_HELP)
    p.add_argument("id", type=int)
    p.add_argument("--decided", required=True, type=iso_date)
    p.add_argument("--result", required=True, choices=codes(r for r in RemedyResult if r != RemedyResult.PENDING))
    p.set_defaults(handler=_remedy_result)
    sub.add_parser("outcomes", help=texts.CLI_OUTCOMES_HELP).set_defaults(handler=_outcomes)
    sub.add_parser("sweep", help=texts.CLI_SWEEP_HELP).set_defaults(handler=_sweep)
