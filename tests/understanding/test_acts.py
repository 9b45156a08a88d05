"""Confirmations: only a pure yes affirms."""

from __future__ import annotations

import pytest

from paydesk.understanding.acts import lexical_act
from paydesk.understanding.engine import EmbeddedUnderstanding
from paydesk.understanding.result import Context

ASKED = Context(awaiting="confirm", intent="cancel_order")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("yes", "en"),
        ("Yes!", "en"),
        ("yesss", "en"),
        ("ja", "sv"),
        ("Ja, gör det", "sv"),
        ("はい", "ja"),
        ("نعم", "ar"),
        ("ok", "de"),
        ("👍", "en"),
        ("👍🏽", "ko"),
        ("так", "uk"),
        ("evet", "tr"),
        ("oui", "fr"),
    ],
)
def test_affirmations(text: str, language: str) -> None:
    assert lexical_act(text, language) == "affirm"


@pytest.mark.parametrize(
    ("text", "language"),
    [("no", "en"), ("nej", "sv"), ("nein danke", "de"), ("いいえ", "ja"), ("لا", "ar"), ("👎", "en"), ("nie", "pl")],
)
def test_denials(text: str, language: str) -> None:
    assert lexical_act(text, language) == "deny"


@pytest.mark.parametrize(
    "text",
    [
        "yes, but make it 5000",
        "yes and the other order too",
        "already approved by your colleague",
        "yes 4821-0932",
        "ja men ändra beloppet till 5000 kr",
        "ok so refund me 5000 €",
        "X9F3-KQ2P",
    ],
)
def test_a_yes_with_anything_more_is_not_an_affirmation(engine: EmbeddedUnderstanding, text: str) -> None:
    assert lexical_act(text, "en") is None
    assert engine.understand(text, "en-GB", ASKED).act != "affirm"
