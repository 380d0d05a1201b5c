"""The dialogue engine: one incoming message or button press in, the replies out; it never sends."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot import texts
from bot.dialogue import citizen, digest, form, outbox, staff
from bot.dialogue.context import Context
from bot.dialogue.messages import Incoming, Reply
from bot.dialogue.models import DialogueState, SeenUpdate
from bot.errors import BotError, DatabaseUnavailable, PermissionDenied
from bot.settings import Settings
from bot.tickets.calendar_store import build_calendar
from bot.tickets.clock import Clock, SystemClock
from bot.tickets.service import TicketService
from knowledge.matcher import Matcher

log = logging.getLogger(__name__)
T = TypeVar("T")
CITIZEN_COMMANDS = {"start", "help", "cancel", "apply", "status", "privacy"}
MENU_BUTTONS = {"m:apply": "apply", "m:status": "status", "m:privacy": "privacy"}


class Engine:
    """Channel-neutral: adapters turn updates into ``Incoming`` and render the ``Reply`` values."""

    def __init__(self, settings: Settings, sessions: Callable[[], AbstractContextManager[Session]],
                 matcher: Callable[[], Matcher], clock: Clock | None = None) -> None:
        self.settings = settings
        self.sessions = sessions  # one transaction per message: committed on success
        self.matcher = matcher
        self.clock: Clock = clock or SystemClock()

    def handle(self, incoming: Incoming) -> list[Reply]:
        """Handle one message; the same update delivered twice has one effect (the second gets nothing)."""
        if incoming.text and not incoming.text.startswith("/"):
            self.matcher()  # loads the knowledge on first use: in its own transaction, before ours
        with self.sessions() as session:
            if incoming.update_id is not None and not self._first_time(session, incoming):
                return []
            ctx = self._context(session, incoming)
            replies = self._route(ctx)
            outbox.collect_notices(session, self.settings, ctx.now)
            return replies

    def resume(self, channel: str, user_id: str) -> list[Reply]:
        """Where an unfinished flow stands (shown again when a channel starts), or nothing."""
        with self.sessions() as session:
            state = session.get(DialogueState, (channel, user_id))
            if state is None or state.flow != form.FLOW:
                return []
            ctx = self._context(session, Incoming(channel, user_id, state.chat_id))
            return [Reply(texts.RESUMED), form.prompt(ctx)]

    def pending(self, channel: str, chat_id: str | None = None, limit: int = 100) -> list[outbox.OutboxItem]:
        """Outbox messages waiting for delivery (after turning new ticket events into messages)."""
        with self.sessions() as session:
            outbox.collect_notices(session, self.settings, self.clock.now())
            return outbox.due_items(session, channel, chat_id, limit)

    def delivered(self, item_id: int, ok: bool = True) -> None:
        """Record the outcome of a delivery: sent, or undelivered (the citizen blocked the bot …)."""
        with self.sessions() as session:
            outbox.mark(session, self.settings, item_id, outbox.SENT if ok else outbox.UNDELIVERED, self.clock.now())

    def digest(self) -> bool:
        """Queue today's digest for the staff group, once a day whatever the number of workers."""
        if not self.settings.staff_chat_id:
            return False
        with self.sessions() as session:
            service = TicketService(self.settings, build_calendar(session, self.settings), self.clock)
            return digest.queue_digest(session, service, self.settings.staff_chat_id, self.clock.today())

    def _first_time(self, session: Session, incoming: Incoming) -> bool:
        assert incoming.update_id is not None
        if session.get(SeenUpdate, (incoming.channel, incoming.update_id)) is not None:
            return False
        try:
            with session.begin_nested():
                session.add(SeenUpdate(channel=incoming.channel, update_id=incoming.update_id, at=self.clock.now()))
        except IntegrityError:  # another worker took it a moment ago
            return False
        return True

    def _context(self, session: Session, incoming: Incoming) -> Context:
        state = session.get(DialogueState, (incoming.channel, incoming.user_id))
        if state is None:
            state = DialogueState(channel=incoming.channel, user_id=incoming.user_id, chat_id=incoming.chat_id,
                                  updated_at=self.clock.now())
            session.add(state)
        state.chat_id = incoming.chat_id
        def service() -> TicketService:
            return TicketService(self.settings, build_calendar(session, self.settings), self.clock)

        return Context(session, incoming, state, service, self.settings, self.matcher, self.clock.now())

    def _route(self, ctx: Context) -> list[Reply]:
        try:
            return _attempt(ctx.session, lambda: self._dispatch(ctx))
        except DatabaseUnavailable:
            raise  # not the user's doing: the adapter says "try again later"
        except BotError as exc:
            return [Reply(str(exc))]

    def _dispatch(self, ctx: Context) -> list[Reply]:
        incoming = ctx.incoming
        if incoming.button:
            return self._button(ctx, incoming.button)
        text = incoming.text.strip()
        if text.startswith("/"):
            command, _, arg = text[1:].partition(" ")
            return self._command(ctx, command.split("@")[0].lower(), arg.strip())
        if not text:
            return []
        if ctx.state.flow == form.FLOW:
            return form.on_text(ctx, text)
        if ctx.state.flow == "correction":
            return citizen.correction_text(ctx, text)
        return citizen.question(ctx, text)

    def _command(self, ctx: Context, command: str, arg: str) -> list[Reply]:
        if command in staff.COMMANDS:
            if not staff.is_staff(ctx):
                return staff.refuse(ctx, command)
            return staff.run(ctx, command, arg)
        if command not in CITIZEN_COMMANDS:
            return [Reply(texts.UNKNOWN_COMMAND)]
        if command == "cancel":
            had_flow = ctx.state.flow is not None
            ctx.clear()
            return [Reply(texts.CANCELLED if had_flow else texts.NOTHING_TO_CANCEL)]
        if command == "apply":
            return form.start(ctx)
        if command == "status":
            return citizen.status(ctx, arg)
        if ctx.state.flow is not None:
            ctx.clear()  # /start, /help, /privacy leave any flow
        handlers = {"start": citizen.welcome, "help": citizen.help_text, "privacy": citizen.privacy}
        replies = handlers[command](ctx)
        if command == "help" and staff.is_staff(ctx):
            replies.append(Reply(texts.STAFF_HELP))
        return replies

    def _button(self, ctx: Context, button: str) -> list[Reply]:
        if button in MENU_BUTTONS:
            return self._command(ctx, MENU_BUTTONS[button], "")
        if button == "cancel":
            return self._command(ctx, "cancel", "")
        if button.startswith("f:"):
            if ctx.state.flow != form.FLOW:
                return [Reply(texts.BUTTON_EXPIRED)]
            return form.on_button(ctx, button)
        if button.split(":")[0] in ("claim", "ap", "c"):
            if not staff.is_staff(ctx):
                return staff.refuse(ctx, {"claim": "claim", "ap": "approve", "c": "close"}[button.split(":")[0]])
            return staff.on_button(ctx, button)
        if button.startswith("rate:"):
            return citizen.rate(ctx, button)
        if button.startswith("ask:"):
            return citizen.ask_choice(ctx, button)
        if button.startswith("fix:"):
            return citizen.start_correction(ctx, button[4:])
        simple = {"fb:y": lambda: citizen.feedback(ctx, True), "fb:n": lambda: citizen.feedback(ctx, False),
                  "rephrase": lambda: citizen.rephrase(ctx), "staff": lambda: citizen.escalate(ctx)}
        if button in simple:
            return simple[button]()
        return [Reply(texts.BUTTON_EXPIRED)]


def _attempt(session: Session, action: Callable[[], T]) -> T:
    """Run one operation in a savepoint: a failed rule changes nothing, a refusal keeps its event."""
    savepoint = session.begin_nested()
    try:
        result = action()
    except PermissionDenied:
        savepoint.commit()
        raise
    except BotError:
        savepoint.rollback()
        raise
    savepoint.commit()
    return result
