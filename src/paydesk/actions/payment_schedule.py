"""payment_schedule (READ): what is due when, and what is left to pay."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

from paydesk.actions.base import Action, ActionResult, Args, Call, MoneyOut
from paydesk.actions.common import InstallmentOut, merchant_name, owned_order
from paydesk.domain.entities import Order
from paydesk.domain.money import Money


class PaymentScheduleArgs(Args):
    order: str | None = None


class PlanOut(BaseModel):
    order: str
    merchant_name: str
    kind: str
    status: str
    paused_until: date | None
    payment_method: str
    installments: list[InstallmentOut]
    remaining: MoneyOut
    next_due: InstallmentOut | None


class PaymentScheduleResult(ActionResult):
    plans: list[PlanOut]


def remaining(order: Order) -> Money:
    result = Money.zero(order.currency)
    for inst in order.plan.unpaid():
        result = result + inst.amount_due
    return result


def run(call: Call[PaymentScheduleArgs]) -> PaymentScheduleResult:
    """READ. The schedule of one order (Args: order) or of every active or paused plan of the customer (no args):
    installments with due dates and statuses, the remaining balance and the next payment due."""
    ledger = call.ledger
    if call.args.order is not None:
        orders = [owned_order(ledger, call.customer, call.args.order)]
    else:
        orders = [o for o in ledger.orders_of(call.customer.id) if o.plan.status in ("active", "paused")]
    plans = []
    for order in orders:
        unpaid = order.plan.unpaid()
        plans.append(
            PlanOut(
                order=order.id,
                merchant_name=merchant_name(ledger, order.merchant),
                kind=order.plan.kind,
                status=order.plan.status,
                paused_until=order.plan.paused_until,
                payment_method=order.plan.payment_method,
                installments=[InstallmentOut.of(i) for i in order.plan.installments],
                remaining=MoneyOut.of(remaining(order)),
                next_due=InstallmentOut.of(unpaid[0]) if unpaid else None,
            )
        )
    return PaymentScheduleResult(plans=plans)


ACTION = Action("payment_schedule", "READ", PaymentScheduleArgs, PaymentScheduleResult, run)
