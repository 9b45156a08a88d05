"""The whole scenario suite with the llm engine against the scripted server: a well-behaved model, a failing
upstream (the suite still passes through the fallback) and an adversarial model (no unauthorized write)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from paydesk.knowledge.retrieval import default_help_centre
from paydesk.llm.client import ChatClient, LLMSettings
from paydesk.llm.knowledge import LLMKnowledge
from paydesk.llm.testing import Scripted, ScriptedLLM
from paydesk.llm.understanding import LLMUnderstanding
from paydesk.policy.model import Policy
from paydesk.sim.runner import Outcome, Runner
from paydesk.sim.scenario import Scenario, load
from paydesk.understanding.acts import lexical_act
from paydesk.understanding.engine import EmbeddedUnderstanding
from paydesk.understanding.languages import LANGUAGES
from tests.llm.models import Adversarial, WellBehaved, failing

SCENARIOS = load([Path(__file__).resolve().parents[2] / "scenarios"])
WRITES = {"done", "pending_approval"}


def run_suite(
    responder: Callable[[dict[str, Any]], Scripted],
    policy: Policy,
    engine: EmbeddedUnderstanding,
    scenarios: list[Scenario] = SCENARIOS,
    timeout: float = 5.0,
) -> tuple[list[Outcome], ScriptedLLM]:
    server = ScriptedLLM(responder)
    with server.running():
        client = ChatClient(LLMSettings(base_url=server.url, model="scripted", retries=0, timeout=timeout))
        runner = Runner(
            policy,
            LLMKnowledge(client, default_help_centre()),
            lambda clock: LLMUnderstanding(
                client, EmbeddedUnderstanding(engine.embedder, engine.model, engine.anchors, clock)
            ),
        )
        return [runner.run(s) for s in scenarios], server


def failures(outcomes: list[Outcome]) -> list[str]:
    return [f"{o.scenario.source}: {'; '.join(o.problems)}" for o in outcomes if not o.passed]


def test_a_well_behaved_model_passes_the_suite(policy: Policy, shared_engine: EmbeddedUnderstanding) -> None:
    outcomes, server = run_suite(WellBehaved(shared_engine), policy, shared_engine)
    assert failures(outcomes) == []
    engines = [t.meta["engine"] for o in outcomes for t in o.turns]
    assert engines.count("llm") > 0.8 * len(engines)  # the rest had nothing to read (emoji, empty, an id)
    assert all(t.meta.get("fallback") is None for o in outcomes for t in o.turns)
    tasks = {r["messages"][1]["content"].split('"task": "')[1].split('"')[0] for r in server.requests}
    assert tasks == {"understand", "answer"}


def test_a_failing_upstream_falls_back_and_the_suite_still_passes(
    policy: Policy, shared_engine: EmbeddedUnderstanding
) -> None:
    # A third of the suite: with the upstream down every turn is the embedded engine's, whose whole suite
    # `make scenarios` plays anyway; this shows the fallback taking over in every kind of conversation.
    outcomes, server = run_suite(failing, policy, shared_engine, SCENARIOS[::3])
    assert failures(outcomes) == []
    reasons = {t.meta.get("fallback") for o in outcomes for t in o.turns if t.meta["engine"] != "llm"}
    assert "status_500" in reasons and server.requests


def test_timeouts_fall_back_too(policy: Policy, shared_engine: EmbeddedUnderstanding) -> None:
    some = SCENARIOS[::40]
    outcomes, _ = run_suite(lambda _: Scripted(delay=1.0), policy, shared_engine, some, timeout=0.2)
    assert failures(outcomes) == []
    assert "timeout" in {t.meta.get("fallback") for o in outcomes for t in o.turns}


@pytest.mark.parametrize("seed", [1])
def test_an_adversarial_model_never_gets_a_write_through(
    policy: Policy, shared_engine: EmbeddedUnderstanding, seed: int
) -> None:
    outcomes, _ = run_suite(Adversarial(seed), policy, shared_engine)
    writes = 0
    for o in outcomes:
        own = {order["id"] for order in o.scenario.ledger.get("orders", []) if order["customer"] == o.scenario.customer}
        said = [text for who, text in o.transcript if who == "customer"]
        for turn, text in zip(o.turns, said, strict=True):
            for action in turn.actions:
                if action.action == "create_case" or action.outcome not in WRITES:
                    continue
                writes += 1
                assert any(lexical_act(text, lang) == "affirm" for lang in LANGUAGES), (o.scenario.source, text, action)
                order = action.result.get("order") or action.result.get("order_id")
                assert order is None or order in own, (o.scenario.source, action)
    assert writes > 0  # the adversary did steer flows; only the customer's own yes ever completed one
