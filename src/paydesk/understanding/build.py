"""Build the NLU artifacts from the data files: embed every training example and anchor (cached by text in the
cache directory, so a rebuild embeds only what changed), train the intent classifier, calibrate it, save.

Needs the `train` extra (scikit-learn) at build time only; the running engine needs numpy alone."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from paydesk.understanding.artifacts import LANGID, anchor_texts, intent_digest, langid_digest, save_anchors
from paydesk.understanding.classifier import IntentModel
from paydesk.understanding.embedder import Embedder
from paydesk.understanding.examples import Example, language_texts, training_examples
from paydesk.understanding.features import DIM, hashed_counts, weighted
from paydesk.understanding.langid import NgramModel
from paydesk.understanding.languages import LANGUAGES

Progress = Callable[[int, int], None]


class EmbeddingCache:
    """Embeddings by sha1 of the text, in one .npz file."""

    def __init__(self, path: Path, embedder: Embedder) -> None:
        self.path = path
        self.embedder = embedder
        self.vectors: dict[str, NDArray[np.float32]] = {}
        if path.exists():
            with np.load(path, allow_pickle=False) as data:
                keys, matrix = data["keys"], data["vectors"]
                self.vectors = {str(k): matrix[i] for i, k in enumerate(keys)}

    def embed(self, texts: Sequence[str], progress: Progress | None = None, batch: int = 128) -> NDArray[np.float32]:
        prepared = [self.embedder.prepare(t) for t in texts]
        keys = [hashlib.sha1(t.encode("utf-8")).hexdigest() for t in prepared]
        missing = list(dict.fromkeys(k for k in keys if k not in self.vectors))
        by_key = dict(zip(keys, prepared, strict=True))
        for start in range(0, len(missing), batch):
            chunk = missing[start : start + batch]
            for key, vector in zip(chunk, self.embedder.embed([by_key[k] for k in chunk]), strict=True):
                self.vectors[key] = vector.astype(np.float32)
            if progress:
                progress(min(start + batch, len(missing)), len(missing))
            if start // batch % 20 == 19:
                self.save()
        self.save()
        return (
            np.stack([self.vectors[k] for k in keys]).astype(np.float32)
            if keys
            else np.zeros((0, self.embedder.dim), np.float32)
        )

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys = sorted(self.vectors)
        tmp = self.path.with_name(self.path.stem + ".tmp.npz")
        np.savez(tmp, keys=np.array(keys), vectors=np.stack([self.vectors[k] for k in keys]).astype(np.float16))
        tmp.replace(self.path)


@dataclass(frozen=True)
class TrainReport:
    examples: int
    calibration_accuracy: float
    temperature: float
    oos_threshold: float
    fast_threshold: float


def _weights(examples: list[Example]) -> NDArray[np.float64]:
    """paydesk's own multilingual examples count more than the (large, English) corpora."""
    return np.array([2.0 if e.source == "paydesk" else 1.0 for e in examples])


def _ngram_matrix(texts: Sequence[str], idf: NDArray[np.float32] | None) -> Any:
    from scipy import sparse

    rows, cols, vals = [], [], []
    for row, text in enumerate(texts):
        keys, values = hashed_counts(text) if idf is None else weighted(text, idf)
        rows += [row] * len(keys)
        cols += keys.tolist()
        vals += values.tolist()
    return sparse.csr_matrix((vals, (rows, cols)), shape=(len(texts), DIM), dtype=np.float64)


def _idf(texts: Sequence[str]) -> NDArray[np.float32]:
    counts = _ngram_matrix(texts, None)
    df = np.bincount(counts.indices, minlength=DIM)
    return (np.log((1 + len(texts)) / (1 + df)) + 1).astype(np.float32)


def _fit(
    x: NDArray[np.float32], texts: Sequence[str], y: NDArray[np.str_], w: NDArray[np.float64], c: float
) -> IntentModel:
    """Multinomial logistic regression on [embedding, n-grams] (a small MLP measured no better, at 10x the cost)."""
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    idf = _idf(texts)
    features = sparse.hstack([sparse.csr_matrix(x.astype(np.float64)), _ngram_matrix(texts, idf)]).tocsr()
    clf = LogisticRegression(C=c, max_iter=3000)
    clf.fit(features, y, sample_weight=w)
    coef = clf.coef_.T.astype(np.float32)
    dim = x.shape[1]
    return IntentModel(
        tuple(str(label) for label in clf.classes_), coef[:dim], coef[dim:], idf, clf.intercept_.astype(np.float32)
    )


def _fit_lexical(
    texts: Sequence[str], y: NDArray[np.str_], w: NDArray[np.float64], c: float, idf: NDArray[np.float32]
) -> tuple[NDArray[np.float32], NDArray[np.float32], tuple[str, ...]]:
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=c, max_iter=3000)
    clf.fit(_ngram_matrix(texts, idf), y, sample_weight=w)
    return clf.coef_.T.astype(np.float32), clf.intercept_.astype(np.float32), tuple(str(x) for x in clf.classes_)


