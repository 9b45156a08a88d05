"""Wake-ups for the live event streams, across worker processes and hosts.

On PostgreSQL the database's triggers `NOTIFY paydesk` with `conversation:<id>` for every new message and
conversation change, and `queue` for every case change (tables.NOTIFY). Each process keeps one LISTEN connection,
in a thread started by the first subscriber, and wakes the subscribers of the topic. A stream still re-reads every
`fallback` seconds, and everyone is woken after the listener reconnects, so a notification lost while the database
was away costs a delay, never an event. On SQLite there is nothing to listen to: streams poll every `fallback`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import Iterable

import psycopg
from sqlalchemy import Engine

from paydesk.store.tables import NOTIFY_CHANNEL

log = logging.getLogger(__name__)
POLL_SECONDS = 0.5  # SQLite: how often a stream re-reads
FALLBACK_SECONDS = 5.0  # PostgreSQL: a stream re-reads at least this often, notified or not
RECONNECT_SECONDS = 1.0


class Subscription:
    """A stream's wake-up, active inside `with`: set when one of its topics is notified. Clear it before reading,
    then `wait`: a notification that arrives during the read is not lost."""

    def __init__(self, hub: Notifications, topics: Iterable[str]) -> None:
        self.hub = hub
        self.topics = set(topics)
        self.loop = asyncio.get_running_loop()
        self.event = asyncio.Event()

    def clear(self) -> None:
        self.event.clear()

    async def wait(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.event.wait(), self.hub.fallback)

    def __enter__(self) -> Subscription:
        self.hub.add(self)
        return self

    def __exit__(self, *_: object) -> None:
        self.hub.remove(self)


class Notifications:
    def __init__(self, engine: Engine, fallback: float | None = None) -> None:
        self.listening = engine.dialect.name == "postgresql"
        self.fallback = fallback or (FALLBACK_SECONDS if self.listening else POLL_SECONDS)
        self._conninfo = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._subscribers: set[Subscription] = set()
        self._guard = threading.Lock()
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

    def subscribe(self, topics: Iterable[str]) -> Subscription:
        """A subscription (for the running event loop) that listens while its `with` block runs."""
        return Subscription(self, topics)

    def add(self, subscription: Subscription) -> None:
        with self._guard:
            self._subscribers.add(subscription)
            if self.listening and self._thread is None:
                self._thread = threading.Thread(target=self._listen, name="paydesk-listen", daemon=True)
                self._thread.start()

    def remove(self, subscription: Subscription) -> None:
        with self._guard:
            self._subscribers.discard(subscription)

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)

    def _wake(self, topic: str | None) -> None:
        """Wake the subscribers of `topic` (all of them when None)."""
        with self._guard:
            chosen = [s for s in self._subscribers if topic is None or topic in s.topics]
        for s in chosen:
            with contextlib.suppress(RuntimeError):  # its event loop has closed
                s.loop.call_soon_threadsafe(s.event.set)

    def _listen(self) -> None:
        while not self._stop.is_set():
            try:
                with psycopg.connect(self._conninfo, autocommit=True, connect_timeout=5) as conn:
                    conn.execute(f"LISTEN {NOTIFY_CHANNEL}")
                    self._wake(None)  # whatever happened while we were not listening
                    while not self._stop.is_set():
                        for notice in conn.notifies(timeout=1.0):
                            self._wake(notice.payload)
            except psycopg.Error as exc:
                log.warning("listening for live events failed (%s); retrying", exc)
                time.sleep(RECONNECT_SECONDS)
