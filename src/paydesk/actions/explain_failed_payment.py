"""explain_failed_payment (READ): why the latest payment failed, and how to pay instead."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from paydesk.actions.base import Action, ActionResult, Args, Call, MoneyOut
from paydesk.actions.common import merchant_name, owned_order


class ExplainFailedArgs(Args):
    order: str | None = None


class FailedCharge(BaseModel):
    id: str
    order: str
    merchant_name: str
    installment: int | None
    amount: MoneyOut
    at: datetime
    decline_reason: str | None
    payment_method: str | None


class MethodOut(BaseModel):
    id: str
    kind: str
    label: str


class ExplainFailedResult(ActionResult):
    charge: FailedCharge | None
    plan_status: str | None
    payment_methods: list[MethodOut]


def run(call: Call[ExplainFailedArgs]) -> ExplainFailedResult:
    """READ. The latest `failed` charge of one order (Args: order) or of all the customer's orders, with its
    decline_reason (insufficient_funds, card_expired, do_not_honor, authentication_failed), and the customer's stored
    methods other than the one that failed (to offer pay-now with another method or a change of method).
    `charge` is None when nothing failed."""
    ledger = call.ledger
    if call.args.order is not None:
        orders = [owned_order(ledger, call.customer, call.args.order)]
    else:
        orders = ledger.orders_of(call.customer.id)
    failed = [c for c in ledger.charges([o.id for o in orders]) if c.status == "failed"]
    methods = call.customer.payment_methods
    if not failed:
        return ExplainFailedResult(
            charge=None,
            plan_status=None,
            payment_methods=[MethodOut(id=m.id, kind=m.kind, label=m.label) for m in methods],
        )
    latest = max(failed, key=lambda c: (c.at, c.id))
    order = next(o for o in orders if o.id == latest.order)
    used = latest.payment_method or order.plan.payment_method
    return ExplainFailedResult(
        charge=FailedCharge(
            id=latest.id,
            order=order.id,
            merchant_name=merchant_name(ledger, order.merchant),
            installment=latest.installment,
            amount=MoneyOut.of(latest.amount),
            at=latest.at,
            decline_reason=latest.decline_reason,
            payment_method=used,
        ),
        plan_status=order.plan.status,
        payment_methods=[MethodOut(id=m.id, kind=m.kind, label=m.label) for m in methods if m.id != used],
    )


ACTION = Action("explain_failed_payment", "READ", ExplainFailedArgs, ExplainFailedResult, run)
