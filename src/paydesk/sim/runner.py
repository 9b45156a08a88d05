"""The scenario runner: each scenario on a fresh in-memory store with its own ledger and clock; the assistant is
answered from `answers` by the slot it awaits; the end state is checked against `expect`."""

from __future__ import annotations

import json
import re
import traceback
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from paydesk.dialogue.context import DialogueContext, Knowledge
from paydesk.dialogue.manager import DialogueManager
from paydesk.dialogue.turn import Turn
from paydesk.domain.clock import FixedClock
from paydesk.domain.errors import DeveloperError
from paydesk.policy.model import Policy
from paydesk.sim.matching import holds, without_cases
from paydesk.sim.scenario import Scenario, ScenarioError
from paydesk.store import fixtures
from paydesk.store.database import Store
from paydesk.understanding.engine import EmbeddedUnderstanding
from paydesk.understanding.slots import undisguised

MAX_TURNS = 12


@dataclass
class Outcome:
    scenario: Scenario
    passed: bool
    problems: list[str]
    transcript: list[tuple[str, str]]
    intent: str | None
    customer_messages: int
    turns: list[Turn] = field(default_factory=list)


EngineFactory = Callable[[FixedClock], Any]


class Runner:
    """`engine_for(clock)` gives the understanding engine for one scenario's clock (models shared, loaded once)."""

    def __init__(self, policy: Policy, knowledge: Knowledge, engine_for: EngineFactory | None = None) -> None:
        self.policy = policy
        self.knowledge = knowledge
        if engine_for is None:
            base = EmbeddedUnderstanding()
            engine_for = lambda clock: EmbeddedUnderstanding(base.embedder, base.model, base.anchors, clock)  # noqa: E731
        self.engine_for = engine_for

    def run(self, scenario: Scenario) -> Outcome:
        transcript: list[tuple[str, str]] = []
        problems: list[str] = []
        turns: list[Turn] = []
        customer_messages = 0
        store = Store.memory()
        try:
            with store.write() as ledger:
                try:
                    data = fixtures.parse(scenario.ledger, existing=ledger, now=scenario.now)
                except DeveloperError as exc:
                    raise ScenarioError(f"{scenario.source} (id {scenario.id}) ledger: {exc.message}") from None
                fixtures.write(ledger, data)
                if ledger.customer(scenario.customer) is None:
                    raise ScenarioError(
                        f"{scenario.source} (id {scenario.id}) customer: {scenario.customer!r} is not in the ledger"
                    )
                before = fixtures.export(ledger)
            clock = FixedClock(scenario.now)
            manager = DialogueManager(
                DialogueContext(store, self.policy, clock, self.engine_for(clock), self.knowledge)
            )
            conversation = manager.start(scenario.customer)
            asked: dict[str, int] = defaultdict(int)

            def send(text: str) -> Turn:
                nonlocal customer_messages
                customer_messages += 1
                transcript.append(("customer", text))
                turn = manager.handle(conversation, text)
                turns.append(turn)
                transcript.append(("assistant", _shown(turn)))
                return turn

            turn = None
            for text in scenario.say:
                turn = send(text)
            while turn is not None and turn.awaiting and not turn.ended and not turn.handoff:
                asked[turn.awaiting] += 1
                if asked[turn.awaiting] >= 3 and turn.awaiting != "confirm":
                    problems.append(f"the assistant asked for {turn.awaiting} three times")
                    break
                answer = scenario.answers.get(turn.awaiting)
                if answer is None:
                    problems.append(f"the assistant awaits {turn.awaiting!r} and the scenario has no answer for it")
                    break
                if len(turns) >= MAX_TURNS:
                    break
                turn = send(answer)
            if len(turns) > MAX_TURNS or (turn is not None and turn.awaiting and len(turns) >= MAX_TURNS):
                problems.append(f"more than {MAX_TURNS} assistant turns")
            with store.read() as ledger:
                after = fixtures.export(ledger)
            problems += self._check(scenario, turns, before, after)
        except ScenarioError:
            raise
        except Exception:  # a scenario that crashes the assistant fails; the others go on
            problems.append("exception: " + traceback.format_exc(limit=8))
        finally:
            store.close()
        intent = next(
            (
                t.meta.get("understood_intent")
                for t in turns
                if t.meta.get("understood_intent") not in ("greeting", None)
            ),
            None,
        )
        return Outcome(scenario, not problems, problems, transcript, intent, customer_messages, turns)

    def _check(self, scenario: Scenario, turns: list[Turn], before: dict[str, Any], after: dict[str, Any]) -> list[str]:
        problems = []
        expect = scenario.expect
        for fact in expect.ledger:
            if not holds(fact, after):
                problems.append(f"expected {fact.entity} {json.dumps(fact.fields, default=str)} does not hold")
        for fact in expect.absent:
            if holds(fact, after):
                problems.append(f"found {fact.entity} {json.dumps(fact.fields, default=str)}, expected none")
        if not expect.ledger and without_cases(before) != without_cases(after):
            problems.append("the ledger changed although the scenario expects no change")
        handed = any(t.handoff for t in turns)
        if expect.handoff != "either" and handed != expect.handoff:
            problems.append(f"handoff was {handed}, expected {expect.handoff}")
        problems += _leaks(scenario, turns, before)
        return problems


