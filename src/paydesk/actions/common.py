"""Shared pieces of actions: ownership checks, output models, approval cases."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from pydantic import BaseModel

from paydesk.actions.base import ActionContext, MoneyOut, new_id
from paydesk.domain.entities import Case, CaseReason, Customer, Installment, Order, Refund
from paydesk.domain.errors import NotFound
from paydesk.domain.money import Money
from paydesk.store.ledger import Ledger


def owned_order(ledger: Ledger, customer: Customer, order_id: str, *, for_update: bool = False) -> Order:
    """The order if it is the customer's; NotFound otherwise (never reveals that another customer's order exists)."""
    order = ledger.order(order_id.strip(), for_update=for_update)
    if order is None or order.customer != customer.id:
        raise NotFound("order", order_id)
    return order


class InstallmentOut(BaseModel):
    seq: int
    due: date
    amount: MoneyOut
    status: str
    extended: bool
    original_due: date | None = None
    fee: MoneyOut | None = None

    @classmethod
    def of(cls, i: Installment) -> InstallmentOut:
        return cls(
            seq=i.seq,
            due=i.due,
            amount=MoneyOut.of(i.amount),
            status=i.status,
            extended=i.extended,
            original_due=i.original_due,
            fee=None if i.fee is None else MoneyOut.of(i.fee),
        )


class OrderSummary(BaseModel):
    """What identifies an order to a customer: merchant, date, amount, items."""

    id: str
    merchant: str
    merchant_name: str
    created: date
    status: str
    delivered: date | None
    total: MoneyOut
    items: list[str]
    plan_kind: str
    plan_status: str

    @classmethod
    def of(cls, order: Order, merchant_name: str) -> OrderSummary:
        return cls(
            id=order.id,
            merchant=order.merchant,
            merchant_name=merchant_name,
            created=order.created,
            status=order.status,
            delivered=order.delivered,
            total=MoneyOut.of(order.total),
            items=[i.name for i in order.items],
            plan_kind=order.plan.kind,
            plan_status=order.plan.status,
        )


class RefundOut(BaseModel):
    id: str
    order: str
    amount: MoneyOut
    status: str
    reason: str
    created: date
    expected_by: date | None

    @classmethod
    def of(cls, r: Refund) -> RefundOut:
        return cls(
            id=r.id,
            order=r.order,
            amount=MoneyOut.of(r.amount),
            status=r.status,
            reason=r.reason,
            created=r.created,
            expected_by=r.expected_by,
        )


def merchant_name(ledger: Ledger, merchant_id: str) -> str:
    merchant = ledger.merchant(merchant_id)
    return merchant.name if merchant is not None else merchant_id


def summary(ledger: Ledger, order: Order) -> OrderSummary:
    return OrderSummary.of(order, merchant_name(ledger, order.merchant))


def new_refund(ctx: ActionContext, order: Order, amount: Money, reason: str, *, pending: bool) -> Refund:
    day = ctx.today
    return Refund(
        id=new_id("rf"),
        order=order.id,
        amount=amount,
        status="pending_approval" if pending else "processing",
        reason=reason,
        created=day,
        expected_by=day + timedelta(days=ctx.policy.refund_status.expected_days),
    )


def approval_case(
    ledger: Ledger, ctx: ActionContext, customer: Customer, *, order: str | None, pending: str, text: str
) -> Case:
    """Open the maker-checker case for a row awaiting a human's approval."""
    return open_case(ledger, ctx, customer, reason="approval", summary=text, order=order, pending=pending)


def open_case(
    ledger: Ledger,
    ctx: ActionContext,
    customer: Customer,
    *,
    reason: CaseReason,
    summary: str,
    order: str | None = None,
    pending: str | None = None,
    created: datetime | None = None,
) -> Case:
    case = Case(
        id=new_id("case"),
        customer=customer.id,
        reason=reason,
        status="queued",
        summary=summary,
        created=created or ctx.clock.now(),
        conversation=ctx.conversation,
        order=order,
        pending=pending,
    )
    ledger.add_cases([case])
    return case
