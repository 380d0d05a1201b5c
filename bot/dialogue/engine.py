"""The dialogue engine: one incoming message or button press in, the replies out; it never sends.

One update is one transaction: recording it as handled (the inbox), the state it changes, and — for a
channel that delivers through the outbox — the messages it causes, the direct replies included, commit
together or not at all.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from bot import texts
from bot.dialogue import citizen, flood, form, inbox, jobs, outbox, staff
from bot.dialogue.context import Context
from bot.dialogue.messages import Incoming, Reply
from bot.dialogue.models import DialogueState
from bot.errors import BotError, DatabaseUnavailable, PermissionDenied
from bot.settings import Settings
from bot.tickets.calendar_store import build_calendar
from bot.tickets.clock import SHANGHAI, Clock, SystemClock
from bot.tickets.codes import Role
from bot.tickets.service import TicketService
from bot.tickets.staff import has_role
from knowledge.matcher import Matcher

log = logging.getLogger(__name__)
T = TypeVar("T")
CITIZEN_COMMANDS = {"start", "help", "cancel", "apply", "status", "privacy"}
MENU_BUTTONS = {"m:apply": "apply", "m:status": "status", "m:privacy": "privacy"}


@dataclass
class Processed:
    """What handling one update came to: the replies, and the outbox rows its transaction wrote."""

    replies: list[Reply] = field(default_factory=list)
    outbox: list[outbox.OutboxItem] = field(default_factory=list)
    duplicate: bool = False  # already handled (by this worker or another): no effect


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
        return self.process(incoming).replies

    def process(self, incoming: Incoming, *, via_outbox: bool = False, limit: flood.FloodLimit | None = None,
                owner: outbox.Owner | None = None, claimed: bool = False,
                keep: Callable[[Session, list[Reply]], None] | None = None) -> Processed:
        """Handle one update in one transaction.

        ``via_outbox``: the replies are written to the outbox (keyed by the update) for the channel to
        send, as every message over an API channel is. ``limit``: the shared flood limit. ``owner``: the
        worker that will send the rows at once (it leases them). ``claimed``: the update was stored in
        the inbox and claimed for a retry. ``keep``: what the channel stores of the exchange (the web
        chat's transcript), written in the same transaction, so a message is kept with its answer or not
        at all.
        """
        self.matcher()  # loads the knowledge on first use: in its own transaction, before ours
        with self.sessions() as session:
            if owner is not None:
                session.info[outbox.OWNER] = owner
            now = self.clock.now()
            if incoming.update_id is not None and not inbox.mark_done(
                    session, incoming.channel, incoming.update_id, incoming.chat_id, now, claimed):
                return Processed(duplicate=True)
            if limit is not None:
                state, verdict = flood.enter(session, incoming, now, limit)
                if verdict != flood.OK and incoming.staff_allowed and has_role(session, incoming.user_id, Role.STAFF):
                    verdict = flood.OK  # staff answering a queue quickly are not a flood (looked up only then)
            else:
                state, verdict = self._state(session, incoming, now), flood.OK
            if verdict == flood.SILENT:
                return Processed()
            if verdict == flood.WARN:
                replies = [Reply(texts.FLOOD)]
            else:
                ctx = Context(session, incoming, state, lambda: self._service(session), self.settings,
                              self.matcher, now)
                replies = self._route(ctx)
            if via_outbox:
                tag = incoming.update_id if incoming.update_id is not None else uuid.uuid4().hex
                for n, reply in enumerate(replies):
                    outbox.put(session, key=f"reply:{incoming.channel}:{tag}:{n}", channel=incoming.channel,
                               chat_id=incoming.chat_id, reply=reply, at=now)
            if keep is not None:
                keep(session, replies)
            info = session.info
        return Processed(replies, outbox.written_in(info))

    def skip(self, channel: str, update_id: int, chat_id: str | None, claimed: bool = False) -> bool:
        """Record an update that asks nothing of the core (staff talking in their group …) as handled."""
        with self.sessions() as session:
            return inbox.mark_done(session, channel, update_id, chat_id, self.clock.now(), claimed)

    def defer(self, channel: str, update_id: int, chat_id: str | None, payload: dict[str, Any], error: str) -> bool:
        """Store an update whose handling failed, for a later try (by any worker)."""
        with self.sessions() as session:
            return inbox.defer(session, channel, update_id, chat_id, payload, self.clock.now(), error)

    def claim_updates(self, channel: str, limit: int = 20, lease: timedelta = inbox.LEASE) -> list[inbox.Stored]:
        """Stored updates due for another try (their first failed, or their worker died)."""
        with self.sessions() as session:
            return inbox.claim(session, channel, limit, lease)

    def update_failed(self, stored: inbox.Stored, error: str, owner: outbox.Owner | None = None) -> list[outbox.OutboxItem]:
        """A stored update failed again: retried later, or given up after the last try — then the user is
        asked to send it again."""
        with self.sessions() as session:
            if owner is not None:
                session.info[outbox.OWNER] = owner
            if inbox.failed_again(session, stored, error) and stored.chat_id:
                outbox.put(session, key=f"given-up:{stored.channel}:{stored.update_id}", channel=stored.channel,
                           chat_id=stored.chat_id, reply=Reply(texts.TEMPORARY_FAILURE), at=self.clock.now())
            info = session.info
        return outbox.written_in(info)

    def claim_outbox(self, channels: frozenset[str], worker: str, limit: int = 50,
                     lease: timedelta = outbox.LEASE) -> list[outbox.OutboxItem]:
        """Lease the outbox rows nobody holds that are due (retries, rows of the CLI, rows left by a worker
        that died)."""
        with self.sessions() as session:
            return outbox.claim(session, channels, worker, limit, lease)

    def record(self, results: list[tuple[outbox.OutboxItem, outbox.Result]],
               owner: outbox.Owner | None = None) -> list[outbox.OutboxItem]:
        """Write the outcomes of deliveries, in one transaction; returns the messages that causes (staff
        told of a message that could not be delivered)."""
        if not results:
            return []
        with self.sessions() as session:
            if owner is not None:
                session.info[outbox.OWNER] = owner
            for item, result in results:
                outbox.record(session, self.settings, item, result, self.clock.now())
            info = session.info
        return outbox.written_in(info)

    def next_due(self, channels: frozenset[str]) -> datetime | None:
        """When the next outbox row nobody holds falls due (None: none is waiting)."""
        with self.sessions() as session:
            return outbox.next_due(session, channels)

    def chat_moves(self, channel: str) -> dict[str, str]:
        with self.sessions() as session:
            return outbox.chat_moves(session, channel)

    def run_scheduled(self, worker: str, owner: outbox.Owner | None = None) -> list[outbox.OutboxItem]:
        """The daily jobs whose time has come and that no worker did yet today; returns the messages they
        wrote (the digest)."""
        now = self.clock.now()
        local = now.astimezone(SHANGHAI)
        due = jobs.due_jobs(self.settings, local)
        with self.sessions() as session:
            missing = [job for job in due if job not in jobs.done_on(session, local.date())]
        written: list[outbox.OutboxItem] = []
        for job in missing:
            with self.sessions() as session:
                if owner is not None:
                    session.info[outbox.OWNER] = owner
                if jobs.take(session, job, local.date(), now, worker):
                    jobs.run(session, job, self._service(session), self.settings, local.date(), now)
                info = session.info
            written.extend(outbox.written_in(info))
        return written

    def resume(self, channel: str, user_id: str) -> list[Reply]:
        """Where an unfinished flow stands, or the last delivered buttons that can still be answered (a 补正
        notice, a rating): shown again when a channel starts, so a numbered reply goes to them; or nothing."""
        with self.sessions() as session:
            state = session.get(DialogueState, (channel, user_id))
            if state is None:  # notices may come before the user ever wrote (a ticket filed for them)
                state = DialogueState(channel=channel, user_id=user_id, chat_id=user_id)
            ctx = Context(session, Incoming(channel, user_id, state.chat_id), state, lambda: self._service(session),
                          self.settings, self.matcher, self.clock.now())
            if state.flow == form.FLOW:
                return [Reply(texts.RESUMED), form.prompt(ctx)]
            if state.flow == "correction":
                return [Reply(texts.RESUMED), *citizen.start_correction(ctx, ctx.data.get("number", ""))]
            prompt = citizen.open_prompt(ctx, outbox.delivered_prompts(session, channel, state.chat_id))
            return [Reply(texts.RESUMED_PROMPT), prompt] if prompt is not None else []

    def pending(self, channel: str, chat_id: str | None = None, limit: int = 100) -> list[outbox.OutboxItem]:
        """Outbox messages waiting for delivery to a channel that reads them itself (the terminal chat)."""
        with self.sessions() as session:
            return outbox.due_items(session, channel, chat_id, limit)

    def delivered(self, item_id: int, ok: bool = True) -> None:
        """Record the outcome of a delivery: sent, or undelivered (the citizen blocked the bot …)."""
        with self.sessions() as session:
            row = session.get(outbox.OutboxMessage, item_id)
            if row is None:
                return
            item = outbox.item_of(row)
            result = outbox.Result(outbox.Outcome.SENT if ok else outbox.Outcome.UNDELIVERED,
                                   parts_sent=len(item.reply.documents) + 1)
            outbox.record(session, self.settings, item, result, self.clock.now())

    def digest(self, worker: str = "") -> bool:
        """Queue today's digest for the staff group, once a day whatever the number of workers."""
        if not self.settings.staff_chat_id:
            return False
        now = self.clock.now()
        day = now.astimezone(SHANGHAI).date()
        with self.sessions() as session:
            if not jobs.take(session, jobs.DIGEST, day, now, worker or "engine"):
                return False
            jobs.run(session, jobs.DIGEST, self._service(session), self.settings, day, now)
            return True

    def _service(self, session: Session) -> TicketService:
        return TicketService(self.settings, build_calendar(session, self.settings), self.clock)

    def _state(self, session: Session, incoming: Incoming, now: Any) -> DialogueState:
        # Locked (PostgreSQL): one user's updates are handled one after the other, on any worker; the
        # second press of 确认提交 waits for the first and then finds the form filed.
        state = session.get(DialogueState, (incoming.channel, incoming.user_id), with_for_update=True)
        if state is None:
            state = DialogueState(channel=incoming.channel, user_id=incoming.user_id, chat_id=incoming.chat_id,
                                  updated_at=now, flood_window=0, flood_count=0)
            session.add(state)
        state.chat_id = incoming.chat_id
        return state

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
        if incoming.quoted_ticket and ctx.state.flow is None:
            return citizen.quoted(ctx, incoming.quoted_ticket, text)
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
                return form.submitted_again(ctx, button) or [Reply(texts.BUTTON_EXPIRED)]
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
