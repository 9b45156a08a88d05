"""Policy row: dispute."""

from __future__ import annotations

from datetime import date

import pytest

from paydesk.actions.base import ActionContext
from paydesk.domain.errors import PolicyRefusal
from tests.actions.helpers import act
from tests.conftest import load
from tests.factory import ledger, pay_in_4


def test_open_a_dispute_pauses_the_plan_until_resolved(ctx: ActionContext) -> None:
    load(ctx.store, ledger(pay_in_4("ord_1")))
    result = act(ctx, "open_dispute", {"order": "ord_1", "reason": "not_as_described"})
    assert result.merchant_deadline == date(2026, 12, 6) and result.plan_status == "paused"
    with ctx.store.read() as led:
        order = led.order("ord_1")
        (dispute,) = led.disputes(["ord_1"])
    assert order is not None and (order.plan.status, order.plan.paused_until) == ("paused", None)
    assert (dispute.status, dispute.reason) == ("open", "not_as_described")


def test_a_completed_plan_stays_completed(ctx: ActionContext) -> None:
    load(ctx.store, ledger(pay_in_4("ord_1", paid=4, plan_status="completed")))
    assert act(ctx, "open_dispute", {"order": "ord_1", "reason": "faulty"}).plan_status == "completed"


def test_one_open_dispute_per_order(ctx: ActionContext) -> None:
    load(ctx.store, ledger(pay_in_4("ord_1")))
    act(ctx, "open_dispute", {"order": "ord_1", "reason": "faulty"})
    with pytest.raises(PolicyRefusal) as info:
        act(ctx, "open_dispute", {"order": "ord_1", "reason": "wrong_item"})
    assert info.value.code == "dispute_exists"


def test_a_resolved_dispute_does_not_block_a_new_one(ctx: ActionContext) -> None:
    load(
        ctx.store,
        ledger(
            pay_in_4("ord_1"),
            disputes=[
                {
                    "id": "d0",
                    "order": "ord_1",
                    "reason": "faulty",
                    "status": "resolved_merchant",
                    "created": "2026-11-06",
                }
            ],
        ),
    )
    assert act(ctx, "open_dispute", {"order": "ord_1", "reason": "wrong_item"}).outcome == "done"


def test_cancelled_orders_cannot_be_disputed(ctx: ActionContext) -> None:
    load(ctx.store, ledger(pay_in_4("ord_1", status="cancelled", delivered=None, plan_status="cancelled")))
    with pytest.raises(PolicyRefusal) as info:
        act(ctx, "open_dispute", {"order": "ord_1", "reason": "cancelled_but_charged"})
    assert info.value.code == "order_cancelled"


@pytest.mark.parametrize(("created", "allowed"), [("2026-05-26", True), ("2026-05-25", False)])
def test_180_days_from_the_purchase(ctx: ActionContext, created: str, allowed: bool) -> None:
    load(
        ctx.store,
        ledger(pay_in_4("ord_1", created=created, delivered=None, status="shipped", paid=4, plan_status="completed")),
    )
    if allowed:
        assert act(ctx, "open_dispute", {"order": "ord_1", "reason": "not_received"}).outcome == "done"
    else:
        with pytest.raises(PolicyRefusal) as info:
            act(ctx, "open_dispute", {"order": "ord_1", "reason": "not_received"})
        assert info.value.code == "dispute_too_late"
