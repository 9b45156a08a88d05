"""Aggregates over conversation records: the headline figures, groups, and the dashboard's series. Pure."""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

from paydesk.analytics.records import OUTCOMES, Record

GroupBy = Literal["language", "intent", "market", "day"]
EDGES = (0, 30, 60, 120, 300, 600, 1200, 1800, 3600)


@dataclass(frozen=True)
class Assumptions:
    """agent_handling_minutes: what an agent-handled case costs, used until `min_measured_cases` agent-resolved
    cases with handling times exist in the period (then their mean is used). fte_minutes: productive minutes of one
    agent in a month."""

    agent_handling_minutes: float = 11.0
    min_measured_cases: int = 30
    fte_minutes: float = 7200.0


def primary_intent(r: Record) -> str:
    return r.subjects[0] if r.subjects else (r.intents[0] if r.intents else "none")


KEYS: dict[GroupBy, Callable[[Record], str]] = {
    "language": lambda r: r.language,
    "intent": primary_intent,
    "market": lambda r: r.market,
    "day": lambda r: r.started.date().isoformat(),
}


def summary(records: list[Record], followed: set[str], assumptions: Assumptions) -> dict[str, Any]:
    """The headline figures of a set of conversations."""
    outcomes = Counter(r.outcome for r in records)
    assistant = [r for r in records if r.outcome == "resolved_by_assistant"]
    agent = [r for r in records if r.outcome == "resolved_by_agent"]
    finished = len(records) - outcomes["open"]
    handled = [r.handling_seconds for r in agent if r.handling_seconds is not None]
    measured = len(handled) >= assumptions.min_measured_cases
    minutes = statistics.fmean(handled) / 60 if measured else assumptions.agent_handling_minutes
    rated_assistant = [r.csat for r in records if r.csat is not None and r.handoff_reason is None]
    rated_agent = [r.csat for r in records if r.csat is not None and r.handoff_reason is not None]
    saved_minutes = len(assistant) * minutes
    return {
        "conversations": len(records),
        "outcomes": {o: outcomes[o] for o in OUTCOMES},
        "containment_rate": _ratio(len(assistant), finished),
        "median_resolution_seconds_assistant": _median(r.resolution_seconds for r in assistant),
        "p90_resolution_seconds_assistant": _p90(r.resolution_seconds for r in assistant),
        "median_resolution_seconds_agent": _median(r.resolution_seconds for r in agent),
        "p90_resolution_seconds_agent": _p90(r.resolution_seconds for r in agent),
        "median_first_reply_seconds": _median(r.first_reply_seconds for r in records),
        "csat_assistant": _mean(rated_assistant),
        "csat_agent": _mean(rated_agent),
        "csat_responses_assistant": len(rated_assistant),
        "csat_responses_agent": len(rated_agent),
        "repeat_contact_rate_assistant": _ratio(sum(r.id in followed for r in assistant), len(assistant)),
        "repeat_contact_rate_agent": _ratio(sum(r.id in followed for r in agent), len(agent)),
        "agent_handling_minutes": round(minutes, 2),
        "agent_handling_minutes_source": "measured" if measured else "configured",
        "agent_hours_saved": round(saved_minutes / 60, 2),
        "fte_equivalent": round(saved_minutes / assumptions.fte_minutes, 3),
        "handoff_reasons": dict(Counter(r.handoff_reason for r in records if r.handoff_reason).most_common()),
    }


def groups(records: list[Record], followed: set[str], assumptions: Assumptions, by: GroupBy) -> list[dict[str, Any]]:
    buckets: dict[str, list[Record]] = {}
    for r in records:
        buckets.setdefault(KEYS[by](r), []).append(r)
    order = sorted(buckets) if by == "day" else sorted(buckets, key=lambda k: (-len(buckets[k]), k))
    return [{"key": key, **summary(buckets[key], followed, assumptions)} for key in order]


def series(records: list[Record], followed: set[str]) -> dict[str, Any]:
    """What the dashboard's charts draw."""
    days: dict[str, Counter[str]] = {}
    for r in records:
        days.setdefault(r.started.date().isoformat(), Counter())[r.outcome] += 1
    assistant = [r for r in records if r.outcome == "resolved_by_assistant"]
    agent = [r for r in records if r.outcome == "resolved_by_agent"]
    return {
        "days": [{"day": d, **{o: days[d][o] for o in OUTCOMES}} for d in sorted(days)],
        "resolution_histogram": {
            "edges_seconds": list(EDGES),
            "assistant": _histogram(r.resolution_seconds for r in assistant),
            "agent": _histogram(r.resolution_seconds for r in agent),
        },
        "csat": {
            "assistant": _scores(r.csat for r in records if r.handoff_reason is None),
            "agent": _scores(r.csat for r in records if r.handoff_reason is not None),
        },
        "repeat_contact": {
            "assistant": _ratio(sum(r.id in followed for r in assistant), len(assistant)),
            "agent": _ratio(sum(r.id in followed for r in agent), len(agent)),
        },
        "languages": _volume(records, KEYS["language"]),
        "intents": _volume(records, KEYS["intent"]),
    }


def _volume(records: list[Record], key: Callable[[Record], str]) -> list[dict[str, Any]]:
    counts: dict[str, Counter[str]] = {}
    for r in records:
        counts.setdefault(key(r), Counter())[r.outcome] += 1
    rows = []
    for k, c in counts.items():
        finished = sum(c.values()) - c["open"]
        rows.append(
            {
                "key": k,
                "conversations": sum(c.values()),
                "containment_rate": _ratio(c["resolved_by_assistant"], finished),
            }
        )
    return sorted(rows, key=lambda row: (-row["conversations"], row["key"]))


def _histogram(values: Iterable[float | None]) -> list[int]:
    counts = [0] * (len(EDGES) - 1)
    for v in values:
        if v is None:
            continue
        i = next((k for k in range(len(EDGES) - 1) if v < EDGES[k + 1]), len(EDGES) - 2)
        counts[i] += 1
    return counts


def _scores(values: Iterable[int | None]) -> dict[str, int]:
    counted = Counter(v for v in values if v is not None)
    return {str(s): counted[s] for s in range(1, 6)}


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _mean(values: list[int]) -> float | None:
    return round(statistics.fmean(values), 2) if values else None


def _median(values: Iterable[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return round(statistics.median(known), 1) if known else None


def _p90(values: Iterable[float | None]) -> float | None:
    known = sorted(v for v in values if v is not None)
    return round(known[math.ceil(0.9 * len(known)) - 1], 1) if known else None