def _shown(turn: Turn) -> str:
    extra = f"  [options: {', '.join(o.label for o in turn.options)}]" if turn.options else ""
    flags = "".join(f" [{k}]" for k in ("handoff", "ended") if getattr(turn, k))
    actions = "".join(f" [{a.action}: {a.outcome}]" for a in turn.actions)
    return f"{turn.text}{extra} (awaiting {turn.awaiting}){actions}{flags}"


def _normal(text: str) -> str:
    return undisguised(text).casefold()


def _leaks(scenario: Scenario, turns: list[Turn], ledger: dict[str, Any]) -> list[str]:
    """Another customer's full name, email or order id in any reply (even one the customer typed)."""
    others = [c for c in ledger["customers"] if c["id"] != scenario.customer]
    their_orders = {o["id"] for o in ledger["orders"] if o["customer"] != scenario.customer}
    secrets_ = [(c["name"], "name") for c in others] + [(c["email"], "email") for c in others]
    secrets_ += [(oid, "order id") for oid in their_orders]
    problems = []
    for turn in turns:
        shown = _normal(turn.text + " " + " ".join(o.label + " " + o.value for o in turn.options))
        for secret, kind in secrets_:
            if re.search(rf"(?<![\w-]){re.escape(_normal(secret))}(?![\w-])", shown):
                problems.append(f"a reply shows another customer's {kind}")
    return sorted(set(problems))


@dataclass
class Report:
    outcomes: list[Outcome]

    @property
    def passed(self) -> int:
        return sum(o.passed for o in self.outcomes)

    def rate(self, items: list[Outcome]) -> float:
        return round(sum(o.passed for o in items) / len(items), 4) if items else 0.0

    def by(self, key: Callable[[Outcome], str | None]) -> dict[str, dict[str, Any]]:
        groups: dict[str, list[Outcome]] = defaultdict(list)
        for o in self.outcomes:
            groups[key(o) or "-"].append(o)
        return {
            k: {"passed": sum(o.passed for o in v), "total": len(v), "pass_rate": self.rate(v)}
            for k, v in sorted(groups.items())
        }

    def summary(self) -> dict[str, Any]:
        resolved = sorted(
            o.customer_messages for o in self.outcomes if o.passed and not any(t.handoff for t in o.turns)
        )
        median = resolved[len(resolved) // 2] if resolved else None
        return {
            "passed": self.passed,
            "total": len(self.outcomes),
            "pass_rate": self.rate(self.outcomes),
            "by_language": self.by(lambda o: o.scenario.language),
            "by_intent": self.by(lambda o: o.intent),
            "median_customer_messages_resolved": median,
            "failures": [
                {
                    "id": o.scenario.id,
                    "file": o.scenario.source,
                    "problems": o.problems,
                    "transcript": [f"{who}: {text}" for who, text in o.transcript],
                }
                for o in self.outcomes
                if not o.passed
            ],
        }
