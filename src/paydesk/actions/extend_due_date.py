"""extend_due_date (WRITE): move the next installment's due date, once."""

from __future__ import annotations

from datetime import date

from paydesk.actions.base import Action, ActionResult, Args, Call, MoneyOut
from paydesk.actions.common import owned_order
from paydesk.policy.rules import judge_extension, latest_extension, next_installment
from paydesk.policy.verdict import enforce


class ExtendDueDateArgs(Args):
    order: str
    new_due: date | None = None


class ExtendDueDateResult(ActionResult):
    order: str
    seq: int
    original_due: date
    new_due: date
    latest_allowed: date
    amount: MoneyOut
    fee: MoneyOut


def run(call: Call[ExtendDueDateArgs]) -> ExtendDueDateResult:
    """WRITE. Move the next `scheduled` installment of an order to `new_due`: once per installment (extended=false),
    at most 30 days after its original due date (policy), never for an overdue one. The market's extension fee
    (default 0) is added to that installment.

    Args: order; new_due (default: the latest date allowed). Refusals: plan_closed, nothing_due,
    installment_overdue, already_extended, extension_too_long, extension_not_later.
    """
    ledger, ctx, args = call.ledger, call.ctx, call.args
    order = owned_order(ledger, call.customer, args.order, for_update=True)
    nxt = next_installment(order)
    new_due = args.new_due or (latest_extension(nxt, ctx.policy) if nxt else ctx.today)
    enforce(judge_extension(order, new_due, ctx.today, ctx.policy))
    assert nxt is not None  # judge_extension refuses nothing_due
    fee = ctx.policy.extension_fee(call.customer.market, order.currency)
    ledger.set_installment(
        order.id,
        nxt.seq,
        due=new_due,
        extended=True,
        original_due=nxt.due,
        fee_minor=fee.minor if fee.is_positive() else None,
    )
    return ExtendDueDateResult(
        order=order.id,
        seq=nxt.seq,
        original_due=nxt.due,
        new_due=new_due,
        latest_allowed=latest_extension(nxt, ctx.policy),
        amount=MoneyOut.of(nxt.amount),
        fee=MoneyOut.of(fee),
    )


ACTION = Action("extend_due_date", "WRITE", ExtendDueDateArgs, ExtendDueDateResult, run)
