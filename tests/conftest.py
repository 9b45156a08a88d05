"""Shared fixtures: a real store on SQLite (a file, WAL) and, when PAYDESK_TEST_DATABASE_URL is set, PostgreSQL."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from paydesk.actions.base import ActionContext
from paydesk.domain.clock import FixedClock
from paydesk.policy.model import Policy, load_policy
from paydesk.store import fixtures
from paydesk.store.database import Store
from paydesk.store.engine import make_engine
from paydesk.store.migrate import upgrade
from paydesk.store.tables import metadata
from paydesk.understanding.engine import EmbeddedUnderstanding

PG_URL = os.environ.get("PAYDESK_TEST_DATABASE_URL")
BACKENDS = ["sqlite", "postgresql"] if PG_URL else ["sqlite"]
NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


def pg_schema_url(schema: str) -> str:
    assert PG_URL is not None
    url = make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_store() -> Iterator[Store | None]:
    """One PostgreSQL schema per test session, migrated once; tables are emptied between tests."""
    if PG_URL is None:
        yield None
        return
    schema = f"paydesk_test_{secrets.token_hex(4)}"
    admin = make_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    store = Store(make_engine(pg_schema_url(schema), pool_size=25))
    upgrade(store.engine)
    yield store
    store.close()
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path, pg_store: Store | None) -> Iterator[Store]:
    if request.param == "sqlite":
        s = Store.open(f"sqlite:///{tmp_path / 'paydesk.db'}")
        yield s
        s.close()
        return
    assert pg_store is not None
    yield emptied(pg_store)


def emptied(store: Store) -> Store:
    """The session's PostgreSQL store with every table emptied."""
    with store.engine.begin() as conn:
        names = ", ".join(t.name for t in metadata.sorted_tables)
        conn.execute(text(f"TRUNCATE {names} CASCADE"))
    return store


@pytest.fixture(scope="session")
def shared_engine() -> EmbeddedUnderstanding:
    """The embedded engine, loaded once per test session (tests make clock-bound copies of it)."""
    return EmbeddedUnderstanding()


@pytest.fixture(scope="session")
def policy() -> Policy:
    return load_policy()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def ctx(store: Store, policy: Policy, clock: FixedClock) -> ActionContext:
    return ActionContext(store=store, policy=policy, clock=clock, actor="assistant", conversation="conv_test")


def load(store: Store, data: dict[str, Any]) -> None:
    with store.write() as ledger:
        fixtures.write(ledger, fixtures.parse(data, existing=ledger, now=NOW))
