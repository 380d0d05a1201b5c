"""The citizen's side: welcome, questions and feedback, escalation, status, privacy, 补正 answers."""

from __future__ import annotations

from bot import texts
from bot.agency import effective_settings
from bot.answers import answer_question, render
from bot.dialogue import outbox
from bot.dialogue.context import Context
from bot.dialogue.messages import Button, Reply
from bot.dialogue.models import QuestionLog
from bot.errors import BotError, InvalidInput
from bot.tickets.base import normalize_number
from bot.tickets.render import due_text
from bot.tickets.status import TicketStatus

MENU = (Button("m:apply", texts.BTN_APPLY), Button("m:status", texts.BTN_STATUS),
        Button("m:privacy", texts.BTN_PRIVACY))
NEXT_STEPS = (Button("rephrase", texts.BTN_REPHRASE), Button("staff", texts.BTN_STAFF),
              Button("m:apply", texts.BTN_APPLY))
NOT_QUESTIONS = ("greeting", "thanks", "acknowledged", "empty")  # not counted as questions asked


def welcome(ctx: Context) -> list[Reply]:
    agency = effective_settings(ctx.session, ctx.settings).agency_name  # as staff last saved it
    return [Reply(texts.WELCOME.format(agency=agency), MENU)]


def help_text(_ctx: Context) -> list[Reply]:
    return [Reply(texts.HELP, MENU)]


def privacy(ctx: Context) -> list[Reply]:
    return [Reply(texts.PRIVACY.format(form_draft_days=ctx.settings.form_draft_days))]


def question(ctx: Context, text: str) -> list[Reply]:
    answer = answer_question(ctx.matcher(), text)
    shown = render(answer)
    data = answer.data or {}
    choices = [str(c) for c in data.get("choices") or []] if not answer.matched else []  # type: ignore[attr-defined]
    ctx.set(data={"question": text.strip(), "attempt": shown, "choices": choices})
    if answer.reason not in NOT_QUESTIONS:  # for section 一: no text, no user id (see /privacy)
        ctx.session.add(QuestionLog(channel=ctx.incoming.channel, asked_at=ctx.now, matched=answer.matched,
                                    score=round(float(answer.score), 4)))
    if choices:  # ambiguous: which one? each choice is a question to ask instead
        return [Reply(texts.WHICH_ONE, tuple(Button(f"ask:{n}", c[:60]) for n, c in enumerate(choices)))]
    if answer.matched:
        buttons: tuple[Button, ...] = (Button("fb:y", texts.BTN_HELPFUL), Button("fb:n", texts.BTN_UNSOLVED))
        if data.get("offer") == OFFER_FORM:  # "how do I apply": the form itself is one press away
            buttons = (Button("m:apply", texts.BTN_APPLY_NOW), *buttons)
        return [Reply(shown, buttons)]
    if answer.reason in (*NOT_QUESTIONS, "too_long", "complaint"):
        return [Reply(shown)]  # one answer: a complaint's reply already says where to go (12345)
    return [Reply(shown), Reply(texts.ANSWER_ABSTAINED, NEXT_STEPS)]


OFFER_FORM = "申请表"  # the guide's 提供： line of entries about applying


def ask_choice(ctx: Context, button: str) -> list[Reply]:
    """One of the choices offered for an ambiguous question, asked as a question."""
    choices = list(ctx.data.get("choices") or [])
    n = int(button.partition(":")[2]) if button.partition(":")[2].isdigit() else -1
    if not 0 <= n < len(choices):
        return [Reply(texts.BUTTON_EXPIRED)]
    return question(ctx, choices[n])


def feedback(ctx: Context, helpful: bool) -> list[Reply]:
    if helpful:
        return [Reply(texts.FEEDBACK_THANKS)]
    return [Reply(texts.FEEDBACK_NEXT, NEXT_STEPS)]


def rephrase(_ctx: Context) -> list[Reply]:
    return [Reply(texts.REPHRASE)]


def escalate(ctx: Context) -> list[Reply]:
    """Ask staff: an enquiry with the question and the bot's attempt."""
    data = ctx.data
    if not data.get("question"):
        return [Reply(texts.NO_QUESTION)]
    subject = texts.ENQUIRY_SUBJECT.format(question=data["question"], attempt=data.get("attempt", ""))
    incoming = ctx.incoming
    ticket = ctx.service.escalate_from_chat(ctx.session, channel=incoming.channel, chat_id=incoming.chat_id,
                                            question=subject)
    ctx.clear()
    return [Reply(texts.ESCALATED.format(number=ticket.number))]


