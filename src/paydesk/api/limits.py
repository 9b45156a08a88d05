"""A per-customer sliding-window rate limit on messages, counted from the messages the database holds: the limit
holds whichever worker or host a customer's messages reach."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Connection

from paydesk.domain.clock import Clock
from paydesk.store.conversations import Conversations


class RateLimiter:
    def __init__(self, clock: Clock, per_minute: int, window: float = 60.0) -> None:
        self.clock = clock
        self.per_minute, self.window = per_minute, timedelta(seconds=window)

    def check(self, customer: str, conn: Connection) -> float | None:
        """None when the customer may send another message; else the seconds until they may (read in the caller's
        transaction)."""
        now = self.clock.now()
        recent = Conversations(conn).customer_messages_since(customer, now - self.window, self.per_minute)
        if len(recent) < self.per_minute:
            return None
        return max(0.0, (recent[-1] + self.window - now).total_seconds())
