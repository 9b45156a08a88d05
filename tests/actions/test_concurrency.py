"""Concurrent writes: 20 threads with one idempotency key and 20 with distinct keys cancel the same order."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from paydesk.actions.base import ActionContext
from paydesk.domain.errors import PolicyRefusal
from tests.actions.helpers import act
from tests.conftest import load
from tests.factory import ledger, pay_in_4


def test_one_cancellation_one_refund_under_40_concurrent_calls(ctx: ActionContext) -> None:
    load(ctx.store, ledger(pay_in_4("ord_1", status="pending", delivered=None, paid=1)))
    start = threading.Barrier(40)

    def call(key: str) -> Any:
        start.wait()
        try:
            return act(ctx, "cancel_order", {"order": "ord_1"}, key=key)
        except PolicyRefusal as refusal:
            return refusal

    keys = ["same"] * 20 + [f"key-{i}" for i in range(20)]
    with ThreadPoolExecutor(max_workers=40) as pool:
        outcomes = list(pool.map(call, keys))
    with ctx.store.read() as led:
        order = led.order("ord_1")
        refunds = led.refunds(["ord_1"])
        done = [r for r in led.audit_records() if r.result.get("outcome") == "done"]
    assert order is not None and order.status == "cancelled"
    assert len(refunds) == 1 and len(done) == 1
    results = [o for o in outcomes if not isinstance(o, PolicyRefusal)]
    refusals = [o for o in outcomes if isinstance(o, PolicyRefusal)]
    assert all(r.code == "order_cancelled" for r in refusals)
    assert {r.refund.id for r in results} == {refunds[0].id}  # every success is the same, first result
    assert len(results) + len(refusals) == 40
    # The 20 calls sharing a key all replay the winner's result, or (if a distinct key won) are all refused.
    assert len({isinstance(o, PolicyRefusal) for o in outcomes[:20]}) == 1
    assert sum(not isinstance(o, PolicyRefusal) for o in outcomes[20:]) <= 1
