"""Lexical features beside the embedding: hashed character 2-4-grams of the words, TF-IDF weighted, L2-normalised.
They let the classifier use the exact words of the language (the 4-bit multilingual embedding alone is blurry for
short messages); the build measured +5 points of held-out accuracy with them (benchmarks/nlu.py)."""

from __future__ import annotations

import math
import re
import zlib
from collections import Counter

import numpy as np
from numpy.typing import NDArray

DIM = 32768
WORD = re.compile(r"\w+")


def grams(text: str) -> list[str]:
    padded = " " + " ".join(WORD.findall(text.casefold()[:2000])) + " "
    return [padded[i : i + n] for n in (2, 3, 4) for i in range(len(padded) - n + 1)]


def hashed_counts(text: str) -> tuple[NDArray[np.int64], NDArray[np.float32]]:
    """(feature indices, sublinear term frequencies) of the text's n-grams."""
    counts = Counter(zlib.crc32(g.encode("utf-8")) % DIM for g in grams(text))
    if not counts:
        return np.zeros(0, np.int64), np.zeros(0, np.float32)
    keys = np.fromiter(counts.keys(), np.int64, len(counts))
    values = np.fromiter((1.0 + math.log(c) for c in counts.values()), np.float32, len(counts))
    return keys, values


def weighted(text: str, idf: NDArray[np.float32]) -> tuple[NDArray[np.int64], NDArray[np.float32]]:
    """TF-IDF, L2-normalised."""
    keys, values = hashed_counts(text)
    if len(keys) == 0:
        return keys, values
    values = values * idf[keys]
    return keys, values / (float(np.linalg.norm(values)) or 1.0)
