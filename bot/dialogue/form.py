"""The guided request form (第二十九条第二款): one field at a time, checked as it comes, reviewed, filed."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from bot import texts, webchat
from bot.dialogue import outbox
from bot.dialogue.context import Context
from bot.dialogue.messages import Button, Reply
from bot.dialogue.models import OutboxMessage
from bot.errors import InvalidInput
from bot.tickets.codes import ApplicantType, Channel, DeliveryForm, DeliveryWay, IdKind
from bot.tickets.identity import (
    check_address,
    check_email,
    check_identity,
    check_phone,
    only_check_digit_wrong,
)
from bot.tickets.intake import RequestForm, validate_form
from bot.tickets.masking import mask_identity, mask_phone
from bot.tickets.render import due_text

FLOW = "form"
STEPS = ["name", "applicant_type", "id_kind", "id_number", "phone", "email", "address", "description",
         "form", "delivery"]
OPTIONAL = {"phone", "email", "address"}
CHOICES = {"applicant_type", "id_kind", "form", "delivery"}
PERSON_IDS = [k for k in IdKind if k is not IdKind.USCC]


def start(ctx: Context) -> list[Reply]:
    ctx.set(FLOW, "name", {"fields": {}})
    ctx.state.form_id = secrets.token_hex(4)  # the submit button carries it (a second press finds the receipt)
    return [Reply(texts.FORM_INTRO), prompt(ctx)]


def prompt(ctx: Context) -> Reply:
    """The question for the current step (also what a resumed conversation shows again)."""
    step, fields = ctx.state.step, ctx.data.get("fields", {})
    if step == "review":
        return review(fields, ctx.state.form_id)
    if step == "edit":
        return Reply(texts.EDIT_WHICH, tuple(Button(f"f:edit:{s}", texts.FIELD_LABELS[s]) for s in STEPS))
    question = {
        "name": texts.ASK_NAME, "applicant_type": texts.ASK_APPLICANT_TYPE, "id_kind": texts.ASK_ID_KIND,
        "phone": texts.ASK_PHONE, "email": texts.ASK_EMAIL, "address": texts.ASK_ADDRESS,
        "description": texts.ASK_DESCRIPTION, "form": texts.ASK_FORM, "delivery": texts.ASK_DELIVERY,
    }.get(step or "")
    if step == "id_number":
        question = texts.ASK_ID_NUMBER.format(kind=texts.ID_KIND_LABELS[fields.get("id_kind", "resident_id")])
    buttons = [Button(f"f:{step}:{code}", label) for code, label in _options(step or "", fields)]
    if step in OPTIONAL:
        buttons.append(Button("f:skip", texts.BTN_SKIP))
    return Reply(question or "", tuple(buttons))


def _options(step: str, fields: dict[str, Any]) -> list[tuple[str, str]]:
    if step == "applicant_type":
        return [(t.value, texts.APPLICANT_TYPE_LABELS[t]) for t in ApplicantType]
    if step == "id_kind":
        return [(k.value, texts.ID_KIND_LABELS[k]) for k in PERSON_IDS]
    if step == "form":
        return [(f.value, texts.FORM_LABELS[f]) for f in DeliveryForm]
    if step == "delivery":
        ways = [w for w in DeliveryWay if (w is not DeliveryWay.EMAIL or fields.get("email"))
                and (w is not DeliveryWay.POST or fields.get("address"))]
        return [(w.value, texts.DELIVERY_LABELS[w]) for w in ways]
    return []


def on_text(ctx: Context, text: str) -> list[Reply]:
    step = ctx.state.step or ""
    if step in CHOICES or step in ("review", "edit"):
        return [prompt(ctx)]  # a choice is made with a button
    try:
        value = _check(step, text, ctx.data.get("fields", {}))
    except InvalidInput as exc:
        return [Reply(str(exc)), prompt(ctx)]
    return _store(ctx, step, value)


def on_button(ctx: Context, button: str) -> list[Reply]:
    parts = button.split(":")
    step = ctx.state.step or ""
    if button == "f:skip" and step in OPTIONAL:
        return _store(ctx, step, None)
    if parts[:2] == ["f", "submit"] and step == "review" and parts[2:] in ([], [ctx.state.form_id]):
        return submit(ctx)
    if parts[:2] == ["f", "submit"] and (again := submitted_again(ctx, button)):
        return again  # the button of an earlier form, already filed
    if button == "f:edit" and step == "review":
        ctx.set(FLOW, "edit", ctx.data)
        return [prompt(ctx)]
    if len(parts) == 3 and parts[1] == "edit" and step == "edit" and parts[2] in STEPS:
        data = ctx.data
        data["editing"] = True
        ctx.set(FLOW, parts[2], data)
        return [prompt(ctx)]
    if len(parts) == 3 and parts[1] == step and parts[2] in dict(_options(step, ctx.data.get("fields", {}))):
        return _store(ctx, step, parts[2])
    return [Reply(texts.BUTTON_EXPIRED), prompt(ctx)]


def _check(step: str, text: str, fields: dict[str, Any]) -> str:
    text = text.strip()
    checks: dict[str, Callable[[str], str]] = {
        "name": lambda v: _required(v, 200, texts.NAME_REQUIRED),
        "id_number": lambda v: _check_id(fields.get("id_kind", "resident_id"), v),
        "phone": check_phone, "email": check_email, "address": check_address,
        "description": lambda v: _required(v, 5000, texts.DESCRIPTION_REQUIRED),
    }
    return checks[step](text)


def _required(value: str, limit: int, message: str) -> str:
    if not value or len(value) > limit:
        raise InvalidInput(message)
    return value


def _check_id(kind: str, value: str) -> str:
    number = re.sub(r"\s", "", value).upper()
    # GB 11643: name a wrong check digit as such, so the citizen looks for a mistyped digit.
    if kind == IdKind.RESIDENT_ID and only_check_digit_wrong(number):
        raise InvalidInput(texts.ID_CHECK_DIGIT)
    return check_identity(kind, number)


def _store(ctx: Context, step: str, value: str | None) -> list[Reply]:
    data = ctx.data
    fields = dict(data.get("fields", {}))
    fields[step] = value
    replies: list[Reply] = []
    if step == "applicant_type":
        if value != ApplicantType.NATURAL_PERSON:
            fields["id_kind"] = IdKind.USCC.value  # an organisation proves itself with its 统一社会信用代码
            replies.append(Reply(texts.ID_ORGANISATION))
        elif fields.get("id_kind") == IdKind.USCC:
            fields.pop("id_kind")
        fields.pop("id_number", None)  # the proof of identity follows from the type: ask it again
    if step == "id_kind":
        fields.pop("id_number", None)
    data["fields"] = fields
    nxt = _next_step(step, fields, bool(data.get("editing")))
    if nxt == "phone" and step == "address":
        replies.append(Reply(texts.CONTACT_REQUIRED))
    if nxt == "review":
        data.pop("editing", None)
    ctx.set(FLOW, nxt, data)
    return [*replies, prompt(ctx)]


def _next_step(step: str, fields: dict[str, Any], editing: bool) -> str:
    if step == "address" and not any(fields.get(k) for k in OPTIONAL):
        return "phone"  # 第二十九条: at least one way to reach the applicant
    for candidate in STEPS[STEPS.index(step) + 1:]:
        if candidate not in fields and not (editing and candidate in OPTIONAL):
            return candidate
    if "delivery" in fields and fields["delivery"] not in dict(_options("delivery", fields)):
        return "delivery"  # the e-mail or the address it needs was removed
    return "review"


def review(fields: dict[str, Any], form_id: str | None = None) -> Reply:
    def shown(key: str) -> str:
        value = fields.get(key)
        if not value:
            return texts.NOT_GIVEN
        labels = {"applicant_type": texts.APPLICANT_TYPE_LABELS, "id_kind": texts.ID_KIND_LABELS,
                  "form": texts.FORM_LABELS, "delivery": texts.DELIVERY_LABELS}.get(key)
        if labels:
            return labels.get(value, value)
        return {"id_number": mask_identity, "phone": mask_phone}.get(key, str)(value)

    lines = [texts.REVIEW_HEADER, *(texts.REVIEW_LINE.format(label=texts.FIELD_LABELS[k], value=shown(k)) for k in STEPS),
             texts.REVIEW_FOOTER]
    submit_id = f"f:submit:{form_id}" if form_id else "f:submit"
    return Reply("\n".join(lines), (Button(submit_id, texts.BTN_SUBMIT), Button("f:edit", texts.BTN_EDIT),
                                    Button("cancel", texts.BTN_CANCEL)))


def submit(ctx: Context) -> list[Reply]:
    fields = ctx.data.get("fields", {})
    form = RequestForm(
        applicant_name=fields.get("name") or "", applicant_type=fields.get("applicant_type") or "",
        id_kind=fields.get("id_kind") or "", id_number=fields.get("id_number") or "",
        description=fields.get("description") or "", form=fields.get("form") or "",
        delivery=fields.get("delivery") or "", phone=fields.get("phone"), email=fields.get("email"),
        address=fields.get("address"),
    )
    try:
        form = validate_form(form)
    except InvalidInput as exc:
        return [Reply(str(exc)), prompt(ctx)]
    incoming = ctx.incoming
    ticket = ctx.service.file_from_chat(ctx.session, channel=incoming.channel, chat_id=incoming.chat_id, form=form)
    ctx.clear()
    receipt = Reply(texts.RECEIPT.format(number=ticket.number, received=ticket.received_on.isoformat(),
                                         due=due_text(ticket.due_on, ticket.due_provisional),
                                         provisional=outbox.provisional_note(ticket.due_provisional)))
    if incoming.channel == Channel.WEB:  # its progress can be looked up from any browser with the code
        code = webchat.issue_code(ctx.session, ticket.number, ctx.now)
        receipt = Reply(receipt.text + "\n" + texts.WEB_CHAT_ACCESS_CODE.format(code=code))
    # The receipt is the confirmation 第三十一条 counts from: it goes through the outbox, never lost; its key
    # names the form, so the same form submitted again (a double press, on any worker) files nothing new.
    outbox.put(ctx.session, key=receipt_key(ctx), channel=incoming.channel, chat_id=incoming.chat_id,
               reply=receipt, at=ctx.now, ticket_number=ticket.number)
    return []


def receipt_key(ctx: Context, form_id: str | None = None) -> str:
    incoming = ctx.incoming
    return f"receipt:{incoming.channel}:{incoming.user_id}:{form_id or ctx.state.form_id or ctx.now.isoformat()}"


def submitted_again(ctx: Context, button: str) -> list[Reply] | None:
    """A 确认提交 pressed again after its form was filed: the first receipt, again; None if not that."""
    parts = button.split(":")
    if parts[:2] != ["f", "submit"] or len(parts) != 3:
        return None
    row = ctx.session.scalar(select(OutboxMessage).where(OutboxMessage.key == receipt_key(ctx, parts[2])))
    return [Reply(row.text)] if row is not None else None
