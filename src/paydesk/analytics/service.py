"""The report over a period and filters: load, classify, find repeat contacts, aggregate."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from paydesk.analytics import history
from paydesk.analytics.records import Record, classify, repeats
from paydesk.analytics.report import Assumptions, GroupBy, groups, series, summary
from paydesk.config import Settings
from paydesk.store.database import Store


@dataclass(frozen=True)
class Filters:
    language: str | None = None
    intent: str | None = None
    market: str | None = None
    engine: str | None = None

    def keep(self, r: Record) -> bool:
        return (
            (not self.language or r.language == self.language)
            and (not self.intent or self.intent in r.intents)
            and (not self.market or r.market == self.market)
            and (not self.engine or r.engine == self.engine)
        )


@dataclass(frozen=True)
class Definitions:
    """repeat_window: a customer back about the same thing within it is a repeat contact. idle: a conversation
    quiet for longer is over (resolved or abandoned, see records.py)."""

    repeat_window: timedelta = timedelta(days=7)
    idle: timedelta = timedelta(minutes=30)
    assumptions: Assumptions = field(default_factory=Assumptions)

    @classmethod
    def of(cls, settings: Settings) -> Definitions:
        return cls(
            repeat_window=timedelta(days=settings.repeat_window_days),
            idle=timedelta(minutes=settings.idle_minutes),
            assumptions=Assumptions(
                agent_handling_minutes=settings.agent_handling_minutes, fte_minutes=settings.fte_minutes_per_month
            ),
        )


def records(
    store: Store, since: date, until: date, now: datetime, definitions: Definitions = Definitions()
) -> tuple[list[Record], set[str]]:
    """The records of conversations started from `since` to `until` (both whole days, UTC), and which of them the
    customer came back after (looking past `until` by the repeat window)."""
    start = datetime.combine(since, time(), UTC)
    end = datetime.combine(until + timedelta(days=1), time(), UTC)
    loaded = [classify(f, now, definitions.idle) for f in history.load(store, start, end + definitions.repeat_window)]
    followed = repeats(loaded, definitions.repeat_window)
    return [r for r in loaded if r.started < end], followed


def report(
    store: Store,
    since: date,
    until: date,
    now: datetime,
    *,
    by: GroupBy | None = None,
    filters: Filters = Filters(),
    definitions: Definitions = Definitions(),
    with_series: bool = False,
) -> dict[str, Any]:
    found, followed = records(store, since, until, now, definitions)
    kept = [r for r in found if filters.keep(r)]
    result: dict[str, Any] = {
        "since": since.isoformat(),
        "until": until.isoformat(),
        "filters": {k: v for k, v in vars(filters).items() if v},
        **summary(kept, followed, definitions.assumptions),
    }
    if by is not None:
        result["by"] = by
        result["groups"] = groups(kept, followed, definitions.assumptions, by)
    if with_series:
        result["series"] = series(kept, followed)
        result["options"] = {
            "languages": sorted({r.language for r in found}),
            "markets": sorted({r.market for r in found}),
        }
    return result
