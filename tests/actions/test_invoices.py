"""Policy row: invoice error (duplicate line, missing refund, wrong amount), and the approval limit."""

from __future__ import annotations

from typing import Any

import pytest

from paydesk.actions.base import ActionContext
from paydesk.domain.errors import NotFound, PolicyRefusal
from tests.actions.helpers import act
from tests.conftest import load
from tests.factory import ledger, pay_in_4

REFUND = {
    "id": "rf_1",
    "order": "ord_1",
    "amount": "50.00",
    "status": "completed",
    "reason": "goodwill",
    "created": "2026-11-03",
    "expected_by": "2026-11-13",
    "completed": "2026-11-06",
}


def _invoice(*lines: tuple[str, str]) -> dict[str, Any]:
    return {
        "id": "inv_1",
        "customer": "cus_1",
        "period": "2026-11",
        "lines": [{"kind": k, "order": "ord_1", "amount": a} for k, a in lines],
    }


CORRECT = [("installment", "299.75"), ("installment", "299.75"), ("installment", "299.75"), ("refund", "-50.00")]


def test_a_correct_invoice_has_no_discrepancy(ctx: ActionContext) -> None:
    load(ctx.store, ledger(pay_in_4("ord_1"), refunds=[REFUND], invoices=[_invoice(*CORRECT)]))
    review = act(ctx, "review_invoice", {})
    assert review.discrepancies == [] and review.total.amount == "849.25" and len(review.lines) == 4
    with pytest.raises(PolicyRefusal) as info:
        act(ctx, "correct_invoice", {"invoice": "inv_1"})
    assert info.value.code == "no_discrepancy"


@pytest.mark.parametrize(
    ("lines", "reason", "amount"),
    [
        ([*CORRECT, ("installment", "299.75")], "duplicate_line", "299.75"),
        (CORRECT[:3], "missing_refund", "50.00"),
        (
            [("installment", "299.75"), ("installment", "299.75"), ("installment", "329.75"), ("refund", "-50.00")],
            "wrong_amount",
            "30.00",
        ),
    ],
)
def test_each_discrepancy_is_corrected_once(
    ctx: ActionContext, lines: list[tuple[str, str]], reason: str, amount: str
) -> None:
    load(ctx.store, ledger(pay_in_4("ord_1"), refunds=[REFUND], invoices=[_invoice(*lines)]))
    (found,) = act(ctx, "review_invoice", {"period": "2026-11"}).discrepancies
    assert (found.reason, found.correction.amount, found.handled_by) == (reason, amount, None)
    result = act(ctx, "correct_invoice", {})
    (corr,) = result.corrections
    assert (corr.reason, corr.amount.amount, corr.status) == (reason, amount, "applied")
    review = act(ctx, "review_invoice", {})
    assert review.discrepancies[0].handled_by == corr.id
    assert review.corrected_total.amount == "849.25"  # what the ledger implies
    with pytest.raises(PolicyRefusal):
        act(ctx, "correct_invoice", {})


def test_a_correction_above_the_limit_waits_for_approval(ctx: ActionContext) -> None:
    load(
        ctx.store,
        ledger(
            pay_in_4("ord_1", price="24000.00"),
            invoices=[
                _invoice(
                    ("installment", "6000.00"),
                    ("installment", "6000.00"),
                    ("installment", "6000.00"),
                    ("installment", "6000.00"),
                )
            ],
        ),
    )
    result = act(ctx, "correct_invoice", {})
    assert result.outcome == "pending_approval" and result.corrections[0].status == "pending_approval"
    assert len(result.case_ids) == 1
    assert result.corrected_total.amount == "24000.00"  # nothing applied until a human approves


def test_another_customers_invoice_is_not_found(ctx: ActionContext) -> None:
    load(ctx.store, ledger(pay_in_4("ord_1"), invoices=[_invoice(*CORRECT)]))
    with pytest.raises(NotFound):
        act(ctx, "review_invoice", {"invoice": "inv_1"}, customer="cus_2")
