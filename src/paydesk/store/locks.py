"""Named locks that hold across threads, worker processes and hosts: a conversation's turns one after the other (a
customer's messages and an agent's actions on one conversation never interleave, whichever worker serves them), and
the schema migration once at a time.

- PostgreSQL: a session advisory lock on a connection of the locks' own pool (so that waiting for a lock never
  takes the connections the work needs). A killed worker's connection closes and its locks go with it.
- SQLite file: an exclusive POSIX record lock on one byte of `<database>.locks` per name (hashed; a collision only
  makes two names wait for each other). The kernel drops a killed process's locks.
- In-memory SQLite (one process): a thread lock only.

POSIX record locks belong to the process, not the thread: threads of one process first take a thread lock per byte,
so that one thread's unlock never releases a byte another thread holds."""

from __future__ import annotations

import fcntl
import os
import threading
import weakref
import zlib
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from paydesk.domain.errors import UpstreamError

BYTES = 1 << 20  # lock-file offsets: names hash into this many bytes; the byte after them is SQLite's writer lock
# PostgreSQL connections for advisory locks, per process: kept, opened while needed, and how long a turn may wait
# for one (turns beyond the pool queue here rather than fail). With the engine's 10 + 10 and the listener that is at
# most 33 connections per worker: two workers fit in PostgreSQL's default max_connections (100) with room to spare.
LOCK_POOL = 4
LOCK_OVERFLOW = 8
LOCK_WAIT_SECONDS = 600


class Locks:
    """`hold(name)`: a context manager that waits for the named lock and releases it at the end of the block."""

    def __init__(self, engine: Engine | None = None) -> None:
        self._guard = threading.Lock()
        self._threads: weakref.WeakValueDictionary[int, _ThreadLock] = weakref.WeakValueDictionary()
        self._writing = threading.Lock()
        self._pg: Engine | None = None
        self._fd: int | None = None
        if engine is None:
            return
        if engine.dialect.name == "postgresql":
            self._pg = create_engine(
                engine.url,
                pool_size=LOCK_POOL,
                max_overflow=LOCK_OVERFLOW,
                pool_timeout=LOCK_WAIT_SECONDS,
                pool_pre_ping=True,
                pool_recycle=3600,
            )
        elif (database := make_url(engine.url).database) not in (None, "", ":memory:"):
            path = Path(f"{database}.locks")
            path.parent.mkdir(parents=True, exist_ok=True)
            self._fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)

    @contextmanager
    def hold(self, name: str) -> Iterator[None]:
        key = zlib.crc32(name.encode("utf-8"))
        bucket = key % BYTES if self._fd is not None else key
        with self._guard:
            lock = self._threads.get(bucket)
            if lock is None:
                lock = self._threads[bucket] = _ThreadLock()
        with lock.lock, self._across(bucket, key):
            yield

    @contextmanager
    def writer(self) -> Iterator[None]:
        """SQLite's one writer at a time, taken before BEGIN IMMEDIATE: a waiting writer wakes the moment the last one
        finishes (SQLite's own busy handler would sleep for up to 100 ms between tries). No-op on PostgreSQL."""
        if self._pg is not None:
            yield
            return
        with self._writing:
            if self._fd is None:
                yield
                return
            with self._record(BYTES):
                yield

    def _across(self, bucket: int, key: int) -> AbstractContextManager[None]:
        if self._pg is not None:
            return self._advisory(key - (1 << 31))  # a signed 32-bit key
        if self._fd is not None:
            return self._record(bucket)
        return nullcontext()

    @contextmanager
    def _advisory(self, key: int) -> Iterator[None]:
        assert self._pg is not None
        try:
            conn = self._pg.connect()
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": key})
            conn.commit()
        except DBAPIError as exc:
            raise UpstreamError(f"database unavailable: {exc.orig}") from exc
        try:
            yield
        finally:
            try:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                conn.commit()
            except DBAPIError:
                conn.invalidate()  # the server is gone, and the lock with the session
            finally:
                conn.close()

    @contextmanager
    def _record(self, bucket: int) -> Iterator[None]:
        assert self._fd is not None
        fcntl.lockf(self._fd, fcntl.LOCK_EX, 1, bucket)
        try:
            yield
        finally:
            fcntl.lockf(self._fd, fcntl.LOCK_UN, 1, bucket)

    def close(self) -> None:
        if self._pg is not None:
            self._pg.dispose()
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


class _ThreadLock:
    """A weak-referenceable holder (a bare threading.Lock is not)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
