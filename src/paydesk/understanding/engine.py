"""The embedded understanding engine: offline, no API key. One embedding per message (none on the fast paths),
batched across messages understood together; a reason may take its clauses' embeddings."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
from numpy.typing import NDArray

from paydesk.domain.clock import Clock, SystemClock
from paydesk.understanding import slots as slot_rules
from paydesk.understanding.acts import lexical_act
from paydesk.understanding.artifacts import Anchors, load_anchors
from paydesk.understanding.classifier import IntentModel, decide, load_model
from paydesk.understanding.embedder import Embedder, default_embedder
from paydesk.understanding.langid import LanguageGuess, identify
from paydesk.understanding.result import Alternative, Context, Understanding

ZERO_WIDTH = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
FILLER_SLOTS = ("order", "amount", "date", "payment_method", "charge", "items")
# Intents with a reason slot: the lexical fast path takes them when the reason needs no embedding of the whole
# message (a reason phrase of the language in it, or short clauses to hold against the reason anchors).
REASONED = frozenset({"return_item", "dispute"})
REASON_MIN_SIMILARITY = 0.90  # a clause of a longer message
REASON_ANSWER_SIMILARITY = 0.85  # a short answer to "why?"
GIBBERISH = -7.95  # mean log-likelihood per character gram below which letters are keyboard mash, not language
# (every held-out message of the alphabetic languages scores above -7.85; mash like "asdfgh qwerty" about -8 to -9).
# Chinese, Japanese and Korean score low anyway (many characters), so mash is not judged there.
MAX_INPUT = 50_000
CLAUSE = re.compile(r"[,.;:!?،。、！？\n]+")


def clean(text: str) -> str:
    """NFKC, no zero-width or bidi control characters, no control bytes; at most 50,000 characters."""
    text = ZERO_WIDTH.sub("", unicodedata.normalize("NFKC", text[:MAX_INPUT]))
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C").strip()


def has_words(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


@dataclass(frozen=True)
class _Pending:
    text: str
    locale: str | None
    context: Context


class EmbeddedUnderstanding:
    """`understand` one message or `understand_many` at once (one batched embedding call)."""

    name = "embedded"

    def __init__(
        self,
        embedder: Embedder | None = None,
        model: IntentModel | None = None,
        anchors: Anchors | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.embedder = embedder or default_embedder()
        self.model = model or load_model()
        self.anchors = anchors or load_anchors()
        self.clock: Clock = clock or SystemClock()

    def warm_up(self, languages: Sequence[str] = ()) -> None:
        """Load what the first message of each language would otherwise load (dateparser's and Babel's data)."""
        relative = {lang: sorted(slot_rules.date_words(lang)[0])[:1] for lang in languages}
        for language in languages:
            # "x24" (letters and digits in one word, like "Home24") makes dateparser compile the language's word
            # patterns now, not on the first such message (tests/understanding/test_slots.py).
            sample = f"x24 15 12 2030 {' '.join(relative[language])} 1 299,00 kr 1.234,50 € 120 лв. $5"
            slot_rules.find_date(sample, language, self.clock.now())
            slot_rules.amount(sample, language)
        self.understand("warm up")

    def understand(self, text: str, locale: str | None = None, context: Context | None = None) -> Understanding:
        return self.understand_many([(text, locale, context)])[0]

    def understand_many(self, items: Sequence[tuple[str, str | None, Context | None]]) -> list[Understanding]:
        pending = [_Pending(clean(t), loc, ctx or Context()) for t, loc, ctx in items]
        guesses = [identify(p.text, p.locale) for p in pending]
        results: list[Understanding | None] = [self._fast(p, g) for p, g in zip(pending, guesses, strict=True)]
        rest = [i for i, r in enumerate(results) if r is None]
        features = dict(zip(rest, self.model.features([pending[i].text for i in rest]), strict=True))
        if rest:
            lexical = self.model.lexical([pending[i].text for i in rest], [features[i] for i in rest])
            for row, i in enumerate(rest):
                results[i] = self._lexical(pending[i], guesses[i], lexical[row])
        todo = [i for i, r in enumerate(results) if r is None]
        if todo:
            vectors = self.embedder.embed([pending[i].text for i in todo])
            probs = self.model.probabilities(vectors, [pending[i].text for i in todo], [features[i] for i in todo])
            for row, i in enumerate(todo):
                results[i] = self._full(pending[i], guesses[i], vectors[row], probs[row])
        return [r for r in results if r is not None]

    def _fast(self, p: _Pending, guess: LanguageGuess) -> Understanding | None:
        """No model at all for empty or wordless input, a yes/no to a question, or a bare slot value asked for."""
        base = {"language": guess.language, "language_confidence": guess.confidence}
        act = lexical_act(p.text, guess.language)
        if not has_words(p.text) or _gibberish(p.text, guess.language, act):
            filled = self._slots(p, guess.language, "out_of_scope") if p.text else slot_rules.Slots()
            intent = p.context.intent if (act or _any(filled)) and p.context.intent else "out_of_scope"
            return Understanding(
                **base,
                intent=intent,
                confidence=0.0 if intent == "out_of_scope" else 1.0,
                slots=filled,
                act=act,
                short=True,
                embedded=False,
            )
        if act is not None and p.context.awaiting is not None:
            intent = p.context.intent or "out_of_scope"
            filled = self._slots(p, guess.language, intent)  # "no, the winter jacket" names an order
            return Understanding(**base, intent=intent, confidence=1.0, act=act, slots=filled, embedded=False)
        if p.context.awaiting in FILLER_SLOTS and len(p.text.split()) <= 4 and p.context.intent:
            filled = self._slots(p, guess.language, p.context.intent)
            if _fills(filled, p.context.awaiting):
                return Understanding(**base, intent=p.context.intent, confidence=1.0, slots=filled, embedded=False)
        return None

    def _lexical(self, p: _Pending, guess: LanguageGuess, probs: NDArray[np.float32]) -> Understanding | None:
        """The n-gram model alone, when it is sure enough and the intent needs nothing from the message's embedding:
        a return or a dispute only when its reason is a phrase in it, or lies in its clauses (a short message is
        itself the answer to "why?", held against the reason anchors by its embedding: it takes the full path)."""
        scores = decide(self.model, probs)
        intent, confidence = scores.ranked[0]
        if confidence < self.model.fast_threshold or p.context.awaiting == "reason":
            return None
        reason = None
        if intent in REASONED:
            reason = _phrase_reason(p.text, guess.language)
            if reason is None and _short(p.text):
                return None
            reason = reason or self._clause_reason(p.text)
        return Understanding(
            language=guess.language,
            language_confidence=guess.confidence,
            intent=intent,
            confidence=float(confidence),
            slots=self._slots(p, guess.language, intent, reason),
            alternatives=[Alternative(intent=i, confidence=float(c)) for i, c in scores.ranked[1:4]],
            act=lexical_act(p.text, guess.language),
            handoff_reason=scores.sublabel,
            frustration=_cue_frustration(p.text),
            embedded=False,
        )

    def _full(
        self, p: _Pending, guess: LanguageGuess, vector: NDArray[np.float32], probs: NDArray[np.float32]
    ) -> Understanding:
        scores = decide(self.model, probs)
        intent, confidence = scores.ranked[0]
        act = lexical_act(p.text, guess.language)
        return Understanding(
            language=guess.language,
            language_confidence=guess.confidence,
            intent=intent,
            confidence=float(confidence),
            slots=self._slots(p, guess.language, intent, self._reason(p, guess.language, intent, vector)),
            alternatives=[Alternative(intent=i, confidence=float(c)) for i, c in scores.ranked[1:4]],
            act=act,
            handoff_reason=scores.sublabel,
            frustration=self._frustration(p.text, vector),
        )

    def _slots(self, p: _Pending, language: str, intent: str, reason: str | None = None) -> slot_rules.Slots:
        text, ctx = p.text, p.context
        order: str | None = None
        candidates: list[str] = []
        if ctx.orders:
            order, candidates = slot_rules.match_orders(text, ctx.orders)
        else:
            ids = slot_rules.order_ids(text)
            order = ids[0] if len(ids) == 1 else None
            candidates = ids if len(ids) > 1 else []
        prefer = ctx.date_preference or ("future" if intent in ("extend_due_date", "pay_now") else "past")
        return slot_rules.Slots(
            order=order,
            order_candidates=candidates,
            amount=slot_rules.amount(text, language, bare_number_ok=ctx.awaiting == "amount"),
            date=slot_rules.find_date(text, language, self.clock.now(), prefer)
            if len(text) <= 500 and slot_rules.may_hold_date(text, language)
            else None,
            reason=reason,
            email=slot_rules.email(text),
        )

    def _reason(self, p: _Pending, language: str, intent: str, vector: NDArray[np.float32]) -> str | None:
        """For a return or a dispute, or an answer to "why?": a reason phrase of the language inside the message
        ("...never arrived..."), else, for a short message, the nearest reason anchor of any language to it, else
        to its short clauses."""
        if intent not in REASONED and p.context.awaiting != "reason":
            return None
        found = _phrase_reason(p.text, language)
        if found is not None:
            return found
        return self._nearest_reason(vector[None, :], short=True) if _short(p.text) else self._clause_reason(p.text)

    def _clause_reason(self, text: str) -> str | None:
        """A longer message's short clauses ("...de är för små") against the reason anchors; the reason tends to come
        last."""
        clauses = [c for c in _clauses(text) if 2 <= len(c.split()) <= 8][-2:]
        return self._nearest_reason(self.embedder.embed(clauses), short=False) if clauses else None

    def _nearest_reason(self, candidates: NDArray[np.float32], short: bool) -> str | None:
        labels, anchors = self.anchors.of("reason")
        sims = candidates @ anchors.T
        row, best = np.unravel_index(int(sims.argmax()), sims.shape)
        label = labels[best]
        others = sims[row][labels != label]
        margin = float(sims[row, best] - (others.max() if len(others) else 0.0))
        floor, needed = (REASON_ANSWER_SIMILARITY, 0.01) if short else (REASON_MIN_SIMILARITY, 0.02)
        # E5's similarities crowd together: a reason must stand out from the other reasons, not just be near.
        return str(label) if sims[row, best] >= floor and margin >= needed else None

    def _frustration(self, text: str, vector: NDArray[np.float32]) -> float:
        """Closeness to the angry anchors against the calm ones (all languages), plus shouting cues."""
        labels, vectors = self.anchors.of("frustration")
        sims = vectors @ vector
        angry = np.sort(sims[labels == "angry"])[-5:].mean()
        calm = np.sort(sims[labels == "calm"])[-5:].mean()
        score = float(1 / (1 + np.exp(-40 * (angry - calm))))
        return round(min(1.0, score + _cue_frustration(text)), 3)


def _gibberish(text: str, language: str, act: str | None) -> bool:
    """Keyboard mash ("asdfgh qwerty", "ฟหกดเ่าสว"): unlike any text of its script's languages."""
    from paydesk.understanding.langid import ngram_model

    letters = "".join(ch for ch in text if ch.isalpha())
    model = ngram_model()
    if act is not None or model is None or len(letters) < 6 or slot_rules.order_ids(text):
        return False
    if language in ("ja", "zh", "ko"):
        return False
    fit = model.loglik(text, sorted({language, "en"}))
    return max(fit.values()) < GIBBERISH


