"""Policy rows: cancel, approval limit on the refund of a cancellation."""

from __future__ import annotations

import pytest

from paydesk.actions.base import ActionContext
from paydesk.domain.errors import PolicyRefusal
from tests.actions.helpers import act
from tests.conftest import load
from tests.factory import ledger, pay_in_4


def test_cancel_a_pending_order_refunds_what_was_paid(ctx: ActionContext) -> None:
    load(ctx.store, ledger(pay_in_4("ord_1", status="pending", delivered=None, paid=1)))
    result = act(ctx, "cancel_order", {"order": "ord_1"})
    assert result.outcome == "done" and result.paid.amount == "299.75" and result.installments_cancelled == 3
    with ctx.store.read() as led:
        order = led.order("ord_1")
        (refund,) = led.refunds(["ord_1"])
        cases = led.cases()
    assert order is not None and order.status == "cancelled" and order.plan.status == "cancelled"
    assert [i.status for i in order.plan.installments] == ["paid", "cancelled", "cancelled", "cancelled"]
    assert (refund.status, str(refund.amount.amount)) == ("processing", "299.75")
    assert str(refund.expected_by) == "2026-12-02" and cases == []


def test_cancel_with_nothing_paid_makes_no_refund(ctx: ActionContext) -> None:
    load(ctx.store, ledger(pay_in_4("ord_1", status="pending", delivered=None, paid=0)))
    result = act(ctx, "cancel_order", {"order": "ord_1"})
    assert result.refund is None
    with ctx.store.read() as led:
        assert led.refunds(["ord_1"]) == []


def test_cancel_above_the_limit_cancels_at_once_and_holds_the_refund(ctx: ActionContext) -> None:
    # 4 x 1,500 SEK paid = 6,000 SEK > 5,500 SEK limit
    load(ctx.store, ledger(pay_in_4("ord_1", status="pending", delivered=None, paid=4, price="6000.00")))
    result = act(ctx, "cancel_order", {"order": "ord_1"})
    assert result.outcome == "pending_approval" and result.case_id
    with ctx.store.read() as led:
        order = led.order("ord_1")
        (refund,) = led.refunds(["ord_1"])
        (case,) = led.cases()
    assert order is not None and order.status == "cancelled"
    assert refund.status == "pending_approval"
    assert (case.reason, case.status, case.pending) == ("approval", "queued", f"refund:{refund.id}")


def test_exactly_the_limit_needs_no_approval(ctx: ActionContext) -> None:
    load(ctx.store, ledger(pay_in_4("ord_1", status="pending", delivered=None, paid=4, price="5500.00")))
    assert act(ctx, "cancel_order", {"order": "ord_1"}).outcome == "done"


@pytest.mark.parametrize("status", ["shipped", "delivered"])
def test_shipped_or_delivered_is_denied_with_a_return_offer(ctx: ActionContext, status: str) -> None:
    load(ctx.store, ledger(pay_in_4("ord_1", status=status, delivered="2026-11-05" if status == "delivered" else None)))
    with pytest.raises(PolicyRefusal) as info:
        act(ctx, "cancel_order", {"order": "ord_1"})
    assert info.value.code == "already_shipped" and info.value.details["offer"] == "return"


def test_cancelling_twice_is_refused(ctx: ActionContext) -> None:
    load(ctx.store, ledger(pay_in_4("ord_1", status="pending", delivered=None, paid=1)))
    act(ctx, "cancel_order", {"order": "ord_1"})
    with pytest.raises(PolicyRefusal) as info:
        act(ctx, "cancel_order", {"order": "ord_1"})
    assert info.value.code == "order_cancelled"
    with ctx.store.read() as led:
        assert len(led.refunds(["ord_1"])) == 1
