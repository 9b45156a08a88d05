"""Time as a dependency: a scenario brings its own `now`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Protocol

from paydesk.domain.errors import DeveloperError


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    """The real UTC clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class FixedClock:
    """A clock that always says `at`."""

    at: datetime

    def __post_init__(self) -> None:
        if self.at.tzinfo is None:
            raise DeveloperError("FixedClock needs a timezone-aware datetime")

    def now(self) -> datetime:
        return self.at


def today(clock: Clock) -> date:
    """ "Today" is the UTC date of the clock."""
    return clock.now().astimezone(UTC).date()
