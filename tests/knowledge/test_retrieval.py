"""The help centre: cross-language retrieval, answers in the customer's language, no guessing."""

from __future__ import annotations

import pytest

from paydesk.knowledge.articles import articles_of
from paydesk.knowledge.retrieval import HelpCentre, default_help_centre
from paydesk.understanding.languages import LANGUAGES


@pytest.fixture(scope="module")
def centre() -> HelpCentre:
    return default_help_centre()


def test_every_language_has_every_article() -> None:
    ids = [a.id for a in articles_of("en")]
    assert len(ids) >= 20
    for lang in LANGUAGES:
        assert [a.id for a in articles_of(lang)] == ids, lang


@pytest.mark.parametrize(
    ("question", "language", "article"),
    [
        ("How does pay in 4 work?", "en", "pay-in-4"),
        ("How does pay in 4 work?", "sv", "pay-in-4"),
        ("Does returning something pause my payments?", "de", "returns-pause-payments"),
        ("Hur lång tid tar det att få tillbaka pengarna?", "sv", "refund-timing"),
        ("¿Puedo cambiar la tarjeta con la que pago?", "es", "change-payment-method"),
        ("返品すると支払いはどうなりますか？", "ja", "returns-pause-payments"),
        ("كيف أحمي نفسي من الاحتيال والتصيد؟", "ar", "security-and-fraud"),
    ],
)
def test_questions_find_their_article_in_the_customers_language(
    centre: HelpCentre, question: str, language: str, article: str
) -> None:
    answer = centre.answer(question, language)
    assert answer is not None and answer.article.id == article
    assert answer.language == language
    assert answer.article.body == next(a.body for a in articles_of(language) if a.id == article)


@pytest.mark.parametrize(
    "question",
    ["What is the capital of Australia?", "Write me a poem about cats", "Who won the football match yesterday?"],
)
def test_no_good_match_says_so(centre: HelpCentre, question: str) -> None:
    assert centre.answer(question, "en") is None


def test_an_article_is_found_from_another_language(centre: HelpCentre) -> None:
    """Each English question, with the English texts left out of the index, still finds its article."""
    import numpy as np

    questions = [(a.id, q) for a in articles_of("en") for q in a.questions[:2]]
    vectors = centre.embedder.embed([q for _, q in questions])
    hits = [
        centre.ranked(v, exclude_language="en")[0][0] == ident for (ident, _), v in zip(questions, vectors, strict=True)
    ]
    assert float(np.mean(hits)) >= 0.9
