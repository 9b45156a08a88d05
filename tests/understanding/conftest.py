from __future__ import annotations

from datetime import UTC, datetime

import pytest

from paydesk.domain.clock import FixedClock
from paydesk.understanding.engine import EmbeddedUnderstanding

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def engine() -> EmbeddedUnderstanding:
    """The real engine: the bundled model, the built artifacts, a fixed clock for relative dates."""
    return EmbeddedUnderstanding(clock=FixedClock(NOW))