def _fast_threshold(model: IntentModel, texts: Sequence[str], y: NDArray[np.str_], target: float = 0.99) -> float:
    """The lowest confidence at which the lexical model's answers were `target` right on the held-back examples."""
    probs = model.lexical(texts)
    labels = np.array(model.labels)
    predicted, confidence = labels[probs.argmax(axis=1)], probs.max(axis=1)
    for threshold in np.arange(0.80, 0.995, 0.01):
        covered = confidence >= threshold
        if covered.any() and float((predicted[covered] == y[covered]).mean()) >= target:
            return round(float(threshold), 2)
    return 1.01  # never


def _calibrate(
    model: IntentModel, x: NDArray[np.float32], texts: Sequence[str], y: NDArray[np.str_]
) -> tuple[float, float, float]:
    """Temperature by grid search on log loss; the out-of-scope threshold keeping 98% of in-domain messages."""
    index = {label: i for i, label in enumerate(model.labels)}
    gold = np.array([index[label] for label in y])
    logits = model.logits(x, texts)
    best = (1.0, float("inf"))
    for t in np.linspace(0.3, 4.0, 38):
        z = logits / t
        z = z - z.max(axis=1, keepdims=True)
        probs = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
        loss = float(-np.log(probs[np.arange(len(gold)), gold] + 1e-9).mean())
        if loss < best[1]:
            best = (float(t), loss)
    probs = replace(model, temperature=best[0]).probabilities(x, texts)
    accuracy = float((probs.argmax(axis=1) == gold).mean())
    oos = index.get("out_of_scope")
    in_domain = np.array([label != "out_of_scope" for label in y])
    top_in = np.delete(probs, oos, axis=1).max(axis=1) if oos is not None else probs.max(axis=1)
    threshold = float(np.quantile(top_in[in_domain], 0.02)) if in_domain.any() else 0.0
    return best[0], min(threshold, 0.35), accuracy


def train(cache: EmbeddingCache, c: float = 100.0, progress: Progress | None = None) -> TrainReport:
    """Train on every example; calibrate temperature and threshold on a 15% hash-chosen part of paydesk's own
    examples first held back from an otherwise identical model."""
    examples = training_examples()
    texts = [e.text for e in examples]
    x = cache.embed(texts, progress)
    y = np.array([e.label for e in examples])
    w = _weights(examples)
    held = np.array(
        [e.source == "paydesk" and int(hashlib.sha1(e.text.encode()).hexdigest(), 16) % 100 < 15 for e in examples]
    )
    train_texts = [t for t, h in zip(texts, held, strict=True) if not h]
    held_texts = [t for t, h in zip(texts, held, strict=True) if h]
    probe = _fit(x[~held], train_texts, y[~held], w[~held], c)
    w_lex, b_lex, labels = _fit_lexical(train_texts, y[~held], w[~held], c, probe.idf)
    assert labels == probe.labels
    probe = replace(probe, w_lexical=w_lex, b_lexical=b_lex)
    temperature, threshold, accuracy = _calibrate(probe, x[held], held_texts, y[held])
    fast = _fast_threshold(probe, held_texts, y[held])
    final = _fit(x, texts, y, w, c)
    w_lex, b_lex, _ = _fit_lexical(texts, y, w, c, final.idf)
    final = replace(
        final,
        temperature=temperature,
        oos_threshold=threshold,
        digest=intent_digest(),
        w_lexical=w_lex,
        b_lexical=b_lex,
        fast_threshold=fast,
    )
    final.save(
        meta={"examples": len(examples), "C": c, "embedder": cache.embedder.name, "calibration_accuracy": accuracy}
    )
    return TrainReport(len(examples), accuracy, temperature, threshold, fast)


def build_dates() -> int:
    """Relative date phrases and weekday names of the 36 languages, from dateparser's data."""
    import json

    from paydesk.understanding.slots import DATE_WORDS, dateparser_words

    words = {lang: dateparser_words(lang) for lang in LANGUAGES}
    DATE_WORDS.write_text(json.dumps(words, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    return sum(len(w["relative"]) + len(w["weekdays"]) for w in words.values())


def build_langid() -> int:
    """The character n-gram language model of the 36 (no embeddings needed)."""
    texts = language_texts(list(LANGUAGES))
    NgramModel.train(texts).save(LANGID, langid_digest())
    return sum(len(v) for v in texts.values())


def build_anchors(cache: EmbeddingCache, progress: Progress | None = None) -> int:
    anchors = anchor_texts()
    save_anchors(anchors, cache.embed([a.text for a in anchors], progress))
    return len(anchors)
