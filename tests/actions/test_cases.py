"""Handoff cases and the maker-checker approval of held refunds and corrections."""

from __future__ import annotations

import pytest

from paydesk.actions.base import ActionContext
from paydesk.domain.errors import ApprovalNeeded, PolicyRefusal
from tests.actions.helpers import act
from tests.conftest import load
from tests.factory import ledger, pay_in_4


def test_create_case_needs_no_confirmation_and_is_not_duplicated(ctx: ActionContext) -> None:
    load(ctx.store, ledger(pay_in_4("ord_1")))
    first = act(ctx, "create_case", {"reason": "customer_request", "summary": "Wants a person."}, confirm=False)
    again = act(ctx, "create_case", {"reason": "fraud", "summary": "Second ask."}, confirm=False)
    assert first.outcome == "done" and again.case_id == first.case_id
    with ctx.store.read() as led:
        (case,) = led.cases()
    assert (case.status, case.reason, case.conversation) == ("queued", "customer_request", "conv_test")


def _held(ctx: ActionContext) -> str:
    load(ctx.store, ledger(pay_in_4("ord_1", status="pending", delivered=None, paid=4, price="6000.00")))
    case_id: str = act(ctx, "cancel_order", {"order": "ord_1"}).case_id
    return case_id


def test_an_agent_approves_a_held_refund(ctx: ActionContext) -> None:
    case_id = _held(ctx)
    result = act(ctx.with_actor("agent:maria"), "approve", {"case": case_id})
    assert result.status == "processing"
    with ctx.store.read() as led:
        (refund,) = led.refunds(["ord_1"])
        case = led.case(case_id)
    assert refund.status == "processing" and case is not None and (case.status, case.assignee) == ("resolved", "maria")
    with pytest.raises(PolicyRefusal) as info:
        act(ctx.with_actor("agent:maria"), "approve", {"case": case_id})
    assert info.value.code == "case_closed"


def test_an_agent_rejects_a_held_refund(ctx: ActionContext) -> None:
    case_id = _held(ctx)
    assert act(ctx.with_actor("agent:maria"), "reject", {"case": case_id}).status == "failed"


def test_the_assistant_cannot_approve(ctx: ActionContext) -> None:
    case_id = _held(ctx)
    with pytest.raises(ApprovalNeeded):
        act(ctx, "approve", {"case": case_id})
    with ctx.store.read() as led:
        assert led.refunds(["ord_1"])[0].status == "pending_approval"


def test_a_rejected_correction_is_not_proposed_again(ctx: ActionContext) -> None:
    load(
        ctx.store,
        ledger(
            pay_in_4("ord_1", price="24000.00"),
            invoices=[
                {
                    "id": "inv_1",
                    "customer": "cus_1",
                    "period": "2026-11",
                    "lines": [{"kind": "installment", "order": "ord_1", "amount": "6000.00"} for _ in range(4)],
                }
            ],
        ),
    )
    (case_id,) = act(ctx, "correct_invoice", {}).case_ids
    assert act(ctx.with_actor("agent:li"), "reject", {"case": case_id}).status == "rejected"
    with pytest.raises(PolicyRefusal):
        act(ctx, "correct_invoice", {})
