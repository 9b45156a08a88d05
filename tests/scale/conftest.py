"""Several workers over one database: each its own app, store (engine, pool, locks) and event listener, as separate
processes or hosts would have, served on its own loopback port. On PostgreSQL they share nothing but the database;
the tests that need real separate processes (SQLite's file locks, kill -9) start `paydesk serve --workers N`."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Any

import pytest

from paydesk.api.app import create_app
from paydesk.api.services import build_services
from paydesk.config import Settings
from paydesk.domain.clock import FixedClock
from paydesk.handoff.agents import AgentAccounts
from paydesk.store.database import Store
from paydesk.store.notify import Notifications
from paydesk.understanding.engine import EmbeddedUnderstanding
from tests.api.conftest import PASSWORDS, SECRET, Service, demo_ledger, serve_app
from tests.conftest import NOW, emptied, load

Workers = Callable[..., list[Service]]


@pytest.fixture
def pg(pg_store: Store | None) -> Store:
    """The PostgreSQL test store, emptied (these tests are about PostgreSQL: CI sets PAYDESK_TEST_DATABASE_URL)."""
    if pg_store is None:
        pytest.skip("needs PAYDESK_TEST_DATABASE_URL")
    emptied(pg_store).engine.dispose()  # the session pool's idle connections count against max_connections too
    return pg_store


@pytest.fixture
def workers(shared_engine: EmbeddedUnderstanding) -> Iterator[Workers]:
    """`workers(store, n, ledger=..., fallback=..., **settings)`: n workers serving the store's database."""
    stack = ExitStack()

    def start(
        store: Store, n: int, ledger: dict[str, Any] | None = None, fallback: float | None = None, **config: Any
    ) -> list[Service]:
        load(store, ledger or demo_ledger())
        clock = FixedClock(NOW)
        accounts = AgentAccounts(store, clock)
        for username, password in PASSWORDS.items():
            accounts.put(username, username.title(), "supervisor" if username == "sam" else "agent", password)
        url = store.engine.url.render_as_string(hide_password=False)
        running = []
        for _ in range(n):
            own = Store.open(url, migrate=False)
            stack.callback(own.close)
            settings = Settings(**{"secret": SECRET, "database_url": url, "messages_per_minute": 100_000, **config})
            understanding = EmbeddedUnderstanding(
                shared_engine.embedder, shared_engine.model, shared_engine.anchors, clock
            )
            services = build_services(settings, store=own, clock=clock, understanding=understanding)
            services = dataclasses.replace(services, notifications=Notifications(own.engine, fallback))
            stack.callback(services.notifications.close)
            running.append(Service(stack.enter_context(serve_app(create_app(services=services))), services))
        return running

    with stack:
        yield start
