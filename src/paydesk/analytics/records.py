"""One conversation's record, classified from the facts the store holds. Pure: no I/O.

Outcomes:
- a conversation with a case for humans is `resolved_by_agent` once an agent closed the case (resolved, or handed
  back to the assistant), else `open`;
- without one it is `resolved_by_assistant` when it ended (the customer said goodbye) or went quiet for longer
  than `idle` with the assistant's last turn asking nothing more; `abandoned` when it went quiet while the assistant
  waited for an answer; `open` otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from paydesk.dialogue.manager import TASKS

Outcome = Literal["resolved_by_assistant", "resolved_by_agent", "abandoned", "open"]
OUTCOMES: tuple[Outcome, ...] = ("resolved_by_assistant", "resolved_by_agent", "abandoned", "open")
SUBJECTS = TASKS | {"faq"}  # what a conversation is about, for repeat contacts


@dataclass(frozen=True, slots=True)
class Line:
    role: str
    at: datetime
    awaiting: str | None = None  # the assistant's question, on assistant lines


@dataclass(frozen=True, slots=True)
class CaseFacts:
    reason: str
    status: str
    created: datetime
    claimed: datetime | None = None
    closed: datetime | None = None


@dataclass(frozen=True, slots=True)
class Facts:
    """What the store holds of one conversation."""

    id: str
    customer: str
    market: str
    language: str
    engine: str
    started: datetime
    status: str
    ended: datetime | None
    lines: tuple[Line, ...]
    intents: tuple[str, ...] = ()
    orders: tuple[str, ...] = ()
    case: CaseFacts | None = None
    csat: int | None = None
    actions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Record:
    id: str
    customer: str
    market: str
    language: str
    engine: str
    started: datetime
    ended: datetime | None
    turns: int
    intents: tuple[str, ...]
    orders: tuple[str, ...]
    outcome: Outcome
    first_reply_seconds: float | None
    resolution_seconds: float | None
    handoff_reason: str | None
    handling_seconds: float | None  # an agent's, from claim to close
    csat: int | None
    actions: tuple[str, ...]

    @property
    def subjects(self) -> tuple[str, ...]:
        return tuple(i for i in self.intents if i in SUBJECTS)


def classify(f: Facts, now: datetime, idle: timedelta) -> Record:
    customer_lines = [line for line in f.lines if line.role == "customer"]
    replies = [line for line in f.lines if line.role != "customer"]
    first_reply = None
    if customer_lines:
        answer = next((r for r in replies if r.at >= customer_lines[0].at), None)
        first_reply = (answer.at - customer_lines[0].at).total_seconds() if answer else None
    last = max((line.at for line in f.lines), default=f.started)
    outcome: Outcome
    resolved_at: datetime | None = None
    handling = None
    if f.case is not None:
        closed = f.case.status in ("resolved", "handed_back")
        outcome = "resolved_by_agent" if closed else "open"
        if closed:
            resolved_at = f.case.closed or f.ended or last
            if f.case.claimed and f.case.closed:
                handling = (f.case.closed - f.case.claimed).total_seconds()
    elif f.status == "ended":
        outcome, resolved_at = "resolved_by_assistant", f.ended or last
    elif customer_lines and now - last > idle:
        assistant = [r for r in replies if r.role == "assistant"]
        if assistant and assistant[-1].awaiting is None:
            outcome, resolved_at = "resolved_by_assistant", assistant[-1].at
        else:
            outcome = "abandoned"
    elif not customer_lines and now - last > idle:
        outcome = "abandoned"  # opened the chat and never wrote
    else:
        outcome = "open"
    return Record(
        id=f.id,
        customer=f.customer,
        market=f.market,
        language=f.language,
        engine=f.engine,
        started=f.started,
        ended=f.ended,
        turns=len(customer_lines),
        intents=f.intents,
        orders=f.orders,
        outcome=outcome,
        first_reply_seconds=first_reply,
        resolution_seconds=(resolved_at - f.started).total_seconds() if resolved_at else None,
        handoff_reason=f.case.reason if f.case else None,
        handling_seconds=handling,
        csat=f.csat,
        actions=f.actions,
    )


def repeats(records: list[Record], window: timedelta) -> set[str]:
    """Ids of the conversations the same customer came back after, within `window`, about the same thing: the same
    order when both name orders, else the same subject (intent)."""
    followed: set[str] = set()
    by_customer: dict[str, list[Record]] = {}
    for r in sorted(records, key=lambda r: r.started):
        by_customer.setdefault(r.customer, []).append(r)
    for history in by_customer.values():
        for i, earlier in enumerate(history):
            for later in history[i + 1 :]:
                if later.started - earlier.started > window:
                    break
                if _same_matter(earlier, later):
                    followed.add(earlier.id)
                    break
    return followed


def _same_matter(a: Record, b: Record) -> bool:
    if a.orders and b.orders:
        return bool(set(a.orders) & set(b.orders))
    return bool(set(a.subjects) & set(b.subjects))
