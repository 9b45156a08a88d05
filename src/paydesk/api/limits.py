"""A per-customer sliding-window rate limit on messages, counted from the messages the database holds: the limit
holds whichever worker or host a customer's messages reach."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Connection

from paydesk.domain.clock import Clock
from paydesk.store.conversations import Conversations
from paydesk.store.database import Store


class RateLimiter:
    def __init__(self, store: Store, clock: Clock, per_minute: int, window: float = 60.0) -> None:
        self.store, self.clock = store, clock
        self.per_minute, self.window = per_minute, timedelta(seconds=window)

    def check(self, customer: str, conn: Connection | None = None) -> float | None:
        """None when the customer may send another message; else the seconds until they may. Reads in the caller's
        transaction if given one."""
        if conn is None:
            with self.store.read() as ledger:
                return self.check(customer, ledger.conn)
        now = self.clock.now()
        recent = Conversations(conn).customer_messages_since(customer, now - self.window, self.per_minute)
        if len(recent) < self.per_minute:
            return None
        return max(0.0, (recent[-1] + self.window - now).total_seconds())
