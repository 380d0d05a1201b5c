"""The ASGI server every web-facing channel shares: one Starlette application under uvicorn.

``create_app`` takes the routes and mounts of the channels (the Telegram webhook today; the staff
console and the citizens' web chat can be mounted beside it) and the background work that runs for as
long as the application does (``lifespans``: the outbox sender and the daily jobs). ``serve`` runs it
until a stop event is set; the caller owns the signals.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from contextlib import AbstractAsyncContextManager, AsyncExitStack
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.routing import BaseRoute

Lifespan = Callable[[Starlette], AbstractAsyncContextManager[None]]


def create_app(*, routes: Sequence[BaseRoute] = (), lifespans: Sequence[Lifespan] = ()) -> Starlette:
    """A Starlette app with these routes (``Route``, ``Mount`` …); each lifespan is entered at start-up, in
    order, and left at shutdown, in reverse order."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            for enter in lifespans:
                await stack.enter_async_context(enter(app))
            yield

    return Starlette(routes=list(routes), lifespan=lifespan)


def running(work: Callable[[asyncio.Event], Awaitable[None]]) -> Lifespan:
    """A lifespan that runs ``work(stop)`` for as long as the application serves (the outbox sender and the
    daily jobs: ``handlers.telegram.app.background_work``), and stops it at shutdown."""

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        stop = asyncio.Event()
        task = asyncio.ensure_future(work(stop))
        try:
            yield
        finally:
            stop.set()
            await task

    return lifespan


class _Server(uvicorn.Server):
    """uvicorn without its own signal handling: the process's runner decides when to stop."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


async def serve(app: Any, host: str, port: int, stop: asyncio.Event) -> None:
    """Serve ``app`` on host:port until ``stop`` is set (in-flight requests are finished)."""
    # uvicorn sets its loggers' level itself: no quieter than bot.app left them (ERROR at LOG_LEVEL=WARNING).
    level = max(logging.getLogger("uvicorn.error").getEffectiveLevel(), logging.WARNING)
    server = _Server(uvicorn.Config(app, host=host, port=port, log_level=level, access_log=False,
                                    lifespan="on", timeout_graceful_shutdown=10))

    async def stopper() -> None:
        await stop.wait()
        server.should_exit = True

    watcher = asyncio.ensure_future(stopper())
    try:
        await server.serve()
    except SystemExit as exc:  # uvicorn exits when it cannot listen (the port is taken …)
        raise OSError(f"cannot listen on {host}:{port}") from exc
    finally:
        watcher.cancel()
