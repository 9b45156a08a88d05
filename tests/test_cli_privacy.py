"""`paydesk privacy export|erase`: one customer's conversations out, or gone; nobody else's touched."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from paydesk.dialogue.context import DialogueContext
from paydesk.dialogue.manager import DialogueManager
from paydesk.domain.clock import FixedClock
from paydesk.knowledge.retrieval import default_help_centre
from paydesk.policy.model import Policy
from paydesk.store.conversations import Conversations
from paydesk.store.database import Store
from paydesk.store.queue import Queue
from paydesk.understanding.engine import EmbeddedUnderstanding
from tests.conftest import NOW, load
from tests.factory import ledger, pay_in_4

PAYDESK = Path(sys.executable).with_name("paydesk")


def test_export_and_erase_one_customer(tmp_path: Path, policy: Policy, shared_engine: EmbeddedUnderstanding) -> None:
    url = f"sqlite:///{tmp_path / 'privacy.db'}"
    store = Store.open(url)
    load(store, ledger(pay_in_4("4821-0932"), pay_in_4("5000-0001", customer="cus_2", currency="GBP")))
    clock = FixedClock(NOW)
    engine = EmbeddedUnderstanding(shared_engine.embedder, shared_engine.model, shared_engine.anchors, clock)
    manager = DialogueManager(DialogueContext(store, policy, clock, engine, default_help_centre()))
    mine = manager.start("cus_1")
    manager.handle(mine, "När är min nästa betalning?")
    manager.handle(mine, "Jag vill prata med en människa")
    theirs = manager.start("cus_2")
    manager.handle(theirs, "When is my next payment?")
    with store.write() as led:
        Queue(led.conn).record_csat(mine, "cus_1", 4, "", "assistant", NOW)
    store.close()

    exported = subprocess.run(
        [PAYDESK, "privacy", "export", "cus_1", "--db", url], capture_output=True, text=True, check=True
    )
    data = json.loads(exported.stdout)
    (conversation,) = data["conversations"]
    assert conversation["id"] == mine and conversation["csat"] == 4 and len(conversation["messages"]) == 4
    assert [c["reason"] for c in data["cases"]] == ["customer_request"]

    dry = subprocess.run([PAYDESK, "privacy", "erase", "cus_1", "--db", url], capture_output=True, text=True)
    assert dry.returncode == 2 and "would erase 1 conversations" in dry.stderr
    done = subprocess.run([PAYDESK, "privacy", "erase", "cus_1", "--yes", "--db", url], capture_output=True, text=True)
    assert done.returncode == 0 and "1 conversations, 4 messages, 1 ratings, 1 case summaries" in done.stdout
    missing = subprocess.run([PAYDESK, "privacy", "export", "cus_404", "--db", url], capture_output=True, text=True)
    assert missing.returncode == 4

    store = Store.open(url)
    with store.read() as led:
        conversations = Conversations(led.conn)
        assert conversations.of_customer("cus_1") == [] and conversations.messages(mine) == []
        assert [c.id for c in conversations.of_customer("cus_2")] == [theirs] and conversations.messages(theirs)
        (case,) = led.cases(customer="cus_1")
        assert case.summary == "{}"
        assert led.order("4821-0932") is not None  # the ledger stays
    store.close()
