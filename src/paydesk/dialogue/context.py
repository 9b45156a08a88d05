"""What the dialogue needs from outside, passed explicitly."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from paydesk.domain.clock import Clock
from paydesk.knowledge.retrieval import Answer
from paydesk.policy.model import Policy
from paydesk.store.database import Store
from paydesk.understanding.result import Context, Understanding


class Understander(Protocol):
    """The understanding interface (the embedded engine; the LLM engine implements it too)."""

    name: str

    def understand(self, text: str, locale: str | None = None, context: Context | None = None) -> Understanding: ...


class Knowledge(Protocol):
    def answer(self, question: str, language: str) -> Answer | None: ...


class Phrasing(Protocol):
    """Rephrases a reply; whatever it returns keeps every number and the given names, or is the reply itself."""

    def phrase(self, text: str, language: str, names: tuple[str, ...] = (), conversation: str | None = None) -> str: ...


@dataclass(frozen=True)
class DialogueContext:
    store: Store
    policy: Policy
    clock: Clock
    understanding: Understander
    knowledge: Knowledge
    phrasing: Phrasing | None = None
