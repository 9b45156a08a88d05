"""Prometheus metrics, one registry per app (so that several apps in one process, as in tests, don't collide)."""

from __future__ import annotations

from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5, 5.0)


@dataclass
class Metrics:
    registry: CollectorRegistry = field(default_factory=CollectorRegistry)

    def __post_init__(self) -> None:
        r = self.registry
        self.turns = Counter("paydesk_turns", "assistant turns answered", ["engine", "language"], registry=r)
        self.turn_seconds = Histogram("paydesk_turn_seconds", "time to answer a turn", buckets=BUCKETS, registry=r)
        self.handoffs = Counter("paydesk_handoffs", "conversations handed to humans", ["reason"], registry=r)
        self.actions = Counter("paydesk_actions", "writes done by the assistant", ["action", "outcome"], registry=r)
        self.errors = Counter("paydesk_errors", "requests that failed on the server's side", ["kind"], registry=r)
        self.rate_limited = Counter("paydesk_rate_limited", "messages refused by the rate limit", registry=r)
        self.fallbacks = Counter(
            "paydesk_llm_fallbacks", "turns the llm engine handed to the embedded one", ["reason"], registry=r
        )
        self.csat = Counter("paydesk_csat", "ratings given", ["score", "served_by"], registry=r)

    def render(self) -> bytes:
        return generate_latest(self.registry)