def _clauses(text: str) -> list[str]:
    return [c.strip() for c in CLAUSE.split(text) if c.strip()]


def _short(text: str) -> bool:
    """One clause of at most eight words: an answer to "why?" rather than a message that holds its reason."""
    return len(_clauses(text)) <= 1 and len(text.split()) <= 8


def _phrase_reason(text: str, language: str) -> str | None:
    """The longest reason phrase of the language whose words are all in the message."""
    from paydesk.understanding.examples import language_data

    words = slot_rules.fold(text).split()
    phrases = [(slot_rules.fold(p), code) for code, items in language_data(language).reasons.items() for p in items]
    inside = [(len(p), code) for p, code in phrases if _phrase_in(p, words)]
    return max(inside)[1] if inside else None


def _phrase_in(phrase: str, words: list[str]) -> bool:
    """Every word of the phrase (of 3+ letters) is in the message, inflections allowed ("nunca llegó" in "no ha
    llegado nunca")."""
    needed = [w for w in phrase.split() if len(w) >= 3] or phrase.split()
    if len(phrase) < 6 or not needed:
        return False
    return all(any(slot_rules.same_word(w, m) for m in words) for w in needed)


def _cue_frustration(text: str) -> float:
    """Shouting: mostly capital letters, "!!" or "?!"."""
    score = 0.0
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) >= 8 and sum(ch.isupper() for ch in letters) / len(letters) > 0.6:
        score += 0.3
    if "!!" in text or "?!" in text:
        score += 0.2
    return score


def _any(slots: slot_rules.Slots) -> bool:
    return bool(slots.order or slots.amount or slots.date or slots.email)


def _fills(slots: slot_rules.Slots, awaiting: str | None) -> bool:
    return {"order": bool(slots.order), "amount": slots.amount is not None, "date": slots.date is not None}.get(
        awaiting or "", False
    )


@cache
def default_engine() -> EmbeddedUnderstanding:
    return EmbeddedUnderstanding()
