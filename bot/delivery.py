"""Delivering the outbox, and the daily jobs: the background work of every long-running process.

Channel-neutral: a channel gives a ``Sender`` (Telegram's is ``handlers.telegram.sender``); this module
decides when and in which order rows are sent and records each outcome. Rows a worker wrote are sent
at once by that worker (``send_now``); the claim loop picks up the rest — retries whose time has come,
rows written by the command line, rows whose worker died. Messages to one chat go in order.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from typing import Protocol

from bot.dialogue.engine import Engine
from bot.dialogue.outbox import OutboxItem, Outcome, Owner, Result, wall

log = logging.getLogger(__name__)
MARGIN = timedelta(seconds=20)  # a row whose lease ends sooner than this is left to the claim, not sent


def worker_id() -> str:
    """This process among the workers (in the outbox's leases and the daily jobs' rows)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(2)}"


class KeyedLocks:
    """One asyncio lock per key (a chat), dropped when nobody holds or waits for it; waiters go in order."""

    def __init__(self) -> None:
        self._locks: dict[object, tuple[asyncio.Lock, int]] = {}

    @contextlib.asynccontextmanager
    async def hold(self, key: object) -> AsyncIterator[None]:
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users <= 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)


class Sender(Protocol):
    """Delivers one outbox row over a channel; classifies what went wrong (``Result``), never raises."""

    channel: str

    async def deliver(self, item: OutboxItem) -> Result: ...


