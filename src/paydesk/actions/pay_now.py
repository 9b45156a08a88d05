"""pay_now (WRITE): pay the next installment or the whole remaining balance with a stored method."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from paydesk.actions.base import Action, ActionResult, Args, Call, MoneyOut, new_id
from paydesk.actions.common import owned_order
from paydesk.domain.entities import Charge
from paydesk.domain.money import Money
from paydesk.policy.rules import judge_method, judge_payable
from paydesk.policy.verdict import enforce


class PayNowArgs(Args):
    order: str
    scope: Literal["next", "all"] = "next"
    payment_method: str | None = None


class PaidOut(BaseModel):
    charge: str
    seq: int
    amount: MoneyOut


class PayNowResult(ActionResult):
    order: str
    payment_method: str
    paid: list[PaidOut]
    total: MoneyOut
    plan_status: str


def run(call: Call[PayNowArgs]) -> PayNowResult:
    """WRITE. Pay now: the next installment owed (scope `next`) or every installment still owed (`all`), with a
    method stored on the customer (default: the plan's). One `captured` charge per installment paid (its installment =
    the seq, its payment_method = the method used); those installments `paid`; the plan `completed` when nothing is
    left. Args: order, scope, payment_method. Refusals: plan_closed, nothing_due, unknown_payment_method.
    """
    ledger, ctx, args = call.ledger, call.ctx, call.args
    order = owned_order(ledger, call.customer, args.order, for_update=True)
    method = args.payment_method or order.plan.payment_method
    enforce(judge_method(call.customer, method))
    enforce(judge_payable(order))
    owed = order.plan.unpaid()
    paying = owed if args.scope == "all" else owed[:1]
    now = ctx.clock.now()
    charges = [
        Charge(
            id=new_id("ch"),
            order=order.id,
            amount=inst.amount_due,
            status="captured",
            at=now,
            installment=inst.seq,
            payment_method=method,
        )
        for inst in paying
    ]
    ledger.add_charges(charges)
    for inst in paying:
        ledger.set_installment(order.id, inst.seq, status="paid")
    status = order.plan.status
    if len(paying) == len(owed):
        status = "completed"
        ledger.set_plan(order.id, status="completed", paused_until=None)
    total = Money.zero(order.currency)
    for c in charges:
        total = total + c.amount
    return PayNowResult(
        order=order.id,
        payment_method=method,
        paid=[PaidOut(charge=c.id, seq=c.installment or 0, amount=MoneyOut.of(c.amount)) for c in charges],
        total=MoneyOut.of(total),
        plan_status=status,
    )


ACTION = Action("pay_now", "WRITE", PayNowArgs, PayNowResult, run)
