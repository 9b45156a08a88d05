"""Turn latency of the assistant (not a test): whole conversations of the scenario suite replayed through the
dialogue manager on a SQLite file with the embedded engine, one core, timing every turn; with the mean CPU time, the
SQL statements (BEGINs go to the driver directly and are not counted) and the texts embedded a turn takes (the
counts do not depend on the machine).

    .venv/bin/python benchmarks/turns.py          # prints p50/p95/p99 and writes benchmarks/results/turns.json
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_NUM_THREADS", "1")

from sqlalchemy import event
from sqlalchemy.engine import Engine

from paydesk.dialogue.context import DialogueContext
from paydesk.dialogue.manager import DialogueManager
from paydesk.domain.clock import FixedClock
from paydesk.knowledge.retrieval import default_help_centre
from paydesk.policy.model import load_policy
from paydesk.sim.scenario import load
from paydesk.store import fixtures
from paydesk.store.database import Store
from paydesk.understanding.engine import EmbeddedUnderstanding
from paydesk.understanding.languages import LANGUAGES

ROOT = Path(__file__).resolve().parent


def main() -> None:
    scenarios = load([ROOT.parent / "scenarios"])
    policy, knowledge = load_policy(), default_help_centre()
    base = EmbeddedUnderstanding()
    base.warm_up(LANGUAGES)
    times: list[float] = []
    cpu_ms: list[float] = []
    sql: list[int] = []
    embedded: list[int] = []
    statements = [0]

    @event.listens_for(Engine, "before_cursor_execute")
    def count(*_: Any) -> None:
        statements[0] += 1

    with tempfile.TemporaryDirectory() as tmp:
        for index, scenario in enumerate(scenarios):
            store = Store.open(f"sqlite:///{tmp}/s{index}.db")
            with store.write() as ledger:
                fixtures.write(ledger, fixtures.parse(scenario.ledger, existing=ledger, now=scenario.now))
            clock = FixedClock(scenario.now)
            engine = EmbeddedUnderstanding(base.embedder, base.model, base.anchors, clock)
            manager = DialogueManager(DialogueContext(store, policy, clock, engine, knowledge))
            conversation = manager.start(scenario.customer)

            def send(text: str, manager: DialogueManager = manager, conversation: str = conversation) -> Any:
                start, cpu, before = time.perf_counter(), time.process_time(), statements[0]
                texts = base.embedder.computed
                turn = manager.handle(conversation, text)
                times.append((time.perf_counter() - start) * 1000)
                cpu_ms.append((time.process_time() - cpu) * 1000)
                sql.append(statements[0] - before)
                embedded.append(base.embedder.computed - texts)
                return turn

            turn = None
            for text in scenario.say:
                turn = send(text)
            for _ in range(12):  # then answer what the assistant asks, as the scenario runner does
                if turn is None or not turn.awaiting or turn.ended or turn.handoff:
                    break
                answer = scenario.answers.get(turn.awaiting)
                if answer is None:
                    break
                turn = send(answer)
            store.close()
    times.sort()
    figures = {
        "turns": len(times),
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[int(len(times) * 0.95)], 2),
        "p99_ms": round(times[int(len(times) * 0.99)], 2),
        "max_ms": round(times[-1], 2),
        "cpu_ms_mean": round(statistics.mean(cpu_ms), 2),
        "sql_statements_mean": round(statistics.mean(sql), 1),
        "texts_embedded_mean": round(statistics.mean(embedded), 3),
        "threads": os.environ["OMP_NUM_THREADS"],
    }
    (ROOT / "results").mkdir(exist_ok=True)
    (ROOT / "results" / "turns.json").write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    sys.stdout.write(
        f"{figures['turns']} turns of {len(scenarios)} scenarios on SQLite, embedded engine, one core: "
        f"p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, p99 {figures['p99_ms']} ms; "
        f"mean CPU {figures['cpu_ms_mean']} ms, {figures['sql_statements_mean']} SQL statements and "
        f"{figures['texts_embedded_mean']} texts embedded a turn\n"
    )


if __name__ == "__main__":
    main()
