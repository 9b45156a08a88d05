"""Word and letter cues (`data/cues.yaml`): qualifiers and negations for confirmations, word and letter cues for
close language pairs."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from paydesk.domain import yamltext

CUES = Path(__file__).parent / "data" / "cues.yaml"


@dataclass(frozen=True)
class Cues:
    qualifiers: frozenset[str]
    leading_qualifiers: frozenset[str]
    qualifier_marks: tuple[str, ...]
    negations: dict[str, frozenset[str]]
    negation_marks: tuple[str, ...]
    word_cues: dict[str, frozenset[str]]
    letter_cues: dict[str, str]
    method_words: dict[str, tuple[str, ...]]


@cache
def cues() -> Cues:
    data = yamltext.parse(CUES.read_text(encoding="utf-8"))
    return Cues(
        qualifiers=frozenset(data["qualifiers"].split()),
        leading_qualifiers=frozenset(data["leading_qualifiers"].split()),
        qualifier_marks=tuple(data["qualifier_marks"]),
        negations={lang: frozenset(words.split()) for lang, words in data["negations"].items()},
        negation_marks=tuple(data["negation_marks"]),
        word_cues={lang: frozenset(words.split()) for lang, words in data["word_cues"].items()},
        letter_cues={str(k): str(v) for k, v in data["letter_cues"].items()},
        method_words={kind: tuple(words.split()) for kind, words in data["method_words"].items()},
    )
