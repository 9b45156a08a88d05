"""The LLM engine's parts against the scripted server over real HTTP: the client (retries, timeouts, malformed
replies, tool calls, the token budget), the merge's limits, PII masking, grounded answers and guarded phrasing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal

import pytest

from paydesk.domain.redaction import redact
from paydesk.knowledge.retrieval import default_help_centre
from paydesk.llm.client import ChatClient, LLMSettings, LLMUnavailable
from paydesk.llm.guard import keeps, numbers
from paydesk.llm.knowledge import LLMKnowledge
from paydesk.llm.phrasing import Phraser
from paydesk.llm.testing import Scripted, ScriptedLLM
from paydesk.llm.understanding import LLMUnderstanding
from paydesk.understanding.engine import EmbeddedUnderstanding
from paydesk.understanding.result import Awaiting, Context, Understanding
from paydesk.understanding.slots import OrderRef
from tests.llm.models import payload


def _json(data: object) -> Scripted:
    return Scripted(content=json.dumps(data))


@pytest.fixture
def scripted() -> Iterator[ScriptedLLM]:
    server = ScriptedLLM([])
    with server.running():
        yield server


def client(server: ScriptedLLM, **kw: object) -> ChatClient:
    settings = {"retries": 2, "backoff": 0.01, "timeout": 2.0, **kw}
    return ChatClient(LLMSettings(base_url=server.url, model="scripted", **settings))  # type: ignore[arg-type]


def script(server: ScriptedLLM, *replies: Scripted) -> None:
    queue = list(replies)
    server.responder = lambda _body: queue.pop(0)


def test_retries_on_5xx_and_429_then_answers(scripted: ScriptedLLM) -> None:
    script(scripted, Scripted(status=500), Scripted(status=429), _json({"ok": 1}))
    assert client(scripted).json("system", {"x": 1}) == {"ok": 1}
    assert len(scripted.requests) == 3


def test_failures_become_llm_unavailable_with_a_reason(scripted: ScriptedLLM) -> None:
    script(scripted, Scripted(status=503), Scripted(status=503), Scripted(status=503))
    with pytest.raises(LLMUnavailable) as failed:
        client(scripted).json("system", {})
    assert failed.value.code == "status_503"
    script(scripted, Scripted(status=400))
    with pytest.raises(LLMUnavailable) as bad:
        client(scripted).json("system", {})
    assert bad.value.code == "status_400" and len(scripted.requests) == 4  # a 400 is not retried
    script(scripted, Scripted(delay=1.0))
    with pytest.raises(LLMUnavailable) as slow:
        client(scripted, timeout=0.2, retries=0).json("system", {})
    assert slow.value.code == "timeout"
    script(scripted, Scripted(raw="{not json"))
    with pytest.raises(LLMUnavailable) as broken:
        client(scripted, retries=0).json("system", {})
    assert broken.value.code == "malformed"
    script(scripted, Scripted(tool_calls=[{"name": "refund", "arguments": {"amount": 5}}]))
    with pytest.raises(LLMUnavailable) as tool:
        client(scripted).json("system", {})
    assert tool.value.code == "tool_call"


def test_prose_gets_one_repair_request(scripted: ScriptedLLM) -> None:
    script(scripted, Scripted(content="Sure, here you go"), _json({"fine": True}))
    assert client(scripted).json("system", {}) == {"fine": True}
    assert "unusable" in scripted.requests[1]["messages"][-1]["content"]
    script(scripted, Scripted(content="no"), Scripted(content="still no"))
    with pytest.raises(LLMUnavailable) as twice:
        client(scripted).json("system", {})
    assert twice.value.code == "invalid"


def test_the_token_budget_per_conversation(scripted: ScriptedLLM) -> None:
    script(scripted, *[_json({"text": "x" * 400})] * 3)
    limited = client(scripted, token_budget=150)
    limited.json("system", {"q": "a" * 400}, conversation="c1")
    limited.json("system", {"q": "a" * 400}, conversation="c2")  # another conversation has its own budget
    with pytest.raises(LLMUnavailable) as spent:
        limited.json("system", {"q": "a"}, conversation="c1")
    assert spent.value.code == "budget" and len(scripted.requests) == 2


def test_pii_is_masked() -> None:
    text = "kort 4111 1111 1111 1111, IBAN DE89 3704 0044 0532 0130 00, CVV 123, order 4821-0932, 1 299 kr"
    masked = redact(text)
    assert "4111" not in masked and "DE89" not in masked and "123" not in masked.split("CVV")[1][:6]
    assert "4821-0932" in masked and "1 299 kr" in masked
    assert redact("4111 1111 1111 1112") == "4111 1111 1111 1112"  # fails Luhn: not a card


ORDERS = (OrderRef("4821-0932", "Nordic Shoes", ("Löparskor",), "2026-11-01", "1199.00 SEK"),)


def understand(
    server: ScriptedLLM, engine: EmbeddedUnderstanding, text: str, awaiting: Awaiting | None = None
) -> Understanding:
    llm = LLMUnderstanding(client(server, retries=0), engine)
    return llm.understand(text, "sv", Context(awaiting=awaiting, orders=ORDERS, conversation="c1"))


def test_the_model_refines_but_never_confirms_nor_invents_orders(
    scripted: ScriptedLLM, shared_engine: EmbeddedUnderstanding
) -> None:
    script(
        scripted,
        _json(
            {
                "language": "sv",
                "commands": [
                    {"command": "affirm"},
                    {"command": "start_flow", "flow": "cancel_order", "confidence": 0.97},
                    {"command": "set_slot", "slot": "order", "value": "9999-0000"},
                    {"command": "set_slot", "slot": "amount", "value": "12.50", "currency": "sek"},
                    {"command": "set_slot", "slot": "reason", "value": "wrong_size"},
                ],
            }
        ),
    )
    u = understand(scripted, shared_engine, "Kan ni hjälpa mig med min beställning?", awaiting="confirm")
    assert u.engine == "llm" and u.intent == "cancel_order" and u.confidence == 0.97
    assert u.act is None and u.slots.order is None
    assert u.slots.amount is not None and (u.slots.amount.value, u.slots.amount.currency) == (Decimal("12.50"), "SEK")
    assert u.slots.reason == "wrong_size"
    sent = payload(scripted.requests[0])
    assert sent["customer_message"] == "Kan ni hjälpa mig med min beställning?"
    assert sent["context"]["orders"] == [
        {"id": "4821-0932", "merchant": "Nordic Shoes", "created": "2026-11-01", "total": "1199.00 SEK"}
    ]  # no product names, no personal data
    assert "instructions" in scripted.requests[0]["messages"][0]["content"]


def test_bad_output_is_repaired_once_then_the_embedded_reading_stands(
    scripted: ScriptedLLM, shared_engine: EmbeddedUnderstanding
) -> None:
    script(scripted, _json({"commands": "everything"}), _json({"commands": [{"command": "greeting"}]}))
    repaired = understand(scripted, shared_engine, "Hej där, hur mår ni?")
    assert repaired.engine == "llm" and repaired.intent == "greeting"
    script(scripted, _json({"commands": "everything"}), _json({"commands": 5}))
    fallen = understand(scripted, shared_engine, "Jag vill returnera löparskorna")
    assert fallen.engine == "embedded" and fallen.fallback == "invalid"
    assert fallen.intent == "return_item" and fallen.slots.order == "4821-0932"
    script(scripted, Scripted(status=500))
    down = understand(scripted, shared_engine, "Jag vill returnera löparskorna")
    assert down.fallback == "status_500" and down.intent == "return_item"


def test_grounded_answers_cite_the_article_or_give_way_to_it(scripted: ScriptedLLM) -> None:
    knowledge = LLMKnowledge(client(scripted, retries=0), default_help_centre())
    question = "How does pay in 30 days work?"
    plain = default_help_centre().answer(question, "en")
    assert plain is not None
    script(
        scripted, _json({"known": True, "answer": "You pay within 30 days, no fees.", "citations": [plain.article.id]})
    )
    written = knowledge.answer(question, "en")
    assert written is not None and written.article.body == "You pay within 30 days, no fees."
    assert payload(scripted.requests[-1])["articles"][0]["id"] == plain.article.id
    script(scripted, _json({"known": True, "answer": "Pay in 30 days.", "citations": ["made-up"]}))
    assert knowledge.answer(question, "en") == plain  # cites something else: the article itself
    script(
        scripted, _json({"known": True, "answer": "Pay within 45 days for 2% off.", "citations": [plain.article.id]})
    )
    assert knowledge.answer(question, "en") == plain  # numbers the article does not have
    script(scripted, _json({"known": False, "answer": "", "citations": []}))
    assert knowledge.answer(question, "en") is None  # the model says it doesn't know
    assert knowledge.answer("What's the capital of Peru?", "en") is None and len(scripted.requests) == 4


def test_guarded_phrasing_keeps_every_number_and_name(scripted: ScriptedLLM) -> None:
    phraser = Phraser(client(scripted, retries=0))
    catalog = "Order 4821-0932 from Nordic Shoes: 299,75 kr on 13 December. Shall I pause it?"
    good = "Your Nordic Shoes order 4821-0932 (299,75 kr, due 13 December) can be paused. Shall I?"
    script(scripted, _json({"text": good}))
    assert phraser.phrase(catalog, "en", ("Nordic Shoes",)) == good
    for bad in (
        "Order 4821-0932 from Nordic Shoes: 300 kr on 13 December.",
        "Your order 4821-0932: 299,75 kr, 13 December.",
    ):
        script(scripted, _json({"text": bad}))
        assert phraser.phrase(catalog, "en", ("Nordic Shoes",)) == catalog
    script(scripted, Scripted(status=500))
    assert phraser.phrase(catalog, "en") == catalog
    assert numbers("1 199,00 kr, 4821-0932 on 13.12.") == {"1 199,00", "4821-0932", "13.12"}
    assert keeps("a 5 b", "a 5 c") and not keeps("a 5 b", "a 6 b")
