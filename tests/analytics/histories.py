"""A hand-built history of ten conversations whose figures are worked out by hand (see test_records.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from paydesk.analytics.records import CaseFacts, Facts, Line

T0 = datetime(2026, 11, 1, 10, 0, tzinfo=UTC)
NOW = T0 + timedelta(days=30)


def at(day: float, seconds: float = 0) -> datetime:
    return T0 + timedelta(days=day, seconds=seconds)


def conversation(
    ident: str,
    customer: str,
    day: float,
    intents: tuple[str, ...],
    orders: tuple[str, ...] = (),
    *,
    ended_after: float | None = None,
    quiet_after: float | None = None,
    awaiting: str | None = None,
    case: CaseFacts | None = None,
    csat: int | None = None,
    market: str = "SE",
    language: str = "sv",
) -> Facts:
    """A customer line at the start, the assistant's answer a second later; then either an end (goodbye) or a last
    assistant line after `quiet_after` seconds asking `awaiting`."""
    lines = [Line("customer", at(day)), Line("assistant", at(day, 1), awaiting if quiet_after is None else None)]
    if ended_after is not None:
        lines += [Line("customer", at(day, ended_after - 1)), Line("assistant", at(day, ended_after))]
    if quiet_after is not None:
        lines += [Line("customer", at(day, quiet_after - 1)), Line("assistant", at(day, quiet_after), awaiting)]
    return Facts(
        id=ident,
        customer=customer,
        market=market,
        language=language,
        engine="embedded",
        started=at(day),
        status="ended" if ended_after is not None else ("handed_off" if case else "active"),
        ended=at(day, ended_after) if ended_after is not None else None,
        lines=tuple(lines),
        intents=intents,
        orders=orders,
        case=case,
        csat=csat,
    )


def history() -> list[Facts]:
    return [
        # c1 is back 6 days later about the same order: a1 is followed by a repeat contact.
        conversation("a1", "c1", 0, ("return_item", "goodbye"), ("o1",), ended_after=120, csat=5),
        conversation("a2", "c1", 6, ("return_item",), ("o1",), quiet_after=60),
        # c2 is back 8 days later: outside the window. a4 went quiet while asked to confirm: abandoned.
        conversation("a3", "c2", 0, ("return_item",), ("o2",), ended_after=90, csat=4),
        conversation("a4", "c2", 8, ("return_item",), ("o2",), quiet_after=30, awaiting="confirm"),
        # c3: the same intent about another order is not a repeat; a6 was resolved by the assistant, then the
        # customer asked for a person after all: handed off, resolved by an agent (claimed at 100 s, closed at 700 s).
        conversation("a5", "c3", 0, ("refund_status",), ("o3",), ended_after=30, csat=3, market="DE", language="de"),
        conversation(
            "a6",
            "c3",
            2,
            ("refund_status", "talk_to_human"),
            ("o4",),
            case=CaseFacts("customer_request", "resolved", at(2, 40), at(2, 100), at(2, 700)),
            csat=2,
            market="DE",
            language="de",
        ),
        # c4: help-centre questions without orders, two days apart: a repeat by intent; a8's case is still queued.
        conversation("a7", "c4", 1, ("faq",), ended_after=20),
        conversation("a8", "c4", 3, ("faq", "talk_to_human"), case=CaseFacts("customer_request", "queued", at(3, 30))),
        # c5: a fraud case resolved by an agent (no rating given), and c5 back 5 days later about the same order.
        conversation(
            "a9",
            "c5",
            0,
            ("dispute",),
            ("o5",),
            case=CaseFacts("fraud", "resolved", at(0, 60), at(0, 300), at(0, 1500)),
        ),
        conversation("a10", "c5", 5, ("dispute",), ("o5",), ended_after=50),
    ]


# The report of history() with the default definitions (7-day window, 30-minute idle, 11 handling minutes).
EXPECTED: dict[str, Any] = {
    "conversations": 10,
    "outcomes": {"resolved_by_assistant": 6, "resolved_by_agent": 2, "abandoned": 1, "open": 1},
    "containment_rate": round(6 / 9, 4),  # open conversations are not counted yet
    "median_resolution_seconds_assistant": 55.0,  # of 20 30 50 60 90 120
    "p90_resolution_seconds_assistant": 120.0,
    "median_resolution_seconds_agent": 1100.0,
    "p90_resolution_seconds_agent": 1500.0,
    "median_first_reply_seconds": 1.0,
    "csat_assistant": 4.0,  # 5, 4, 3; a9 and the others gave none
    "csat_agent": 2.0,
    "csat_responses_assistant": 3,
    "csat_responses_agent": 1,
    "repeat_contact_rate_assistant": round(2 / 6, 4),  # a1, a7
    "repeat_contact_rate_agent": 0.5,  # a9
    "agent_handling_minutes": 11.0,  # two measured cases are too few: the configured figure
    "agent_handling_minutes_source": "configured",
    "agent_hours_saved": 1.1,  # 6 x 11 min
    "fte_equivalent": round(66 / 7200, 3),
    "handoff_reasons": {"customer_request": 2, "fraud": 1},
}
