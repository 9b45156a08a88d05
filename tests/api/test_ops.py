"""Health, readiness, metrics, the OpenAPI document, pages and their security headers, production settings."""

from __future__ import annotations

import re
import threading
from datetime import UTC, datetime
from typing import Any

import anyio
import anyio.to_thread
import httpx
import pytest
from fastapi import FastAPI

from paydesk.api.app import _threads, create_app
from paydesk.api.deps import work
from paydesk.api.services import build_services
from paydesk.api.tokens import issue
from paydesk.config import Settings
from paydesk.domain.errors import DeveloperError
from paydesk.store.database import Store
from paydesk.store.engine import make_engine
from paydesk.understanding.engine import EmbeddedUnderstanding
from tests.api.conftest import Service, serve_app


def test_health_readiness_and_metrics(service: Service) -> None:
    client = service.customer("cus_2")
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {"status": "ready"}
    conversation = client.post("/v1/conversations").json()["conversation_id"]
    client.post(f"/v1/conversations/{conversation}/messages", json={"text": "I want to talk to a person"})
    text = client.get("/metrics").text
    assert 'paydesk_turns_total{engine="embedded",language="en"} 1.0' in text
    assert "paydesk_turn_seconds_count 1.0" in text
    assert 'paydesk_handoffs_total{reason="customer_request"} 1.0' in text
    assert 'paydesk_actions_total{action="create_case",outcome="done"} 1.0' in text


def test_readiness_fails_while_the_database_is_unreachable(shared_engine: EmbeddedUnderstanding) -> None:
    unreachable = Store(make_engine("postgresql+psycopg://postgres@127.0.0.1:9/none?connect_timeout=2"))
    settings = Settings(database_url="sqlite://", secret="s" * 20)
    app = create_app(services=build_services(settings, store=unreachable, understanding=shared_engine))
    with serve_app(app) as url, httpx.Client(base_url=url) as client:
        assert client.get("/healthz").status_code == 200
        ready = client.get("/readyz")
        assert ready.status_code == 503 and ready.json()["status"] == "unavailable"
        token = issue("cus_1", settings.secret, datetime.now(UTC), 1)
        down = client.post("/v1/conversations", headers={"Authorization": f"Bearer {token}"})
        assert down.status_code == 503 and down.json()["code"] == "upstream_failure"


def test_the_openapi_document_lists_every_route(service: Service) -> None:
    with service.client() as client:
        paths = set(client.get("/openapi.json").json()["paths"])
    assert {
        "/v1/conversations",
        "/v1/conversations/{conversation_id}",
        "/v1/conversations/{conversation_id}/messages",
        "/v1/conversations/{conversation_id}/messages/stream",
        "/v1/conversations/{conversation_id}/events",
        "/v1/conversations/{conversation_id}/csat",
        "/v1/ui/{language}",
        "/v1/demo/customers",
        "/v1/demo/token",
        "/v1/agent/login",
        "/v1/agent/logout",
        "/v1/agent/me",
        "/v1/agent/queue",
        "/v1/agent/events",
        "/v1/agent/cases/{case_id}",
        "/v1/agent/cases/{case_id}/claim",
        "/v1/agent/cases/{case_id}/messages",
        "/v1/agent/cases/{case_id}/approve",
        "/v1/agent/cases/{case_id}/reject",
        "/v1/agent/cases/{case_id}/resolve",
        "/v1/agent/cases/{case_id}/hand-back",
        "/healthz",
        "/readyz",
        "/metrics",
    } <= paths


def test_pages_are_served_with_security_headers(service: Service) -> None:
    with service.client() as client:
        for path in ("/chat", "/console", "/static/chat.js", "/static/console.js", "/static/paydesk.css"):
            r = client.get(path)
            assert r.status_code == 200, path
            assert r.headers["content-security-policy"].startswith("default-src 'self'")
            assert r.headers["x-content-type-options"] == "nosniff" and r.headers["x-frame-options"] == "DENY"
        assert client.get("/", follow_redirects=False).headers["location"] == "/chat"
        for page in (client.get("/chat").text, client.get("/console").text):
            assert re.findall(r"<script\b[^>]*>", page) == [
                m for m in re.findall(r"<script\b[^>]*>", page) if "src=" in m
            ]
            assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)  # nothing from elsewhere
            assert not re.search(r"\son[a-z]+=", page)  # no inline handlers


def test_production_refuses_the_development_secret() -> None:
    with pytest.raises(DeveloperError, match="PAYDESK_SECRET"):
        create_app(Settings(env="production", database_url="sqlite://"))


@pytest.mark.parametrize(
    ("settings", "threads"),
    [({}, 2), ({"engine": "llm"}, 40), ({"threads": 7}, 7), ({"engine": "llm", "threads": 3}, 3)],
)
def test_the_blocking_routes_thread_pool_follows_the_engine(settings: dict[str, Any], threads: int) -> None:
    app = FastAPI()

    async def inside() -> float:
        before = anyio.to_thread.current_default_thread_limiter().total_tokens
        async with _threads(Settings(**settings))(app):
            assert before == 40  # anyio's default, replaced for the app's life
            return anyio.to_thread.current_default_thread_limiter().total_tokens

    assert anyio.run(inside) == threads


@pytest.mark.parametrize(("engine", "on_the_loop"), [("embedded", True), ("llm", False)])
def test_a_customer_routes_work_runs_on_the_loop_only_for_the_embedded_engine(engine: str, on_the_loop: bool) -> None:
    async def inside() -> tuple[int, int]:
        loop_thread = threading.get_ident()
        return loop_thread, await work(Settings(engine=engine), threading.get_ident)

    loop_thread, worked_on = anyio.run(inside)
    assert (worked_on == loop_thread) is on_the_loop
