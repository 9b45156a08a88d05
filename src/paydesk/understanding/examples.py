"""The labelled examples the embedded NLU learns from: paydesk's own, natively written in the 36 languages
(`data/intents/<lang>.yaml`), and the training parts of public English corpora (`data/corpora/`, see its README)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from paydesk.domain import yamltext
from paydesk.understanding.languages import LANGUAGES

DATA = Path(__file__).parent / "data"
INTENT_FILES = DATA / "intents"
MORE_FILES = DATA / "intents_more"
CORPORA = DATA / "corpora"

INTENTS: tuple[str, ...] = (
    "refund_status",
    "request_refund",
    "return_item",
    "cancel_order",
    "payment_problem",
    "unrecognized_charge",
    "dispute",
    "invoice_error",
    "payment_schedule",
    "extend_due_date",
    "pay_now",
    "change_payment_method",
    "faq",
    "talk_to_human",
    "greeting",
    "goodbye",
    "out_of_scope",
)
# Handoff reasons learnt as their own labels; understood as talk_to_human with that reason.
SUB_LABELS: tuple[str, ...] = ("hardship", "complaint")
REASONS: tuple[str, ...] = (
    "wrong_size",
    "changed_mind",
    "faulty",
    "wrong_item",
    "not_as_described",
    "not_received",
    "refund_not_received",
    "cancelled_but_charged",
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Acts(_Strict):
    affirm: list[str] = Field(min_length=8)
    deny: list[str] = Field(min_length=8)
    restart: list[str] = Field(min_length=3)


class Frustration(_Strict):
    angry: list[str] = Field(min_length=4)
    calm: list[str] = Field(min_length=4)


class LanguageData(_Strict):
    """One language's file: intent examples, handoff sub-labels, dialogue acts, frustration anchors, reason words."""

    language: str
    intents: dict[str, list[str]]
    sub: dict[str, list[str]]
    acts: Acts
    frustration: Frustration
    reasons: dict[str, list[str]]


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    label: str
    language: str
    source: str


@cache
def language_data(language: str) -> LanguageData:
    path = INTENT_FILES / f"{language}.yaml"
    return LanguageData.model_validate(yamltext.parse(path.read_text(encoding="utf-8")))


class MoreData(_Strict):
    language: str
    intents: dict[str, list[str]]


@cache
def more_data(language: str) -> MoreData | None:
    """The further examples of a language (`intents_more/<lang>.yaml`, `<lang>.2.yaml`...), merged."""
    paths = sorted(MORE_FILES.glob(f"{language}.yaml")) + sorted(MORE_FILES.glob(f"{language}.*.yaml"))
    if not paths:
        return None
    merged: dict[str, list[str]] = {}
    for path in paths:
        part = MoreData.model_validate(yamltext.parse(path.read_text(encoding="utf-8")))
        for intent, texts in part.intents.items():
            merged.setdefault(intent, []).extend(texts)
    return MoreData(language=language, intents=merged)


def own_examples() -> list[Example]:
    """paydesk's natively written examples of the 17 intents and the two sub-labels, all languages."""
    result = []
    for lang in LANGUAGES:
        data = language_data(lang)
        more = more_data(lang)
        groups = [*data.intents.items(), *data.sub.items(), *(more.intents.items() if more else [])]
        for label, texts in groups:
            result += [Example(t, label, lang, "paydesk") for t in texts]
    return result


def corpus_examples() -> list[Example]:
    """The training parts of Banking77, CLINC150 and xSID relabelled to paydesk's intents (data/corpora/)."""
    result = []
    for path in sorted(CORPORA.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            result.append(Example(row["text"], row["intent"], row["language"], row["source"]))
    return result


def training_examples() -> list[Example]:
    return own_examples() + corpus_examples()


def language_texts(languages: list[str]) -> dict[str, list[str]]:
    """Every text of the NLU data in each language, for the n-gram language model."""
    result: dict[str, list[str]] = {}
    for lang in languages:
        data = language_data(lang)
        more = more_data(lang)
        groups = (data.intents, data.sub, data.reasons, more.intents if more else {})
        texts = [t for group in groups for items in group.values() for t in items]
        texts += data.acts.affirm + data.acts.deny + data.frustration.angry + data.frustration.calm
        result[lang] = texts
    # xSID's training part: everyday commands in 11 languages. Not its Norwegian, which is largely dialect and
    # shares sentences with its Danish.
    for example in corpus_examples():
        if example.source == "xsid" and example.language in result and example.language != "nb":
            result[example.language].append(example.text)
    return result
