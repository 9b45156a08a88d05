"""Dialogue acts for confirmations: affirm, deny, restart, in the 36 languages.

An affirmation must be nothing but one: "ja", "yes please", "👍" are; "yes, but make it 5000", "yes and the other
order too" or a pasted code are not. So affirm is matched against the lexicons only (whole message, normalised);
deny and restart may also be recognised by their embedding anchors, since mistaking something for a no is safe."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from paydesk.understanding.cues import cues
from paydesk.understanding.examples import language_data
from paydesk.understanding.languages import LANGUAGES
from paydesk.understanding.result import Act

AFFIRM_EMOJI = frozenset({"👍", "👌", "✅", "✔", "☑", "🆗", "🙆", "👍🏻", "👍🏼", "👍🏽", "👍🏾", "👍🏿"})
DENY_EMOJI = frozenset({"👎", "❌", "✖", "🙅", "⛔", "🚫", "👎🏻", "👎🏼", "👎🏽", "👎🏾", "👎🏿"})
UNIVERSAL: dict[str, Act] = {
    "ok": "affirm",
    "okay": "affirm",
    "okey": "affirm",
    "k": "affirm",
    "yes": "affirm",
    "no": "deny",
}


def normalise(text: str) -> str:
    """Case-folded, NFKC, punctuation and variation selectors removed, letters repeated 3+ times collapsed."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("\ufe0f", "")
    text = re.sub(r"(\w)\1{2,}", r"\1", text)
    text = "".join(" " if unicodedata.category(ch).startswith("P") else ch for ch in text)
    return " ".join(text.split())


@dataclass(frozen=True, slots=True)
class Lexicon:
    by_language: dict[str, dict[str, Act]]
    anywhere: dict[str, Act]  # phrases whose act is the same in every language that has them


@cache
def lexicon() -> Lexicon:
    by_language: dict[str, dict[str, Act]] = {}
    seen: dict[str, set[Act]] = {}
    for lang in LANGUAGES:
        acts = language_data(lang).acts
        table: dict[str, Act] = {}
        for act, phrases in (("deny", acts.deny), ("restart", acts.restart), ("affirm", acts.affirm)):
            for phrase in phrases:
                key = normalise(phrase)
                if key:
                    table[key] = act  # type: ignore[assignment]
                    seen.setdefault(key, set()).add(act)  # type: ignore[arg-type]
        by_language[lang] = table
    anywhere = {key: next(iter(acts)) for key, acts in seen.items() if len(acts) == 1}
    return Lexicon(by_language, {**anywhere, **UNIVERSAL})


def lexical_act(text: str, language: str) -> Act | None:
    """The act when the whole message is one, by the lexicons (the message's language first) or an emoji."""
    stripped = "".join(text.split())
    if stripped and all(ch in "".join(AFFIRM_EMOJI) for ch in stripped.replace("\ufe0f", "")):
        return "affirm"
    if stripped and all(ch in "".join(DENY_EMOJI) for ch in stripped.replace("\ufe0f", "")):
        return "deny"
    key = normalise(text)
    if not key:
        return None
    lex = lexicon()
    found = lex.by_language.get(language, {}).get(key) or lex.anywhere.get(key)
    if found is not None:
        return found
    words = key.split()
    acts: tuple[Act, ...] = ("affirm", "deny", "restart")
    for act in acts:  # "ja, gör det", "ok ja", "no no": a run of phrases of one act
        if _composed(words, act, lex.by_language.get(language, {}), lex.anywhere):
            return act
    return _headed(key, language, lex)


def _composed(words: list[str], act: str, own: dict[str, Act], anywhere: dict[str, Act]) -> bool:
    """Whether the words split into two or more phrases that each mean `act`."""
    n = len(words)
    reach = [False] * (n + 1)
    reach[0] = True
    pieces = [0] * (n + 1)
    for i in range(n):
        if not reach[i]:
            continue
        for j in range(i + 1, min(n, i + 4) + 1):
            phrase = " ".join(words[i:j])
            if (own.get(phrase) or anywhere.get(phrase)) == act and not (reach[j] and pieces[j] <= pieces[i] + 1):
                reach[j] = True
                pieces[j] = pieces[i] + 1
    return n > 1 and reach[n] and pieces[n] >= 2


NO_SPACES = frozenset({"ja", "zh", "th"})


def opens_with_yes(text: str, language: str) -> bool:
    """Whether the message starts with a yes, whatever follows ("yes, and also refund me 5000...")."""
    lex = lexicon()
    own = lex.by_language.get(language, {})
    words = normalise(text).split()
    if language in NO_SPACES:
        joined = "".join(words)
        return any(act == "affirm" and joined.startswith(p.replace(" ", "")) for p, act in own.items())
    return any((own.get(" ".join(words[:n])) or lex.anywhere.get(" ".join(words[:n]))) == "affirm" for n in (1, 2))


def _headed(key: str, language: str, lex: Lexicon) -> Act | None:
    """A yes or no word first, then at most a few plain words: "ja, mach das bitte", "nope, leave it", "好的，请继续".
    The tail may not hold a digit, a qualifier ("but", "and", "other"...) or, after a yes, a negation."""
    own = lex.by_language.get(language, {})

    def act_of(phrase: str) -> Act | None:
        return own.get(phrase) or lex.anywhere.get(phrase)

    words = key.split()
    if language in NO_SPACES:
        joined = "".join(words)
        for phrase, act in sorted(own.items(), key=lambda kv: -len(kv[0])):
            flat = phrase.replace(" ", "")
            if act in ("affirm", "deny") and len(flat) >= 1 and joined.startswith(flat) and joined != flat:
                tail = joined[len(flat) :]
                if len(tail) <= 16 and _plain(tail, act, language, marks=True):
                    return act
        return None
    for size in (2, 1):
        head = act_of(" ".join(words[:size])) if len(words) > size else None
        if head == "affirm" or head == "deny":
            rest = words[size:]
            limit = 4 if head == "affirm" else 5
            if len(rest) <= limit and _plain(" ".join(rest), head, language):
                return head
    return None


def _plain(tail: str, act: Act, language: str, *, marks: bool = False) -> bool:
    """Whether what follows a yes (or no) leaves it a plain yes (no): no digits; after a yes, no qualifier ("but",
    "and", "other"...) and no negation. A no stays a no whatever follows (mistaking something for a no is safe)."""
    if any(ch.isdigit() for ch in tail):
        return False
    if act != "affirm":
        return True
    c = cues()
    words = tail.split()
    qualified = any(w in c.qualifiers for w in words) or bool(words and words[0] in c.leading_qualifiers)
    if qualified or (marks and any(m in tail for m in c.qualifier_marks)):
        return False
    negated = any(w in c.negations.get(language, frozenset()) for w in words)
    return not (negated or (marks and any(m in tail for m in c.negation_marks)))
