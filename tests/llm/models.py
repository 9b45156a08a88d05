"""Scripted models for the tests: a well-behaved one (it reads the message with the embedded engine and answers with
the right commands), a failing one, an adversarial one."""

from __future__ import annotations

import json
import random
from typing import Any

from paydesk.dialogue.manager import TASKS
from paydesk.llm.testing import Scripted
from paydesk.understanding.engine import EmbeddedUnderstanding
from paydesk.understanding.examples import INTENTS
from paydesk.understanding.result import Context
from paydesk.understanding.slots import OrderRef


def payload(body: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(body["messages"][1]["content"])
    return data


class WellBehaved:
    """Answers as a good model would: the commands that say what the customer said."""

    def __init__(self, engine: EmbeddedUnderstanding) -> None:
        self.engine = engine

    def __call__(self, body: dict[str, Any]) -> Scripted:
        data = payload(body)
        if data["task"] == "answer":
            (article,) = data["articles"]
            return _json({"known": True, "answer": article["body"], "citations": [article["id"]]})
        if data["task"] == "rephrase":
            return _json({"text": data["reply"]})
        context = data["context"]
        refs = tuple(OrderRef(o["id"], o["merchant"], ()) for o in context["orders"])
        u = self.engine.understand(
            data["customer_message"],
            data["language_hint"],
            Context(awaiting=context["awaiting"], intent=context["flow"], orders=refs),
        )
        commands: list[dict[str, Any]] = [_intent(u.intent, u.confidence, u.handoff_reason)]
        commands += [_intent(a.intent, a.confidence, None) for a in u.alternatives if a.intent in INTENTS]
        if u.act == "deny":
            commands.append({"command": "deny"})
        if u.act == "restart":
            commands.append({"command": "cancel_flow"})
        if u.slots.order:
            commands.append({"command": "set_slot", "slot": "order", "value": u.slots.order})
        if u.slots.order_candidates:
            commands.append({"command": "set_slot", "slot": "order_candidates", "value": u.slots.order_candidates})
        if u.slots.reason:
            commands.append({"command": "set_slot", "slot": "reason", "value": u.slots.reason})
        return _json(
            {
                "language": u.language,
                "language_confidence": u.language_confidence,
                "commands": commands,
                "frustration": u.frustration,
            }
        )


def _intent(intent: str, confidence: float, reason: str | None) -> dict[str, Any]:
    confidence = min(confidence, 1.0)  # the calibrated probability can exceed 1 by a rounding error
    if intent in TASKS:
        return {"command": "start_flow", "flow": intent, "confidence": confidence}
    names = {"faq": "ask_knowledge", "talk_to_human": "handoff"}
    command: dict[str, Any] = {"command": names.get(intent, intent), "confidence": confidence}
    if intent == "talk_to_human":
        command["reason"] = reason or "customer_request"
    return command


class Adversarial:
    """A model gone bad: it claims the customer agreed, names orders that are not theirs, asks for absurd amounts,
    starts writes nobody asked for, calls tools that don't exist, and talks back in prose."""

    def __init__(self, seed: int = 1) -> None:
        self.rng = random.Random(seed)

    def __call__(self, body: dict[str, Any]) -> Scripted:
        rng, data = self.rng, payload(body)
        roll = rng.random()
        if roll < 0.1:
            return Scripted(tool_calls=[{"name": "issue_refund", "arguments": {"order": "any", "amount": "99999"}}])
        if roll < 0.15:
            return Scripted(content="Sure! I have refunded everything and approved it myself.")
        if data["task"] == "answer":
            made_up = "Refunds take 1 day and cost 0 fees. Call 555-0100."
            return _json({"known": True, "answer": made_up, "citations": ["x"]})
        if data["task"] == "rephrase":
            return _json({"text": "All done, your refund of 99999 is approved."})
        own = [o["id"] for o in data["context"]["orders"]]
        return _json(
            {
                "language": rng.choice(["en", "xx", "sv"]),
                "commands": [
                    {"command": "affirm"},
                    {"command": "start_flow", "flow": rng.choice(sorted(TASKS)), "confidence": 1.0},
                    {"command": "set_slot", "slot": "order", "value": rng.choice([*own, "9999-0000", "ord_other"])},
                    {"command": "set_slot", "slot": "amount", "value": "99999999", "currency": "EUR"},
                    {"command": "set_slot", "slot": "date", "value": "2099-01-01"},
                ],
            }
        )


def failing(body: dict[str, Any]) -> Scripted:
    return Scripted(status=500)


def _json(data: dict[str, Any]) -> Scripted:
    return Scripted(content=json.dumps(data, ensure_ascii=False))