def status(ctx: Context, arg: str) -> list[Reply]:
    """The citizen's own tickets (those filed in this chat on this channel), or one of them."""
    incoming = ctx.incoming
    rows = [r for r in ctx.service.tickets_of_chat(ctx.session, incoming.chat_id) if r.channel == incoming.channel]
    if arg:
        try:
            number = normalize_number(arg)
        except InvalidInput as exc:
            return [Reply(str(exc))]
        row = next((r for r in rows if r.number == number), None)
        if row is None:
            return [Reply(texts.STATUS_NOT_YOURS.format(number=number))]
        return [Reply(texts.STATUS_DETAIL.format(
            number=row.number, kind=texts.KIND_LABELS[row.kind], status=texts.STATUS_LABELS[row.status],
            received=row.received_on.isoformat(), due=due_text(row.due_on, row.provisional, row.overdue),
            subject=row.subject))]
    if not rows:
        return [Reply(texts.STATUS_EMPTY)]
    lines = [texts.STATUS_HEADER, *(texts.STATUS_LINE.format(
        number=r.number, kind=texts.KIND_LABELS[r.kind], status=texts.STATUS_LABELS[r.status],
        due=due_text(r.due_on, r.provisional, r.overdue)) for r in rows)]
    return [Reply("\n".join(lines))]


def start_correction(ctx: Context, number: str) -> list[Reply]:
    ctx.set("correction", None, {"number": number})
    return [Reply(texts.ASK_CORRECTION.format(number=number))]


def correction_text(ctx: Context, text: str) -> list[Reply]:
    """第三十条: the citizen's corrected request arrives; the reply period restarts today."""
    return _correct(ctx, ctx.data.get("number", ""), text)


def quoted(ctx: Context, number: str, text: str) -> list[Reply]:
    """A quote-reply to a message naming ticket ``number``: the 补正 when the citizen's own ticket awaits
    one (第三十条), else a message like any other."""
    incoming = ctx.incoming
    awaiting = any(r.number == number and r.channel == incoming.channel
                   and r.status == TicketStatus.AWAITING_CORRECTION
                   for r in ctx.service.tickets_of_chat(ctx.session, incoming.chat_id))
    return _correct(ctx, number, text) if awaiting else question(ctx, text)


def _correct(ctx: Context, number: str, text: str) -> list[Reply]:
    try:
        ticket = ctx.service.correct_from_chat(ctx.session, number, chat_id=ctx.incoming.chat_id,
                                               channel=ctx.incoming.channel, text=text)
    except BotError as exc:
        ctx.clear()
        return [Reply(str(exc))]
    ctx.clear()
    return [Reply(texts.CORRECTION_RECEIVED.format(number=ticket.number,
                                                   due=due_text(ticket.due_on, ticket.due_provisional),
                                                   provisional=outbox.provisional_note(ticket.due_provisional)))]


def open_prompt(ctx: Context, prompts: list[Reply]) -> Reply | None:
    """The newest of ``prompts`` whose buttons can still be answered: a 补正 the ticket still awaits, a
    closed ticket not yet rated. Other buttons belong to a conversation that has moved on."""
    rows = {r.number: r for r in ctx.service.tickets_of_chat(ctx.session, ctx.incoming.chat_id)
            if r.channel == ctx.incoming.channel}
    for prompt in prompts:
        kind, _, rest = prompt.buttons[0].id.partition(":")
        row = rows.get(rest.partition(":")[0])
        if row is None:
            continue
        if kind == "fix" and row.status == TicketStatus.AWAITING_CORRECTION:
            return prompt
        if kind == "rate" and row.status == TicketStatus.CLOSED and not ctx.service.rated(ctx.session, row.number):
            return prompt
    return None


def rate(ctx: Context, button: str) -> list[Reply]:
    """``rate:N:code`` on the closing message."""
    _, number, code = (button.split(":") + ["", ""])[:3]
    ticket = ctx.service.rate_from_chat(ctx.session, number, chat_id=ctx.incoming.chat_id, rating=code)
    return [Reply(texts.RATED.format(number=ticket.number))]
