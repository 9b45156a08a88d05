"""A turn's reads: READ actions take the customer and orders the turn read at its start, until the turn writes."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event

from paydesk.dialogue.context import DialogueContext
from paydesk.dialogue.session import Session
from paydesk.dialogue.state import ConversationState, PendingWrite
from paydesk.domain.clock import FixedClock
from paydesk.domain.errors import NotFound
from paydesk.knowledge.retrieval import default_help_centre
from paydesk.policy.model import Policy
from paydesk.store.database import Store
from paydesk.understanding.engine import EmbeddedUnderstanding
from paydesk.understanding.result import Understanding
from tests.conftest import NOW, load
from tests.factory import ledger, pay_in_4


def test_reads_reuse_the_turns_first_read_until_it_writes(
    store: Store, policy: Policy, shared_engine: EmbeddedUnderstanding
) -> None:
    load(store, ledger(pay_in_4("ord_1"), pay_in_4("ord_bob", customer="cus_2", currency="GBP", price="80.00")))
    with store.read() as led:
        customer, orders = led.customer("cus_1"), led.orders_of("cus_1")
    assert customer is not None
    ctx = DialogueContext(store, policy, FixedClock(NOW), shared_engine, default_help_centre())
    understood = Understanding(language="en", language_confidence=1.0, intent="return_item", confidence=1.0)
    s = Session(ctx, "conv_1", customer, ConversationState(language="en"), understood, "yes", orders, {})
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement)

    event.listen(store.engine, "before_cursor_execute", seen)
    try:
        assert s.read("get_order", order="ord_1").paused_until is None
        assert not [q for q in statements if "FROM customers" in q or "FROM order_items" in q]
        with pytest.raises(NotFound):  # another customer's order is read, and is still not theirs
            s.read("get_order", order="ord_bob")
        pending = PendingWrite(flow="return_item", action="report_return", args={"order": "ord_1"}, summary="", key="k")
        s.execute(pending)
        statements.clear()
        assert s.read("get_order", order="ord_1").paused_until is not None  # the write's effect, read again
        assert [q for q in statements if "FROM customers" in q] and [q for q in statements if "FROM order_items" in q]
    finally:
        event.remove(store.engine, "before_cursor_execute", seen)
