"""The NLU's built artifacts, inside the package (`model/`): the intent classifier's weights and the embedded
anchors (dialogue acts, frustration, reasons). `paydesk models build` makes them from the data files; each records a
digest of the data it was built from, and `paydesk models check` (and a test) fail when the data has moved on."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from paydesk.understanding.examples import REASONS, language_data, language_texts, training_examples
from paydesk.understanding.languages import LANGUAGES

MODEL_DIR = Path(__file__).parent / "model"
INTENT_MODEL = MODEL_DIR / "intents.npz"
ANCHORS = MODEL_DIR / "anchors.npz"
LANGID = MODEL_DIR / "langid.npz"  # also langid.MODEL


def digest(parts: Iterable[str]) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8"))
        h.update(b"\x00")
    return h.hexdigest()


def intent_digest() -> str:
    return digest(f"{e.label}|{e.language}|{e.text}" for e in training_examples())


@dataclass(frozen=True, slots=True)
class Anchor:
    kind: str  # "act", "frustration" or "reason"
    label: str  # e.g. "deny", "angry", "faulty"
    language: str
    text: str


def anchor_texts() -> list[Anchor]:
    result = []
    for lang in LANGUAGES:
        data = language_data(lang)
        for label, texts in (("deny", data.acts.deny), ("restart", data.acts.restart), ("affirm", data.acts.affirm)):
            result += [Anchor("act", label, lang, t) for t in texts]
        for label, texts in (("angry", data.frustration.angry), ("calm", data.frustration.calm)):
            result += [Anchor("frustration", label, lang, t) for t in texts]
        for code in REASONS:
            result += [Anchor("reason", code, lang, t) for t in data.reasons.get(code, [])]
    return result


def langid_digest() -> str:
    texts = language_texts(list(LANGUAGES))
    return digest(f"{lang}|{t}" for lang in LANGUAGES for t in texts[lang])


def anchor_digest() -> str:
    return digest(f"{a.kind}|{a.label}|{a.language}|{a.text}" for a in anchor_texts())


@dataclass(frozen=True)
class Anchors:
    kinds: NDArray[np.str_]
    labels: NDArray[np.str_]
    vectors: NDArray[np.float32]
    digest: str

    def __post_init__(self) -> None:
        slices = {kind: (self.labels[self.kinds == kind], self.vectors[self.kinds == kind]) for kind in set(self.kinds)}
        object.__setattr__(self, "_slices", slices)

    def of(self, kind: str) -> tuple[NDArray[np.str_], NDArray[np.float32]]:
        slices: dict[str, tuple[NDArray[np.str_], NDArray[np.float32]]] = self.__dict__["_slices"]
        return slices[kind]


@cache
def load_anchors(path: Path = ANCHORS) -> Anchors:
    with np.load(path, allow_pickle=False) as data:
        return Anchors(
            kinds=data["kinds"],
            labels=data["labels"],
            vectors=data["vectors"].astype(np.float32),
            digest=str(data["digest"]),
        )


def save_anchors(anchors: list[Anchor], vectors: NDArray[np.float32], path: Path = ANCHORS) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        path,
        kinds=np.array([a.kind for a in anchors]),
        labels=np.array([a.label for a in anchors]),
        vectors=vectors.astype(np.float16),
        digest=np.array(anchor_digest()),
    )


def stale() -> list[str]:
    """The artifacts whose data changed since they were built (empty when all are current)."""
    problems = []
    for path, expected in ((INTENT_MODEL, intent_digest()), (ANCHORS, anchor_digest()), (LANGID, langid_digest())):
        if not path.exists():
            problems.append(f"{path.name} is missing")
            continue
        with np.load(path, allow_pickle=False) as data:
            if str(data["digest"]) != expected:
                problems.append(f"{path.name} was built from other data")
    return problems


def metadata(path: Path) -> dict[str, object]:
    with np.load(path, allow_pickle=False) as data:
        return json.loads(str(data["meta"])) if "meta" in data else {}
