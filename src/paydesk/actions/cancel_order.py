"""cancel_order (WRITE): cancel a pending order and refund what was paid."""

from __future__ import annotations

from paydesk.actions.base import Action, ActionResult, Args, Call, MoneyOut
from paydesk.actions.common import RefundOut, approval_case, new_refund, owned_order
from paydesk.domain.money import Money
from paydesk.policy.rules import judge_cancel, judge_payout
from paydesk.policy.verdict import NeedsApproval, enforce


class CancelOrderArgs(Args):
    order: str


class CancelOrderResult(ActionResult):
    order: str
    paid: MoneyOut
    refund: RefundOut | None
    installments_cancelled: int
    case_id: str | None = None


def run(call: Call[CancelOrderArgs]) -> CancelOrderResult:
    """WRITE. Cancel a `pending` order: order and plan `cancelled`, scheduled installments `cancelled`, and one refund
    `processing` of everything already paid (none if nothing was paid). Above the approval limit the refund is
    `pending_approval` with an `approval` case, and the cancellation still happens at once.

    Args: order. Refusals: already_shipped (offer a return), order_cancelled, order_returned.
    """
    ledger, ctx = call.ledger, call.ctx
    order = owned_order(ledger, call.customer, call.args.order, for_update=True)
    enforce(judge_cancel(order))
    paid = Money.zero(order.currency)
    for inst in order.plan.installments:
        if inst.status == "paid":
            paid = paid + inst.amount_due
    to_cancel = [i for i in order.plan.installments if i.status in ("scheduled", "failed", "overdue")]
    ledger.set_order(order.id, status="cancelled")
    ledger.set_plan(order.id, status="cancelled", paused_until=None)
    for inst in to_cancel:
        ledger.set_installment(order.id, inst.seq, status="cancelled")
    refund = None
    case_id = None
    if paid.is_positive():
        verdict = judge_payout(paid, call.customer.market, ctx.policy)
        pending = isinstance(verdict, NeedsApproval)
        refund = new_refund(ctx, order, paid, "order_cancelled", pending=pending)
        ledger.add_refunds([refund])
        if isinstance(verdict, NeedsApproval):
            case_id = approval_case(
                ledger,
                ctx,
                call.customer,
                order=order.id,
                pending=f"refund:{refund.id}",
                text=f"Refund of {paid} for cancelled order {order.id} exceeds the limit of {verdict.limit}.",
            ).id
    return CancelOrderResult(
        outcome="pending_approval" if case_id else "done",
        order=order.id,
        paid=MoneyOut.of(paid),
        refund=RefundOut.of(refund) if refund else None,
        installments_cancelled=len(to_cancel),
        case_id=case_id,
    )


ACTION = Action("cancel_order", "WRITE", CancelOrderArgs, CancelOrderResult, run)
