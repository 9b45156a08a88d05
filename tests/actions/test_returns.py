"""Policy rows: return, refund status."""

from __future__ import annotations

from datetime import date

import pytest

from paydesk.actions.base import ActionContext
from paydesk.domain.errors import PolicyRefusal
from tests.actions.helpers import act, snapshot
from tests.conftest import load
from tests.factory import ledger, pay_in_4


def _plan(ctx: ActionContext, order: str) -> tuple[str, date | None]:
    with ctx.store.read() as led:
        found = led.order(order)
    assert found is not None
    return found.plan.status, found.plan.paused_until


def test_in_window_return_registers_and_pauses_the_whole_plan(ctx: ActionContext) -> None:
    load(ctx.store, ledger(pay_in_4("ord_1")))
    result = act(ctx, "report_return", {"order": "ord_1", "reason": "För små"})
    assert result.outcome == "done" and result.items == ["SH-42"]
    assert _plan(ctx, "ord_1") == ("paused", date(2026, 12, 13))  # today + 21 days
    with ctx.store.read() as led:
        (ret,) = led.returns(["ord_1"])
        order = led.order("ord_1")
        assert led.refunds(["ord_1"]) == []  # a return is not a refund
    assert (ret.status, ret.reason, ret.created) == ("registered", "För små", date(2026, 11, 22))
    assert order is not None and [i.due for i in order.plan.installments][2] == date(2026, 11, 29)  # no due date moves


def test_return_of_some_items(ctx: ActionContext) -> None:
    order = pay_in_4("ord_1")
    order["items"] = [
        {"sku": "A", "name": "Shirt", "qty": 1, "price": "599.50"},
        {"sku": "B", "name": "Cap", "qty": 1, "price": "599.50"},
    ]
    load(ctx.store, ledger(order))
    assert act(ctx, "report_return", {"order": "ord_1", "items": ["B"]}).items == ["B"]
    with pytest.raises(PolicyRefusal) as info:
        act(ctx, "report_return", {"order": "ord_1", "items": ["B"]})
    assert info.value.code == "already_returned"
    assert act(ctx, "report_return", {"order": "ord_1", "items": ["A"]}).items == ["A"]
    with pytest.raises(PolicyRefusal) as unknown:
        act(ctx, "report_return", {"order": "ord_1", "items": ["Z"]})
    assert unknown.value.code == "unknown_item"


def test_last_day_of_the_window_is_inside(ctx: ActionContext) -> None:
    load(ctx.store, ledger(pay_in_4("ord_1", created="2026-10-20", delivered="2026-10-23")))  # 23 Oct + 30 = 22 Nov
    assert act(ctx, "report_return", {"order": "ord_1"}).outcome == "done"


def test_outside_the_window_is_denied_with_the_merchants_contact(ctx: ActionContext) -> None:
    load(ctx.store, ledger(pay_in_4("ord_1", created="2026-10-18", delivered="2026-10-22")))
    before = snapshot(ctx)
    with pytest.raises(PolicyRefusal) as info:
        act(ctx, "report_return", {"order": "ord_1"})
    assert info.value.code == "return_window_closed"
    assert info.value.details["last_day"] == "2026-11-21"
    assert info.value.details["merchant"] == "Nordic Shoes"
    assert info.value.details["support_email"] == "help@nordicshoes.example"
    assert snapshot(ctx) == before


def test_merchant_window_is_the_merchants_own(ctx: ActionContext) -> None:
    load(ctx.store, ledger(pay_in_4("ord_1", merchant="mer_2", created="2026-11-01", delivered="2026-11-05")))
    with pytest.raises(PolicyRefusal, match="return window closed"):  # Pixel Electronics: 14 days
        act(ctx, "report_return", {"order": "ord_1"})


@pytest.mark.parametrize("status", ["pending", "shipped", "cancelled"])
def test_only_delivered_orders_can_be_returned(ctx: ActionContext, status: str) -> None:
    load(ctx.store, ledger(pay_in_4("ord_1", status=status, delivered=None)))
    with pytest.raises(PolicyRefusal) as info:
        act(ctx, "report_return", {"order": "ord_1"})
    assert info.value.code == "not_delivered"


def test_a_completed_plan_stays_completed_on_return(ctx: ActionContext) -> None:
    load(ctx.store, ledger(pay_in_4("ord_1", paid=4, plan_status="completed")))
    result = act(ctx, "report_return", {"order": "ord_1"})
    assert result.plan_status == "completed" and _plan(ctx, "ord_1") == ("completed", None)


def test_refund_status_reports_status_and_expected_date(ctx: ActionContext) -> None:
    load(
        ctx.store,
        ledger(
            pay_in_4("ord_1"),
            refunds=[
                {
                    "id": "rf_1",
                    "order": "ord_1",
                    "amount": "299.75",
                    "status": "processing",
                    "reason": "return",
                    "created": "2026-11-18",
                    "expected_by": "2026-11-28",
                }
            ],
        ),
    )
    result = act(ctx, "list_refunds")
    (refund,) = result.refunds
    assert (refund.status, str(refund.expected_by), refund.merchant_name) == (
        "processing",
        "2026-11-28",
        "Nordic Shoes",
    )
    assert result.dispute_offers == []


@pytest.mark.parametrize(("registered", "offered"), [("2026-11-08", True), ("2026-11-09", False)])
def test_a_return_14_days_without_refund_offers_a_dispute(ctx: ActionContext, registered: str, offered: bool) -> None:
    load(
        ctx.store,
        ledger(
            pay_in_4("ord_1"),
            returns=[
                {
                    "id": "ret_1",
                    "order": "ord_1",
                    "items": ["SH-42"],
                    "reason": "x",
                    "status": "registered",
                    "created": registered,
                }
            ],
        ),
    )
    offers = act(ctx, "list_refunds").dispute_offers
    assert [o.return_id for o in offers] == (["ret_1"] if offered else [])
