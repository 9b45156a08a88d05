"""What a model's text must keep: every number (amounts, dates, percentages, order ids) and every protected name."""

from __future__ import annotations

import re

NUMBER = re.compile(r"\d(?:[\d.,:/'\u00a0\u202f -]*\d)?")


def numbers(text: str) -> set[str]:
    """The digit runs of a text, separators included ("1 199,00", "4821-0932", "13.12.")."""
    return {m.group().strip() for m in NUMBER.finditer(text)}


def keeps(original: str, rewritten: str, names: tuple[str, ...] = ()) -> bool:
    """Whether `rewritten` has every number of `original` unchanged, and every name of `names` that it had."""
    if not all(n in rewritten for n in numbers(original)):
        return False
    return all(name in rewritten for name in names if name in original)
