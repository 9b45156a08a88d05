"""The service for the API fuzzing: the API tests' demo ledger on the `store` backends, served on loopback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from paydesk.store.database import Store
from paydesk.understanding.engine import EmbeddedUnderstanding
from tests.api.conftest import Service, demo_ledger, run_service
from tests.conftest import load


@pytest.fixture
def fuzz_service(store: Store, shared_engine: EmbeddedUnderstanding) -> Iterator[Service]:
    load(store, demo_ledger())
    with run_service(store, shared_engine) as running:
        yield running
