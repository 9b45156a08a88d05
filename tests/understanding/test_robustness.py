"""Hostile or odd input never crashes and never pretends to understand."""

from __future__ import annotations

import pytest

from paydesk.understanding.engine import EmbeddedUnderstanding
from paydesk.understanding.languages import LANGUAGES


@pytest.mark.parametrize(
    "text",
    ["", "   ", "\n\t\n", "😀😀😀", "🙈🙉🙊🔥", "\x00\x01\x02\x7f", "\ufeff\u200b\u200d", "??!!..", "1234567890"],
)
def test_wordless_input_is_short_and_out_of_scope(engine: EmbeddedUnderstanding, text: str) -> None:
    result = engine.understand(text, "sv-SE")
    assert result.short and result.intent == "out_of_scope" and result.language == "sv"


def test_binary_garbage(engine: EmbeddedUnderstanding) -> None:
    garbage = bytes(range(256)).decode("latin-1") * 20
    result = engine.understand(garbage)
    assert result.language in LANGUAGES and 0.0 <= result.confidence <= 1.0


def test_50000_characters(engine: EmbeddedUnderstanding) -> None:
    text = "I want to return my shoes because they are too small. " * 930
    assert len(text) > 50_000
    result = engine.understand(text, "en-GB")
    assert result.intent == "return_item" and result.language == "en"


def test_mixed_language_and_injection(engine: EmbeddedUnderstanding) -> None:
    result = engine.understand("Hej! I want to cancel min order, tack", "sv-SE")
    assert result.intent == "cancel_order"
    sql = engine.understand("'; DROP TABLE orders; -- <script>alert(1)</script>", "en-GB")
    assert sql.language == "en" and sql.act is None  # whatever it is taken for, it is no confirmation


def test_batch_equals_one_by_one(engine: EmbeddedUnderstanding) -> None:
    texts = ["Where is my refund?", "ja", "", "Ich möchte mit einem Menschen sprechen", "🙂"]
    batch = engine.understand_many([(t, "de-DE", None) for t in texts])
    single = [engine.understand(t, "de-DE") for t in texts]
    assert [(b.intent, b.language) for b in batch] == [(s.intent, s.language) for s in single]
