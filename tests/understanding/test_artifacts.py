"""The committed artifacts were built from the data files as they are now (else: `paydesk models build`)."""

from __future__ import annotations

from paydesk.knowledge.retrieval import index_digest, load_index
from paydesk.understanding.artifacts import stale
from paydesk.understanding.classifier import load_model
from paydesk.understanding.examples import INTENTS, SUB_LABELS, own_examples
from paydesk.understanding.languages import LANGUAGES


def test_artifacts_are_current() -> None:
    assert stale() == []
    assert load_index().digest == index_digest()


def test_the_model_knows_every_intent() -> None:
    assert set(load_model().labels) == set(INTENTS) | set(SUB_LABELS)


def test_at_least_8_examples_per_intent_per_language() -> None:
    counts: dict[tuple[str, str], int] = {}
    for e in own_examples():
        counts[(e.language, e.label)] = counts.get((e.language, e.label), 0) + 1
    assert all(counts.get((lang, intent), 0) >= 8 for lang in LANGUAGES for intent in INTENTS)


def test_held_out_examples_never_reach_training() -> None:
    import re
    import unicodedata
    from pathlib import Path

    import yaml

    def normalised(text: str) -> str:
        return " ".join(re.findall(r"\w+", unicodedata.normalize("NFKC", text).casefold()))

    held = [
        t
        for path in (Path(__file__).parents[2] / "benchmarks/data/heldout").glob("*.yaml")
        for texts in yaml.safe_load(path.read_text(encoding="utf-8"))["intents"].values()
        for t in texts
    ]
    assert len(held) == 36 * 17 * 4
    assert not {normalised(t) for t in held} & {normalised(e.text) for e in own_examples()}
