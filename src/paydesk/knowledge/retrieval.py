"""Retrieval over the help centre across languages: an English question finds the article written in any
language, and the answer comes in the customer's language. Below a similarity floor it says it has no answer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from paydesk.knowledge.articles import ARTICLES, Article, article, articles_of
from paydesk.understanding.artifacts import digest
from paydesk.understanding.embedder import Embedder, default_embedder
from paydesk.understanding.languages import LANGUAGES

INDEX = Path(__file__).parent / "index.npz"
MIN_SIMILARITY = 0.86  # below it, the help centre has no answer (tests/knowledge/test_retrieval.py holds it)


def index_texts() -> list[tuple[str, str, str]]:
    """(article id, language, text): each article's title and questions in every language."""
    rows = []
    for lang in LANGUAGES:
        for a in articles_of(lang):
            rows += [(a.id, lang, a.title), *((a.id, lang, q) for q in a.questions)]
    return rows


def index_digest() -> str:
    return digest(f"{i}|{lang}|{text}" for i, lang, text in index_texts())


@dataclass(frozen=True)
class Index:
    ids: NDArray[np.str_]
    languages: NDArray[np.str_]
    vectors: NDArray[np.float32]
    digest: str


@cache
def load_index(path: Path = INDEX) -> Index:
    with np.load(path, allow_pickle=False) as data:
        return Index(data["ids"], data["languages"], data["vectors"].astype(np.float32), str(data["digest"]))


def save_index(vectors: NDArray[np.float32], path: Path = INDEX) -> None:
    rows = index_texts()
    np.savez_compressed(
        path,
        ids=np.array([r[0] for r in rows]),
        languages=np.array([r[1] for r in rows]),
        vectors=vectors.astype(np.float16),
        digest=np.array(index_digest()),
    )


@dataclass(frozen=True, slots=True)
class Answer:
    """The article that answers, in the customer's language. `score` is the cosine similarity of the best match."""

    article: Article
    language: str
    score: float


class HelpCentre:
    def __init__(self, embedder: Embedder | None = None, index: Index | None = None) -> None:
        self.embedder = embedder or default_embedder()
        self.index = index or load_index()
        self._articles, self._rows = np.unique(self.index.ids, return_inverse=True)  # each row's article

    def warm_up(self, languages: Sequence[str]) -> None:
        """Load the articles of these languages (else the first question in each language reads its file)."""
        for language in languages:
            articles_of(language)

    def ranked(self, vector: NDArray[np.float32], exclude_language: str | None = None) -> list[tuple[str, float]]:
        """Every article with its best-matching title or question, best first."""
        sims = self.index.vectors @ vector
        if exclude_language is not None:
            sims = np.where(self.index.languages == exclude_language, -1.0, sims)
        best = np.full(len(self._articles), -2.0)
        np.maximum.at(best, self._rows, sims)
        return [(str(self._articles[k]), float(best[k])) for k in np.argsort(-best, kind="stable")]

    def answer(self, question: str, language: str, vector: NDArray[np.float32] | None = None) -> Answer | None:
        """The best article for `question` in `language` (English when that language lacks it), or None when
        nothing is similar enough. Pass `vector` when the question is already embedded."""
        if vector is None:
            vector = self.embedder.embed([question])[0]
        ranked = self.ranked(vector)
        if not ranked or ranked[0][1] < MIN_SIMILARITY:
            return None
        ident, score = ranked[0]
        found = article(language, ident) or article("en", ident)
        if found is None:
            return None
        return Answer(found, language if article(language, ident) else "en", score)


@cache
def default_help_centre() -> HelpCentre:
    return HelpCentre()


__all__ = ["ARTICLES", "Answer", "HelpCentre", "default_help_centre", "index_digest", "save_index"]
