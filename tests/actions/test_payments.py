"""Policy rows: double charge, failed payment, extend due date, pay now, change payment method, unrecognised charge."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from paydesk.actions.base import ActionContext
from paydesk.domain.errors import PolicyRefusal
from tests.actions.helpers import act, snapshot
from tests.conftest import load
from tests.factory import ledger, pay_in_4


def _charge(
    ident: str,
    at: str,
    *,
    seq: int = 2,
    amount: str = "299.75",
    status: str = "captured",
    order: str = "ord_1",
    reason: str | None = None,
) -> dict[str, Any]:
    return {
        "id": ident,
        "order": order,
        "installment": seq,
        "amount": amount,
        "status": status,
        "at": f"2026-11-15T{at}:00+00:00",
        "payment_method": "pm_1",
        "decline_reason": reason,
    }


def test_a_duplicate_within_10_minutes_refunds_the_later_charge(ctx: ActionContext) -> None:
    load(ctx.store, ledger(pay_in_4("ord_1"), charges=[_charge("ch_a", "09:00"), _charge("ch_b", "09:10")]))
    result = act(ctx, "refund_duplicate_charge", {})
    assert (result.charge, result.original_charge, result.refund.status) == ("ch_b", "ch_a", "processing")
    with ctx.store.read() as led:
        statuses = {c.id: c.status for c in led.charges(["ord_1"])}
        (refund,) = led.refunds(["ord_1"])
    assert statuses == {"ch_a": "captured", "ch_b": "refunded"} and str(refund.amount.amount) == "299.75"
    with pytest.raises(PolicyRefusal, match="no duplicate"):  # nothing left to refund
        act(ctx, "refund_duplicate_charge", {"order": "ord_1"})


@pytest.mark.parametrize(
    "second",
    [
        _charge("ch_b", "09:11"),
        _charge("ch_b", "09:05", seq=3),
        _charge("ch_b", "09:05", amount="299.00"),
        _charge("ch_b", "09:05", status="failed", reason="do_not_honor"),
    ],
    ids=["11-minutes", "other-installment", "other-amount", "failed"],
)
def test_no_duplicate_is_explained_not_refunded(ctx: ActionContext, second: dict[str, Any]) -> None:
    load(ctx.store, ledger(pay_in_4("ord_1"), charges=[_charge("ch_a", "09:00"), second]))
    before = snapshot(ctx)
    with pytest.raises(PolicyRefusal) as info:
        act(ctx, "refund_duplicate_charge", {"order": "ord_1"})
    assert info.value.code == "no_duplicate"
    assert snapshot(ctx) == before


def test_a_duplicate_above_the_limit_waits_for_approval(ctx: ActionContext) -> None:
    load(
        ctx.store,
        ledger(
            pay_in_4("ord_1", price="24000.00"),
            charges=[_charge("ch_a", "09:00", amount="6000.00"), _charge("ch_b", "09:02", amount="6000.00")],
        ),
    )
    result = act(ctx, "refund_duplicate_charge", {"charge": "ch_b"})
    assert result.outcome == "pending_approval" and result.refund.status == "pending_approval" and result.case_id


def test_failed_payment_is_explained_with_other_methods(ctx: ActionContext) -> None:
    load(
        ctx.store,
        ledger(
            pay_in_4("ord_1"),
            charges=[
                _charge("ch_old", "08:00", status="failed", reason="card_expired"),
                _charge("ch_new", "09:00", status="failed", reason="insufficient_funds"),
            ],
        ),
    )
    result = act(ctx, "explain_failed_payment", {})
    assert result.charge.id == "ch_new" and result.charge.decline_reason == "insufficient_funds"
    assert [m.id for m in result.payment_methods] == ["pm_2"]


def test_nothing_failed(ctx: ActionContext) -> None:
    load(ctx.store, ledger(pay_in_4("ord_1")))
    assert act(ctx, "explain_failed_payment", {}).charge is None


def test_extend_the_next_installment_once_up_to_30_days(ctx: ActionContext) -> None:
    load(ctx.store, ledger(pay_in_4("ord_1")))  # next: seq 3 due 29 Nov
    with pytest.raises(PolicyRefusal) as too_long:
        act(ctx, "extend_due_date", {"order": "ord_1", "new_due": "2026-12-30"})
    assert too_long.value.code == "extension_too_long" and too_long.value.details["latest"] == "2026-12-29"
    result = act(ctx, "extend_due_date", {"order": "ord_1", "new_due": "2026-12-29"})
    assert (result.seq, result.original_due, result.new_due) == (3, date(2026, 11, 29), date(2026, 12, 29))
    assert result.fee.amount == "0.00"
    with ctx.store.read() as led:
        order = led.order("ord_1")
    assert order is not None
    inst = order.plan.installment(3)
    assert inst is not None and (inst.extended, inst.original_due, inst.fee) == (True, date(2026, 11, 29), None)
    with pytest.raises(PolicyRefusal) as again:
        act(ctx, "extend_due_date", {"order": "ord_1", "new_due": "2026-12-20"})
    assert again.value.code == "already_extended"


def test_extension_defaults_to_the_latest_date_and_charges_the_market_fee(ctx: ActionContext) -> None:
    order = pay_in_4("ord_gb", customer="cus_2", currency="GBP", price="80.00")
    load(ctx.store, ledger(order))
    result = act(ctx, "extend_due_date", {"order": "ord_gb"}, customer="cus_2")
    assert result.new_due == date(2026, 12, 29) and result.fee.amount == "1.50" and result.fee.currency == "GBP"
    schedule = act(ctx, "payment_schedule", {"order": "ord_gb"}, customer="cus_2").plans[0]
    assert schedule.remaining.amount == "41.50"  # two installments of 20.00 plus the fee


def test_an_overdue_installment_cannot_be_extended(ctx: ActionContext) -> None:
    order = pay_in_4("ord_1")
    order["plan"]["installments"][1]["status"] = "overdue"
    load(ctx.store, ledger(order))
    with pytest.raises(PolicyRefusal) as info:
        act(ctx, "extend_due_date", {"order": "ord_1", "new_due": "2026-12-01"})
    assert info.value.code == "installment_overdue"


def test_pay_now_next_and_all(ctx: ActionContext) -> None:
    load(ctx.store, ledger(pay_in_4("ord_1")))
    nxt = act(ctx, "pay_now", {"order": "ord_1", "payment_method": "pm_2"})
    assert [p.seq for p in nxt.paid] == [3] and nxt.plan_status == "active"
    rest = act(ctx, "pay_now", {"order": "ord_1", "scope": "all"})
    assert [p.seq for p in rest.paid] == [4] and rest.plan_status == "completed" and rest.total.amount == "299.75"
    with ctx.store.read() as led:
        charges = [(c.installment, c.payment_method, c.status) for c in led.charges(["ord_1"])]
        order = led.order("ord_1")
    assert sorted(charges) == [(3, "pm_2", "captured"), (4, "pm_1", "captured")]
    assert order is not None and order.plan.status == "completed"
    with pytest.raises(PolicyRefusal) as info:
        act(ctx, "pay_now", {"order": "ord_1"})
    assert info.value.code == "plan_closed"


def test_pay_now_only_with_a_stored_method(ctx: ActionContext) -> None:
    load(ctx.store, ledger(pay_in_4("ord_1")))
    with pytest.raises(PolicyRefusal) as info:
        act(ctx, "pay_now", {"order": "ord_1", "payment_method": "4111111111111111"})
    assert info.value.code == "unknown_payment_method"


def test_change_payment_method_to_a_stored_one_only(ctx: ActionContext) -> None:
    load(ctx.store, ledger(pay_in_4("ord_1")))
    result = act(ctx, "change_payment_method", {"order": "ord_1", "payment_method": "pm_2"})
    assert (result.old_method, result.new_method, result.new_label) == ("pm_1", "pm_2", "Bank account •••• 9911")
    with pytest.raises(PolicyRefusal) as unknown:
        act(ctx, "change_payment_method", {"order": "ord_1", "payment_method": "pm_77"})
    assert unknown.value.code == "unknown_payment_method"
    with pytest.raises(PolicyRefusal) as same:
        act(ctx, "change_payment_method", {"order": "ord_1", "payment_method": "pm_2"})
    assert same.value.code == "same_payment_method"


def test_unrecognised_charge_shows_merchant_date_amount_and_items(ctx: ActionContext) -> None:
    load(
        ctx.store,
        ledger(pay_in_4("ord_1"), charges=[_charge("ch_a", "09:00"), _charge("ch_b", "10:00", seq=1, amount="100.00")]),
    )
    (match,) = act(ctx, "explain_charge", {"amount": "299.75"}).matches
    assert (match.charge, match.merchant_name, match.items) == ("ch_a", "Nordic Shoes", ["Löparskor"])
    assert [m.charge for m in act(ctx, "explain_charge", {"on": "2026-11-16"}).matches] == ["ch_b", "ch_a"]
    assert act(ctx, "explain_charge", {"on": "2026-11-17"}).matches == []
    assert len(act(ctx, "explain_charge", {"merchant": "nordic"}).matches) == 2


def test_schedule_of_all_open_plans(ctx: ActionContext) -> None:
    load(ctx.store, ledger(pay_in_4("ord_1"), pay_in_4("ord_2", paid=4, plan_status="completed")))
    plans = act(ctx, "payment_schedule", {}).plans
    assert [p.order for p in plans] == ["ord_1"]
    assert plans[0].remaining.amount == "599.50" and plans[0].next_due.seq == 3


def test_find_orders_by_words_and_id(ctx: ActionContext) -> None:
    tv = pay_in_4("ord_tv", merchant="mer_2")
    tv["items"][0].update(name="OLED television", sku="TV-1")
    load(ctx.store, ledger(pay_in_4("ord_1"), tv, pay_in_4("ord_bob", customer="cus_2", currency="GBP")))
    assert [o.id for o in act(ctx, "find_orders", {"query": "the shoes from nordic"}).orders] == ["ord_1"]
    assert [o.id for o in act(ctx, "find_orders", {"query": "television"}).orders] == ["ord_tv"]
    assert [o.id for o in act(ctx, "find_orders", {"query": "order ORD_TV please"}).orders] == ["ord_tv"]
    assert act(ctx, "find_orders", {"query": "ord_bob"}).orders == []  # never another customer's
    assert len(act(ctx, "find_orders", {}).orders) == 2
