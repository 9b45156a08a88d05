"""The latency the LLM path adds to a turn (not a test): the same conversations through the embedded engine and
through the llm engine against the scripted OpenAI-protocol server on loopback (answering at once with a valid
reply), side by side. A real model adds its own inference time on top.

    .venv/bin/python benchmarks/llm_latency.py [--scenarios 120]     # writes benchmarks/results/llm_latency.json
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_NUM_THREADS", "1")

from paydesk.domain.clock import FixedClock
from paydesk.knowledge.retrieval import default_help_centre
from paydesk.llm.client import ChatClient, LLMSettings
from paydesk.llm.knowledge import LLMKnowledge
from paydesk.llm.testing import Scripted, ScriptedLLM
from paydesk.llm.understanding import LLMUnderstanding
from paydesk.policy.model import load_policy
from paydesk.sim.runner import Runner
from paydesk.sim.scenario import load
from paydesk.understanding.engine import EmbeddedUnderstanding
from paydesk.understanding.languages import LANGUAGES

ROOT = Path(__file__).resolve().parent


def reply(body: dict[str, Any]) -> Scripted:
    task = json.loads(body["messages"][1]["content"])["task"]
    if task == "answer":
        return Scripted(content=json.dumps({"known": False, "answer": "", "citations": []}))
    return Scripted(content=json.dumps({"commands": []}))  # valid, and leaves the embedded reading as it is


def timed(runner: Runner, scenarios: list[Any]) -> list[float]:
    times: list[float] = []
    for scenario in scenarios:
        start = time.perf_counter()
        outcome = runner.run(scenario)
        times.append((time.perf_counter() - start) * 1000 / max(1, len(outcome.turns)))
    return times


def figures(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "p50_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[int(len(ordered) * 0.95)], 2),
        "mean_ms": round(statistics.fmean(ordered), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scenarios", type=int, default=120)
    options = parser.parse_args()
    scenarios = load([ROOT.parent / "scenarios"])[: options.scenarios]
    policy, help_centre = load_policy(), default_help_centre()
    base = EmbeddedUnderstanding()
    base.warm_up(LANGUAGES)

    def embedded_for(clock: FixedClock) -> EmbeddedUnderstanding:
        return EmbeddedUnderstanding(base.embedder, base.model, base.anchors, clock)

    embedded = timed(Runner(policy, help_centre, embedded_for), scenarios)
    server = ScriptedLLM(reply)
    with server.running():
        client = ChatClient(LLMSettings(base_url=server.url, model="scripted", retries=0))

        def llm_for(clock: FixedClock) -> LLMUnderstanding:
            return LLMUnderstanding(client, embedded_for(clock))

        llm = timed(Runner(policy, LLMKnowledge(client, help_centre), llm_for), scenarios)
    result = {
        "scenarios": len(scenarios),
        "model_calls": len(server.requests),
        "embedded": figures(embedded),
        "llm_scripted": figures(llm),
        "added_p50_ms": round(figures(llm)["p50_ms"] - figures(embedded)["p50_ms"], 2),
    }
    (ROOT / "results").mkdir(exist_ok=True)
    (ROOT / "results" / "llm_latency.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(
        f"per turn (a scenario's set-up included), {len(scenarios)} scenarios, "
        f"{len(server.requests)} model calls, one core:"
    )
    print(f"  {'':22} {'p50':>9} {'p95':>9} {'mean':>9}")
    for name, key in (("embedded", "embedded"), ("llm (scripted model)", "llm_scripted")):
        f = result[key]
        assert isinstance(f, dict)
        print(f"  {name:22} {f['p50_ms']:>7} ms {f['p95_ms']:>7} ms {f['mean_ms']:>7} ms")


if __name__ == "__main__":
    main()
