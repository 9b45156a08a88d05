"""The intent classifier: multinomial logistic regression over the message embedding and hashed character n-grams
(weights in `model/intents.npz`), with temperature-calibrated probabilities and an out-of-scope decision.

A second, lexical-only regression (the n-grams alone) runs first: when it is at least `fast_threshold` sure, the
message needs no embedding at all. The build sets the threshold where those answers were 99% right on held-back
training examples; it spares the embedding (most of a turn's cost) for about half of all messages."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from paydesk.understanding.artifacts import INTENT_MODEL
from paydesk.understanding.features import weighted

HANDOFF_SUBLABELS = ("hardship", "complaint")


@dataclass(frozen=True)
class IntentModel:
    """labels: the classes (the 17 intents and the handoff sub-labels). w_embedding: (dim, labels);
    w_ngrams: (features.DIM, labels); idf: (features.DIM,). temperature divides the logits (fitted on held-back
    training examples); below `oos_threshold` of confidence in every in-domain intent a message is out of scope."""

    labels: tuple[str, ...]
    w_embedding: NDArray[np.float32]
    w_ngrams: NDArray[np.float32]
    idf: NDArray[np.float32]
    bias: NDArray[np.float32]
    temperature: float = 1.0
    oos_threshold: float = 0.0
    digest: str = ""
    w_lexical: NDArray[np.float32] | None = None
    b_lexical: NDArray[np.float32] | None = None
    fast_threshold: float = 1.01

    def lexical(
        self, texts: Sequence[str], features: list[tuple[NDArray[np.int64], NDArray[np.float32]]] | None = None
    ) -> NDArray[np.float32]:
        """Probabilities from the n-grams alone (uniform when the model has no lexical part)."""
        if self.w_lexical is None or self.b_lexical is None:
            return np.full((len(texts), len(self.labels)), 1.0 / len(self.labels), np.float32)
        z = np.tile(self.b_lexical, (len(texts), 1))
        for row, (keys, values) in enumerate(features or self.features(texts)):
            if len(keys):
                z[row] += values @ self.w_lexical[keys]
        return _softmax(z)

    def features(self, texts: Sequence[str]) -> list[tuple[NDArray[np.int64], NDArray[np.float32]]]:
        return [weighted(text, self.idf) for text in texts]

    def logits(
        self,
        vectors: NDArray[np.float32],
        texts: Sequence[str],
        features: list[tuple[NDArray[np.int64], NDArray[np.float32]]] | None = None,
    ) -> NDArray[np.float32]:
        z = vectors @ self.w_embedding + self.bias
        for row, (keys, values) in enumerate(features or self.features(texts)):
            if len(keys):
                z[row] += values @ self.w_ngrams[keys]
        return z

    def probabilities(
        self,
        vectors: NDArray[np.float32],
        texts: Sequence[str],
        features: list[tuple[NDArray[np.int64], NDArray[np.float32]]] | None = None,
    ) -> NDArray[np.float32]:
        return _softmax(self.logits(vectors, texts, features) / self.temperature)

    def save(self, path: Path = INTENT_MODEL, meta: dict[str, object] | None = None) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            path,
            labels=np.array(self.labels),
            w_embedding=self.w_embedding.astype(np.float32),
            w_ngrams=self.w_ngrams.astype(np.float16),
            idf=self.idf.astype(np.float32),
            bias=self.bias.astype(np.float32),
            temperature=np.array(self.temperature),
            oos_threshold=np.array(self.oos_threshold),
            digest=np.array(self.digest),
            meta=np.array(json.dumps(meta or {})),
            w_lexical=(self.w_lexical if self.w_lexical is not None else np.zeros((0, 0))).astype(np.float16),
            b_lexical=(self.b_lexical if self.b_lexical is not None else np.zeros(0)).astype(np.float32),
            fast_threshold=np.array(self.fast_threshold),
        )


def _softmax(z: NDArray[np.float32]) -> NDArray[np.float32]:
    z = z - z.max(axis=1, keepdims=True)
    p: NDArray[np.float32] = np.exp(z).astype(np.float32)
    normalised: NDArray[np.float32] = p / p.sum(axis=1, keepdims=True)
    return normalised


@cache
def load_model(path: Path = INTENT_MODEL) -> IntentModel:
    with np.load(path, allow_pickle=False) as data:
        return IntentModel(
            labels=tuple(str(x) for x in data["labels"]),
            w_embedding=data["w_embedding"],
            w_ngrams=data["w_ngrams"].astype(np.float32),
            idf=data["idf"],
            bias=data["bias"],
            temperature=float(data["temperature"]),
            oos_threshold=float(data["oos_threshold"]),
            digest=str(data["digest"]),
            w_lexical=data["w_lexical"].astype(np.float32) if data["w_lexical"].size else None,
            b_lexical=data["b_lexical"] if data["b_lexical"].size else None,
            fast_threshold=float(data["fast_threshold"]),
        )


@dataclass(frozen=True, slots=True)
class IntentScores:
    """The 17 intents' probabilities (handoff sub-labels folded into talk_to_human) and the sub-label, if any."""

    ranked: list[tuple[str, float]]
    sublabel: str | None


def decide(model: IntentModel, probs: NDArray[np.float32]) -> IntentScores:
    merged: dict[str, float] = {}
    sub_best = ("", 0.0)
    for label, p in zip(model.labels, probs.tolist(), strict=True):
        target = "talk_to_human" if label in HANDOFF_SUBLABELS else label
        merged[target] = merged.get(target, 0.0) + p
        if label in HANDOFF_SUBLABELS and p > sub_best[1]:
            sub_best = (label, p)
    merged = {label: min(1.0, p) for label, p in merged.items()}  # float32 parts can sum to a hair over 1
    ranked = sorted(merged.items(), key=lambda kv: -kv[1])
    in_domain = [kv for kv in ranked if kv[0] != "out_of_scope"]
    if in_domain[0][1] < model.oos_threshold and ranked[0][0] != "out_of_scope":
        oos = ("out_of_scope", max(merged.get("out_of_scope", 0.0), 1.0 - in_domain[0][1]))
        ranked = [oos, *[kv for kv in ranked if kv[0] != "out_of_scope"]]
    sublabel = sub_best[0] if ranked[0][0] == "talk_to_human" and sub_best[1] > 0.5 * ranked[0][1] else None
    return IntentScores(ranked, sublabel)
