"""Server-Sent Events: formatting, and streams that watch the database (so they work across workers), woken by
PostgreSQL notifications (store/notify.py) or polling on SQLite."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Callable
from typing import Any, TypeVar

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from paydesk.store.notify import Subscription

PING_SECONDS = 15.0
T = TypeVar("T")
SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


def sse(event: str, data: Any) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


async def watch(
    request: Request,
    subscription: Subscription,
    read: Callable[[], T],
    changes: Callable[[T], list[str]],
) -> AsyncIterator[str]:
    """Read (in a thread) and yield the events `changes` makes of each new reading, again whenever the subscription
    is woken (PostgreSQL NOTIFY from any worker) or its fallback interval passes, with keep-alive pings, until the
    client goes away."""
    last_ping = time.monotonic()
    with subscription:
        while not await request.is_disconnected():
            subscription.clear()
            reading = await run_in_threadpool(read)
            for event in changes(reading):
                yield event
            if time.monotonic() - last_ping > PING_SECONDS:
                last_ping = time.monotonic()
                yield ": ping\n\n"
            await subscription.wait()
