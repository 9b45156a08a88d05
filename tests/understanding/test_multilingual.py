"""Natively written messages in all 36 languages (tests/understanding/messages.yaml, not training data)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from paydesk.understanding.engine import EmbeddedUnderstanding
from paydesk.understanding.langid import identify
from paydesk.understanding.languages import LANGUAGES

MESSAGES: dict[str, dict[str, list[str]]] = yaml.safe_load(
    (Path(__file__).parent / "messages.yaml").read_text(encoding="utf-8")
)
INTENT_FAMILIES = ("return_item", "refund_status", "cancel_order", "payment_problem", "talk_to_human", "out_of_scope")
LOCALES = {"en": "en-GB", "nb": "nb-NO", "sv": "sv-SE", "da": "da-DK", "ms": "ms-MY", "id": "id-ID"}


def test_every_language_is_covered() -> None:
    assert list(MESSAGES) == list(LANGUAGES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_intents_and_language_per_language(engine: EmbeddedUnderstanding, language: str) -> None:
    locale = LOCALES.get(language, language)
    items = [(text, family) for family in INTENT_FAMILIES for text in MESSAGES[language][family]]
    results = engine.understand_many([(text, locale, None) for text, _ in items])
    wrong = [(text, family, r.intent) for (text, family), r in zip(items, results, strict=True) if r.intent != family]
    assert len(wrong) <= 1, wrong  # at most one of the twelve
    assert {r.language for r in results} == {language}


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_yes_is_never_taken_for_a_no_nor_the_reverse(engine: EmbeddedUnderstanding, language: str) -> None:
    from paydesk.understanding.result import Context

    asked = Context(awaiting="confirm", intent="return_item")
    for act, other in (("affirm", "deny"), ("deny", "affirm")):
        for text in MESSAGES[language][act]:
            assert engine.understand(text, language, asked).act != other, text


def test_yes_and_no_are_recognised_in_every_language(engine: EmbeddedUnderstanding) -> None:
    """At least 95% of the 144 natively written yes/no replies; an unrecognised one is asked again, never acted on."""
    from paydesk.understanding.result import Context

    asked = Context(awaiting="confirm", intent="return_item")
    items = [(lang, act, t) for lang in LANGUAGES for act in ("affirm", "deny") for t in MESSAGES[lang][act]]
    missed = [(lang, t) for lang, act, t in items if engine.understand(t, lang, asked).act != act]
    assert len(missed) <= 0.05 * len(items), missed


def test_language_without_a_locale() -> None:
    """Full sentences, no locale: at least 97% right (close pairs such as nb/da are the hard part)."""
    items = [(lang, t) for lang in LANGUAGES for f in INTENT_FAMILIES for t in MESSAGES[lang][f]]
    wrong = [(lang, t, identify(t).language) for lang, t in items if identify(t).language != lang]
    assert len(wrong) <= 0.03 * len(items), wrong
