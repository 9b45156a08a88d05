"""Server-Sent Events: formatting, and streams that watch the database (so they work across workers)."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable
from typing import Any, TypeVar

from fastapi import Request
from starlette.concurrency import run_in_threadpool

POLL_SECONDS = 0.5
PING_SECONDS = 15.0
T = TypeVar("T")
SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


def sse(event: str, data: Any) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


async def watch(
    request: Request, read: Callable[[], T], changes: Callable[[T], list[str]], poll: float = POLL_SECONDS
) -> AsyncIterator[str]:
    """Poll `read` (in a thread) and yield the events `changes` makes of each new reading, with keep-alive pings,
    until the client goes away."""
    last_ping = time.monotonic()
    while not await request.is_disconnected():
        reading = await run_in_threadpool(read)
        for event in changes(reading):
            yield event
        if time.monotonic() - last_ping > PING_SECONDS:
            last_ping = time.monotonic()
            yield ": ping\n\n"
        await asyncio.sleep(poll)
