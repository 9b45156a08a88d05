"""One conversation's turns one after the other within a process: a customer's messages and an agent's actions on
the same conversation never interleave (their reads and writes of the state would otherwise overwrite each other)."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager


class ConversationLocks:
    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: weakref.WeakValueDictionary[str, _Lock] = weakref.WeakValueDictionary()

    @contextmanager
    def hold(self, conversation_id: str) -> Iterator[None]:
        with self._guard:
            lock = self._locks.get(conversation_id)
            if lock is None:
                lock = self._locks[conversation_id] = _Lock()
        with lock.lock:
            yield


class _Lock:
    """A weak-referenceable holder (a bare threading.Lock is not)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
