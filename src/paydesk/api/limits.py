"""A per-customer sliding-window rate limit on messages (in-process)."""

from __future__ import annotations

import threading
import time
from collections import deque


class RateLimiter:
    def __init__(self, per_minute: int, window: float = 60.0) -> None:
        self.per_minute, self.window = per_minute, window
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def check(self, key: str) -> float | None:
        """None when allowed (and counted); else the seconds until the next message is allowed."""
        now = time.monotonic()
        with self._lock:
            seen = self._seen.setdefault(key, deque())
            while seen and seen[0] <= now - self.window:
                seen.popleft()
            if len(seen) >= self.per_minute:
                return max(0.0, seen[0] + self.window - now)
            seen.append(now)
            if len(self._seen) > 100_000:  # forget idle customers
                self._seen = {k: v for k, v in self._seen.items() if v and v[-1] > now - self.window}
            return None