class Dispatcher:
    """Sends outbox rows through the senders, records the outcomes, retries by claiming."""

    def __init__(self, engine: Engine, senders: dict[str, Sender], owner: Owner, *, concurrency: int = 32,
                 claim_interval: float = 1.0) -> None:
        self.engine, self.senders, self.owner = engine, senders, owner
        self.claim_interval = claim_interval
        self._slots = asyncio.Semaphore(concurrency)
        self._chats = KeyedLocks()  # one chat's messages are sent one after the other, in order
        self._results: list[tuple[OutboxItem, Result, asyncio.Future[None]]] = []
        self._recording = False
        self._tasks: set[asyncio.Task[None]] = set()
        self._wake = asyncio.Event()

    @property
    def channels(self) -> frozenset[str]:
        return frozenset(self.senders)

    async def send_now(self, items: list[OutboxItem]) -> None:
        """Deliver rows this worker holds (it wrote them, or claimed them), each chat's in order."""
        chats: dict[tuple[str, str], list[OutboxItem]] = {}
        for item in sorted(items, key=lambda i: i.id):
            if item.channel in self.senders:
                chats.setdefault((item.channel, item.chat_id), []).append(item)
        if chats:
            await asyncio.gather(*(self._chat(key, rows) for key, rows in chats.items()))

    def send_later(self, items: list[OutboxItem], done: Callable[[], None] | None = None) -> None:
        """``send_now`` in the background (the webhook answers Telegram without waiting for it)."""
        async def run() -> None:
            try:
                await self.send_now(items)
            finally:
                if done is not None:
                    done()

        self.spawn(run())

    def spawn(self, work: Awaitable[None]) -> None:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _chat(self, key: tuple[str, str], rows: list[OutboxItem]) -> None:
        async with self._chats.hold(key):
            await self._in_order(rows)

    async def _in_order(self, rows: list[OutboxItem]) -> None:
        for n, item in enumerate(rows):
            result = await self._deliver(item)
            if result.outcome in (Outcome.RETRY, Outcome.RELEASED) and n + 1 < len(rows):
                # The rest of this chat waits behind it (the claim takes a chat's oldest row first).
                rest = [(r, Result(Outcome.RELEASED, r.parts_sent)) for r in rows[n + 1:]]
                await asyncio.gather(*(self._record(i, r) for i, r in [(item, result), *rest]))
                return
            await self._record(item, result)

    async def _record(self, item: OutboxItem, result: Result) -> None:
        """Write an outcome right away; outcomes that come in while a write is under way go together in the
        next one (one commit for many deliveries under load, no waiting when idle)."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._results.append((item, result, done))
        if not self._recording:
            self._recording = True
            self.spawn(self._write_results())
        await done

    async def _write_results(self) -> None:
        try:
            while self._results:
                batch, self._results = self._results, []
                try:
                    follow = await asyncio.to_thread(self.engine.record, [(i, r) for i, r, _ in batch], self.owner)
                except Exception as exc:  # the rows stay leased, and are claimed again when the lease runs out
                    for _i, _r, done in batch:
                        done.set_exception(exc)
                    continue
                for _i, _r, done in batch:
                    done.set_result(None)
                if follow:  # staff told of a message that could not be delivered
                    self.spawn(self.send_now(follow))
        finally:
            self._recording = False

    async def _deliver(self, item: OutboxItem) -> Result:
        margin = min(MARGIN, self.owner.lease / 4)
        async with self._slots:
            left = (item.lease_until - margin - wall()).total_seconds() if item.lease_until else None
            if left is not None and left <= 0:
                return Result(Outcome.RELEASED, item.parts_sent)  # too late to be sure of the lease: left to the claim
            try:
                # Never past the lease (a send may wait in Telegram's rate limiter): another worker may take
                # the row then, and this try's outcome is unknown.
                return await asyncio.wait_for(self.senders[item.channel].deliver(item), timeout=left)
            except TimeoutError:
                log.warning("outbox %s: the lease ran out while sending", item.id)
                return Result(Outcome.RETRY, item.parts_sent, unknown=True, reason="lease")
            except Exception as exc:  # a sender bug must not lose the row: it is retried later
                log.error("outbox %s: sender failed (%s)", item.id, type(exc).__name__)
                return Result(Outcome.RETRY, item.parts_sent, reason=type(exc).__name__)

    async def claim_once(self, limit: int = 50) -> int:
        """Claim and deliver the due rows nobody holds; returns how many."""
        if not self.senders:
            return 0
        items = await asyncio.to_thread(self.engine.claim_outbox, self.channels, self.owner.worker, limit,
                                        self.owner.lease)
        if items:
            await self.send_now(items)
        return len(items)

    def nudge(self) -> None:
        self._wake.set()

    async def run(self, stop: asyncio.Event) -> None:
        """Claim due rows every ``claim_interval`` seconds until stopped."""
        while not stop.is_set():
            try:
                while await self.claim_once() and not stop.is_set():
                    pass
            except Exception as exc:  # the database away for a moment: try again at the next tick
                log.warning("outbox claim failed (%s)", type(exc).__name__)
            self._wake.clear()
            await _wait_any(stop, self._wake, self.claim_interval)

    async def drain(self, grace: float) -> None:
        """At shutdown: finish what is in flight, then deliver what falls due within ``grace`` seconds."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + grace
        while self._tasks and loop.time() < deadline:
            await asyncio.wait(set(self._tasks), timeout=max(0.0, deadline - loop.time()))
        while loop.time() < deadline and self.senders:
            if await self.claim_once():
                continue
            due = await asyncio.to_thread(self.engine.next_due, self.channels)
            if due is None:
                return
            wait = (due - wall()).total_seconds()
            if loop.time() + wait > deadline:
                return
            await asyncio.sleep(max(0.05, wait))


class Background:
    """The work every long-running process does besides its channel: the outbox claim loop and the daily
    jobs (digest, pause sweep, housekeeping), catching up at start."""

    def __init__(self, engine: Engine, dispatcher: Dispatcher, *, tick: float = 30.0) -> None:
        self.engine, self.dispatcher, self.tick = engine, dispatcher, tick

    async def run(self, stop: asyncio.Event) -> None:
        await asyncio.gather(self.dispatcher.run(stop), self._jobs(stop))

    async def _jobs(self, stop: asyncio.Event) -> None:
        owner = self.dispatcher.owner
        while not stop.is_set():
            try:
                written = await asyncio.to_thread(self.engine.run_scheduled, owner.worker, owner)
                await self.dispatcher.send_now(written)
            except Exception as exc:  # retried at the next tick; the job's row was not written
                log.warning("daily jobs failed (%s)", type(exc).__name__)
            await _wait_any(stop, None, self.tick)


async def _wait_any(stop: asyncio.Event, other: asyncio.Event | None, timeout: float) -> None:
    waits = [asyncio.ensure_future(stop.wait())]
    if other is not None:
        waits.append(asyncio.ensure_future(other.wait()))
    try:
        await asyncio.wait(waits, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for w in waits:
            w.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await w
