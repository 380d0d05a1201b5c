"""Staff commands in a chat: the same service calls as the CLI, refused to anyone not registered."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable

from bot import texts
from bot.dialogue import outbox, reports
from bot.dialogue.context import Context
from bot.dialogue.messages import Button, Reply
from bot.errors import PermissionDenied
from bot.tickets.codes import Action, Role, TicketKind
from bot.tickets.masking import mask_phone
from bot.tickets.models import Ticket
from bot.tickets.outcomes import ENQUIRY_OUTCOMES, OUTCOMES
from bot.tickets.render import due_text, outcome_label, render_detail, render_row
from bot.tickets.staff import has_role, require_role
from bot.tickets.views import Filters

log = logging.getLogger(__name__)
# Each command and the action a refusal records.
COMMANDS = {
    "queue": Action.LISTED, "ticket": Action.VIEWED, "claim": Action.CLAIMED, "reply": Action.REPLIED,
    "note": Action.NOTE, "correction": Action.CORRECTION_REQUESTED, "consult": Action.CONSULTATION_STARTED,
    "consulted": Action.CONSULTATION_ENDED, "extend": Action.EXTENSION_REQUESTED,
    "approve": Action.EXTENSION_APPROVED, "fee": Action.FEE_NOTICE_SENT, "close": Action.CLOSED,
    "withdrawn": Action.CLOSED,
    "report": Action.VIEWED,  # /report Y: the yearly report files (bot/dialogue/reports.py)
}


def is_staff(ctx: Context) -> bool:
    return ctx.incoming.staff_allowed and has_role(ctx.session, ctx.incoming.user_id, Role.STAFF)


def refuse(ctx: Context, command: str) -> list[Reply]:
    """Anyone not registered as staff: refused, and the refusal is an event (and a log line)."""
    # INFO: the terminal chat's stderr is the citizen's screen; the refusal is recorded as an event anyway.
    log.info("staff command %s refused for %s user %s", command, ctx.incoming.channel, ctx.incoming.user_id)
    with contextlib.suppress(PermissionDenied):
        require_role(ctx.session, at=ctx.now, actor=ctx.incoming.user_id, action=COMMANDS[command],
                     role=Role.STAFF)
    return [Reply(texts.STAFF_ONLY)]


def _updated(ticket: Ticket) -> Reply:
    return Reply(texts.STAFF_DONE.format(number=ticket.number, status=texts.STATUS_LABELS[ticket.status],
                                         due=due_text(ticket.due_on, ticket.due_provisional)))


def run(ctx: Context, command: str, arg: str) -> list[Reply]:
    """One staff command; `arg` is the rest of the line (``N`` and maybe text)."""
    if command == "queue":
        return queue(ctx)
    if command == "report":
        return reports.report(ctx, arg.strip())
    number, _, rest = arg.strip().partition(" ")
    rest = rest.strip()
    if not number or (command in ("reply", "note", "correction", "fee", "extend") and not rest
                      and not (command == "reply" and ctx.incoming.documents)):  # a reply may be files only
        return [Reply(texts.USAGE.format(usage=texts.STAFF_USAGE[command]))]
    return OPERATIONS[command](ctx, number, rest)


def queue(ctx: Context) -> list[Reply]:
    rows = ctx.service.list_tickets(ctx.session, ctx.incoming.user_id, Filters(open_only=True))
    if not rows:
        return [Reply(texts.QUEUE_EMPTY)]
    sections: dict[str, list[str]] = {key: [] for key in texts.QUEUE_SECTIONS}
    for row in rows:
        key = "overdue" if row.overdue else "due_soon" if row.due_soon else "new" if row.assignee is None else "other"
        sections[key].append(render_row(row))
    lines = [line for key, items in sections.items() if items for line in (texts.QUEUE_SECTIONS[key], *items)]
    return [Reply("\n".join(lines))]


def _ticket(ctx: Context, number: str, _rest: str) -> list[Reply]:
    detail = ctx.service.detail(ctx.session, ctx.incoming.user_id, number)
    return [Reply("\n".join(render_detail(detail)))]


def _claim(ctx: Context, number: str, _rest: str) -> list[Reply]:
    return [_updated(ctx.service.claim(ctx.session, ctx.incoming.user_id, number))]


def _reply(ctx: Context, number: str, rest: str) -> list[Reply]:
    documents = ctx.incoming.documents  # files attached: sent with the reply, through the outbox
    ticket = ctx.service.get(ctx.session, number)
    if documents and (refusal := outbox.unreachable(ticket, documents)):
        return [refusal]
    if documents:
        outbox.attach_to_reply(ctx.session, ticket.number, documents)  # the reply's message carries them
    ctx.service.reply(ctx.session, ctx.incoming.user_id, number, text=rest, files=[d.name for d in documents])
    if not outbox.reaches_applicant(ticket):  # by post or at the counter: recorded, not sent
        return [Reply(texts.STAFF_REPLY_RECORDED.format(number=ticket.number, contact=contact_on_file(ticket)))]
    if not documents:
        return [Reply(texts.STAFF_REPLIED.format(number=ticket.number))]
    return [Reply(texts.STAFF_REPLIED_FILES.format(number=ticket.number, names="、".join(d.name for d in documents)))]


def contact_on_file(ticket: Ticket) -> str:
    """Where a reply that the system cannot send must go: the address and e-mail on file (phone masked)."""
    d = ticket.details
    parts = [texts.CONTACT_PARTS[key].format(value=value) for key, value in (
        ("address", d.address if d else None), ("email", d.email if d else None),
        ("phone", mask_phone(d.phone) if d and d.phone else None)) if value]
    return "；".join(parts) or texts.CONTACT_NONE


def _note(ctx: Context, number: str, rest: str) -> list[Reply]:
    ticket = ctx.service.note(ctx.session, ctx.incoming.user_id, number, text=rest)
    return [Reply(texts.STAFF_NOTED.format(number=ticket.number))]


def _correction(ctx: Context, number: str, rest: str) -> list[Reply]:
    return [_updated(ctx.service.ask_correction(ctx.session, ctx.incoming.user_id, number, matters=rest))]


def _consult(ctx: Context, number: str, rest: str) -> list[Reply]:
    party = rest or "third_party"
    return [_updated(ctx.service.start_consultation(ctx.session, ctx.incoming.user_id, number, party=party))]


def _consulted(ctx: Context, number: str, _rest: str) -> list[Reply]:
    return [_updated(ctx.service.end_consultation(ctx.session, ctx.incoming.user_id, number))]


def _extend(ctx: Context, number: str, rest: str) -> list[Reply]:
    first, _, reason = rest.partition(" ")
    days = int(first) if first.isdigit() else 20
    reason = reason.strip() if first.isdigit() else rest
    if not reason:
        return [Reply(texts.USAGE.format(usage=texts.STAFF_USAGE["extend"]))]
    ticket = ctx.service.request_extension(ctx.session, ctx.incoming.user_id, number, days=days, reason=reason)
    # 第三十三条第二款: the head of the office approves; the button works for a supervisor only.
    return [Reply(texts.STAFF_EXTENSION_ASKED.format(days=days, number=ticket.number),
                  (Button(f"ap:{ticket.number}", texts.BTN_APPROVE),))]


def _approve(ctx: Context, number: str, _rest: str) -> list[Reply]:
    return [_updated(ctx.service.approve_extension(ctx.session, ctx.incoming.user_id, number))]


def _fee(ctx: Context, number: str, rest: str) -> list[Reply]:
    return [_updated(ctx.service.send_fee_notice(ctx.session, ctx.incoming.user_id, number, amount=rest))]


def _close(ctx: Context, number: str, rest: str) -> list[Reply]:
    code, _, agency = rest.partition(" ")
    if not code:
        return close_menu(ctx, number)
    if code == "not_this_agency" and not agency.strip():
        ticket = ctx.service.get(ctx.session, number)
        return [Reply(texts.CLOSE_NEEDS_AGENCY.format(number=ticket.number))]
    reply = ctx.service.close(ctx.session, ctx.incoming.user_id, number, outcome=code, agency=agency.strip() or None)
    ticket = ctx.service.get(ctx.session, number)
    if not outbox.reaches_applicant(ticket):
        return [Reply(texts.CLOSED_RECORDED.format(number=ticket.number, contact=contact_on_file(ticket), reply=reply))]
    return [Reply(texts.CLOSED_DONE.format(number=ticket.number, reply=reply))]


def close_menu(ctx: Context, number: str) -> list[Reply]:
    """The outcomes, one button each, in the order of the rows of table 三."""
    ticket = ctx.service.detail(ctx.session, ctx.incoming.user_id, number).row
    text = texts.CLOSE_MENU.format(number=ticket.number)
    if ticket.kind == TicketKind.ENQUIRY:
        labels = {code: texts.ENQUIRY_OUTCOME_LABELS[code] for code in sorted(ENQUIRY_OUTCOMES)}
    else:
        # Codes sharing a row (（一）: 已主动公开 / 予以公开; （四）1: 不掌握 / 非本机关) differ by article.
        labels = {code: texts.CLOSE_OUTCOME_NAMES[code] for code in OUTCOMES}
        text = "\n".join([text, *(texts.CLOSE_MENU_LINE.format(
            name=labels[code], row=outcome_label(code), article=outcome.article or texts.NO_ARTICLE)
            for code, outcome in OUTCOMES.items())])
    buttons = tuple(Button(f"c:{ticket.number}:{code}", labels[code]) for code in labels)
    return [Reply(text, buttons)]


def _withdrawn(ctx: Context, number: str, _rest: str) -> list[Reply]:
    return _close(ctx, number, "withdrawn")


OPERATIONS: dict[str, Callable[[Context, str, str], list[Reply]]] = {
    "ticket": _ticket, "claim": _claim, "reply": _reply, "note": _note, "correction": _correction,
    "consult": _consult, "consulted": _consulted, "extend": _extend, "approve": _approve, "fee": _fee,
    "close": _close, "withdrawn": _withdrawn,
}


def on_button(ctx: Context, button: str) -> list[Reply]:
    """Staff buttons: ``claim:N``, ``ap:N`` (approve), ``c:N:code`` (close with an outcome)."""
    kind, _, rest = button.partition(":")
    if kind == "claim":
        return run(ctx, "claim", rest)
    if kind == "ap":
        return run(ctx, "approve", rest)
    number, _, code = rest.partition(":")
    return run(ctx, "close", f"{number} {code}")
