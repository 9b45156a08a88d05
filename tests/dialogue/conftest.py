from __future__ import annotations

from typing import Any

import pytest

from paydesk.dialogue.context import DialogueContext
from paydesk.dialogue.manager import DialogueManager
from paydesk.domain.clock import FixedClock
from paydesk.knowledge.retrieval import default_help_centre
from paydesk.policy.model import Policy
from paydesk.store.database import Store
from paydesk.understanding.engine import EmbeddedUnderstanding
from tests.conftest import NOW, load


class Chat:
    """A conversation with the real assistant on a real store."""

    def __init__(self, manager: DialogueManager, customer: str) -> None:
        self.manager = manager
        self.id = manager.start(customer)

    def __call__(self, text: str) -> Any:
        return self.manager.handle(self.id, text)


@pytest.fixture
def assistant(store: Store, policy: Policy, shared_engine: EmbeddedUnderstanding) -> Any:
    """`assistant(ledger)` loads the ledger and returns a function opening a chat as a customer."""
    clock = FixedClock(NOW)
    engine = EmbeddedUnderstanding(shared_engine.embedder, shared_engine.model, shared_engine.anchors, clock)
    manager = DialogueManager(DialogueContext(store, policy, clock, engine, default_help_centre()))

    def open_chat(data: dict[str, Any], customer: str = "cus_1") -> Chat:
        load(store, data)
        return Chat(manager, customer)

    return open_chat
