"""The service on a real loopback port (uvicorn in a thread) over a real store, and an HTTP client for it."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import uvicorn

from paydesk.api.app import create_app
from paydesk.api.services import Services, build_services
from paydesk.api.tokens import issue
from paydesk.config import Settings
from paydesk.domain.clock import Clock, FixedClock
from paydesk.handoff.agents import AgentAccounts
from paydesk.store.database import Store
from paydesk.understanding.engine import EmbeddedUnderstanding
from tests import factory
from tests.conftest import NOW, load

SECRET = "test-secret-0123456789"
LAYLA: dict[str, Any] = {
    "id": "cus_3",
    "name": "Layla Haddad",
    "email": "layla@example.ae",
    "locale": "ar-AE",
    "market": "AE",
    "payment_methods": [{"id": "pm_1", "kind": "card", "label": "Visa •••• 7777"}],
}
PASSWORDS = {"maria": "maria-password-1", "li": "li-password-1", "sam": "sam-password-1"}


def demo_ledger() -> dict[str, Any]:
    """Astrid (sv) with a delivered order to return; Bob (en); Layla (ar); a large refund awaiting approval."""
    data = factory.ledger(
        factory.pay_in_4("4821-0932"),
        factory.pay_in_4("5000-0001", customer="cus_2", currency="GBP", price="900.00", status="cancelled"),
        factory.pay_in_4("6000-0001", customer="cus_3", currency="AED", price="400.00"),
        refunds=[
            {
                "id": "rf_1",
                "order": "5000-0001",
                "amount": "900.00",
                "status": "pending_approval",
                "reason": "cancelled",
                "created": "2026-11-20",
            }
        ],
        cases=[
            {
                "id": "case_approval",
                "customer": "cus_2",
                "reason": "approval",
                "summary": '{"reason": "approval"}',
                "created": "2026-11-20T09:00:00+00:00",
                "order": "5000-0001",
                "pending": "refund:rf_1",
            }
        ],
    )
    data["customers"].append(dict(LAYLA))
    return data


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Service:
    url: str
    services: Services

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30)

    def token(self, customer: str) -> str:
        return issue(customer, SECRET, NOW, 24)

    def customer(self, customer: str) -> httpx.Client:
        client = self.client()
        client.headers["Authorization"] = f"Bearer {self.token(customer)}"
        return client

    def agent(self, username: str) -> httpx.Client:
        client = self.client()
        r = client.post("/v1/agent/login", json={"username": username, "password": PASSWORDS[username]})
        assert r.status_code == 200, r.text
        return client


@contextmanager
def run_service(
    store: Store, engine: EmbeddedUnderstanding, clock: Clock | None = None, **settings: Any
) -> Iterator[Service]:
    """Serve the app on a free loopback port until the block ends (on the tests' fixed clock unless given one)."""
    clock = clock or FixedClock(NOW)
    config = Settings(secret=SECRET, database_url="sqlite://", **{"messages_per_minute": 1000, **settings})
    understanding = EmbeddedUnderstanding(engine.embedder, engine.model, engine.anchors, clock)
    services = build_services(config, store=store, clock=clock, understanding=understanding)
    accounts = AgentAccounts(store, clock)
    accounts.put("maria", "Maria Lund", "agent", PASSWORDS["maria"])
    accounts.put("li", "Li Wei", "agent", PASSWORDS["li"])
    accounts.put("sam", "Sam Okafor", "supervisor", PASSWORDS["sam"])
    with serve_app(create_app(services=services)) as url:
        yield Service(url, services)


@contextmanager
def serve_app(app: Any) -> Iterator[str]:
    """Serve an app with uvicorn on a free loopback port; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture
def service(store: Store, shared_engine: EmbeddedUnderstanding) -> Iterator[Service]:
    load(store, demo_ledger())
    with run_service(store, shared_engine) as running:
        yield running


@pytest.fixture
def start_service(store: Store, shared_engine: EmbeddedUnderstanding) -> Iterator[Callable[..., Any]]:
    """`start_service(**settings)`: the service with other settings (e.g. a low rate limit)."""
    load(store, demo_ledger())
    stack = ExitStack()

    def start(**settings: Any) -> Service:
        return stack.enter_context(run_service(store, shared_engine, **settings))

    with stack:
        yield start
