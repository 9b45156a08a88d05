"""Choosing the engine on the command line and in the service; the fallback shows in the turn and in /metrics."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx

from paydesk.api.app import create_app
from paydesk.api.services import build_services
from paydesk.api.tokens import issue
from paydesk.config import Settings
from paydesk.domain.clock import FixedClock
from paydesk.llm.testing import Scripted, ScriptedLLM
from paydesk.store.database import Store
from paydesk.understanding.engine import EmbeddedUnderstanding
from tests.api.conftest import SECRET, demo_ledger, serve_app
from tests.conftest import NOW, load

PAYDESK = Path(sys.executable).with_name("paydesk")
SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios" / "en"


def test_eval_with_the_llm_engine_against_a_failing_upstream() -> None:
    with ScriptedLLM(lambda _: Scripted(status=503)).running() as server:
        env = {
            **os.environ,
            "PAYDESK_LLM_BASE_URL": server.url,
            "PAYDESK_LLM_MODEL": "scripted",
            "PAYDESK_LLM_RETRIES": "0",
        }
        done = subprocess.run(
            [PAYDESK, "eval", str(SCENARIOS), "--engine", "llm", "--json"], env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        assert server.requests  # the model was asked, failed, and the embedded engine stood in


def test_the_llm_engine_needs_its_settings() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAYDESK_LLM")}
    done = subprocess.run([PAYDESK, "eval", str(SCENARIOS), "--engine", "llm"], env=env, capture_output=True, text=True)
    assert done.returncode == 2 and "PAYDESK_LLM_BASE_URL" in done.stderr
    wrong = subprocess.run([PAYDESK, "eval", str(SCENARIOS), "--engine", "gpt"], capture_output=True, text=True)
    assert wrong.returncode == 2


def test_the_service_on_the_llm_engine_records_fallbacks(tmp_path: Path, shared_engine: EmbeddedUnderstanding) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'llm.db'}")
    load(store, demo_ledger())
    with ScriptedLLM(lambda _: Scripted(status=500)).running() as server:
        settings = Settings(
            secret=SECRET, database_url="sqlite://", engine="llm", llm_base_url=server.url, llm_model="m", llm_retries=0
        )
        clock = FixedClock(NOW)
        engine = EmbeddedUnderstanding(shared_engine.embedder, shared_engine.model, shared_engine.anchors, clock)
        app = create_app(services=build_services(settings, store=store, clock=clock, understanding=engine))
        with (
            serve_app(app) as url,
            httpx.Client(base_url=url, headers={"Authorization": f"Bearer {issue('cus_1', SECRET, NOW, 1)}"}) as c,
        ):
            conversation = c.post("/v1/conversations").json()["conversation_id"]
            turn = c.post(
                f"/v1/conversations/{conversation}/messages",
                json={"text": "Jag vill returnera löparskorna, de är för små"},
            ).json()
            assert turn["awaiting"] == "confirm" and turn["meta"]["engine"] == "embedded"
            assert turn["meta"]["fallback"] == "status_500"
            assert 'paydesk_llm_fallbacks_total{reason="status_500"} 1.0' in c.get("/metrics").text
    store.close()
