"""get_order (READ): one order with its plan, charges, refunds, returns and disputes."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel

from paydesk.actions.base import Action, ActionResult, Args, Call, MoneyOut
from paydesk.actions.common import InstallmentOut, OrderSummary, RefundOut, owned_order, summary


class GetOrderArgs(Args):
    order: str


class ItemOut(BaseModel):
    sku: str
    name: str
    qty: int
    price: MoneyOut


class ChargeOut(BaseModel):
    id: str
    installment: int | None
    amount: MoneyOut
    status: str
    at: datetime
    payment_method: str | None
    decline_reason: str | None


class ReturnOut(BaseModel):
    id: str
    items: list[str]
    reason: str
    status: str
    created: date


class DisputeOut(BaseModel):
    id: str
    reason: str
    status: str
    created: date
    merchant_deadline: date


class GetOrderResult(ActionResult):
    order: OrderSummary
    items: list[ItemOut]
    payment_method: str
    paused_until: date | None
    installments: list[InstallmentOut]
    charges: list[ChargeOut]
    refunds: list[RefundOut]
    returns: list[ReturnOut]
    disputes: list[DisputeOut]


def run(call: Call[GetOrderArgs]) -> GetOrderResult:
    """READ. Everything about one of the customer's orders. Args: order (id). NotFound if it is not theirs."""
    ledger = call.ledger
    order = owned_order(ledger, call.customer, call.args.order)
    ids = [order.id]
    return GetOrderResult(
        order=summary(ledger, order),
        items=[ItemOut(sku=i.sku, name=i.name, qty=i.qty, price=MoneyOut.of(i.price)) for i in order.items],
        payment_method=order.plan.payment_method,
        paused_until=order.plan.paused_until,
        installments=[InstallmentOut.of(i) for i in order.plan.installments],
        charges=[
            ChargeOut(
                id=c.id,
                installment=c.installment,
                amount=MoneyOut.of(c.amount),
                status=c.status,
                at=c.at,
                payment_method=c.payment_method,
                decline_reason=c.decline_reason,
            )
            for c in ledger.charges(ids)
        ],
        refunds=[RefundOut.of(r) for r in ledger.refunds(ids)],
        returns=[
            ReturnOut(id=r.id, items=r.items, reason=r.reason, status=r.status, created=r.created)
            for r in ledger.returns(ids)
        ],
        disputes=[
            DisputeOut(
                id=d.id, reason=d.reason, status=d.status, created=d.created, merchant_deadline=d.merchant_deadline
            )
            for d in ledger.disputes(ids)
        ],
    )


ACTION = Action("get_order", "READ", GetOrderArgs, GetOrderResult, run)
