"""Every action by name."""

from __future__ import annotations

from typing import Any

from paydesk.actions import (
    approvals,
    cancel_order,
    change_payment_method,
    correct_invoice,
    create_case,
    explain_charge,
    explain_failed_payment,
    extend_due_date,
    find_orders,
    get_order,
    list_refunds,
    open_dispute,
    pay_now,
    payment_schedule,
    refund_duplicate_charge,
    report_return,
    review_invoice,
)
from paydesk.actions.base import Action
from paydesk.domain.errors import DeveloperError

ACTIONS: dict[str, Action[Any, Any]] = {
    a.name: a
    for a in (
        find_orders.ACTION,
        get_order.ACTION,
        payment_schedule.ACTION,
        list_refunds.ACTION,
        report_return.ACTION,
        cancel_order.ACTION,
        open_dispute.ACTION,
        refund_duplicate_charge.ACTION,
        explain_failed_payment.ACTION,
        extend_due_date.ACTION,
        pay_now.ACTION,
        change_payment_method.ACTION,
        review_invoice.ACTION,
        correct_invoice.ACTION,
        explain_charge.ACTION,
        create_case.ACTION,
        approvals.APPROVE,
        approvals.REJECT,
    )
}


def get(name: str) -> Action[Any, Any]:
    found = ACTIONS.get(name)
    if found is None:
        raise DeveloperError(f"unknown action {name!r}; known: {', '.join(sorted(ACTIONS))}", code="unknown_action")
    return found
