"""open_dispute (WRITE): open a dispute with the merchant and pause the plan until it is resolved."""

from __future__ import annotations

from datetime import date

from paydesk.actions.base import Action, ActionResult, Args, Call, new_id
from paydesk.actions.common import owned_order
from paydesk.domain.entities import Dispute, DisputeReason
from paydesk.policy.rules import judge_dispute, merchant_deadline
from paydesk.policy.verdict import enforce


class OpenDisputeArgs(Args):
    order: str
    reason: DisputeReason


class OpenDisputeResult(ActionResult):
    dispute_id: str
    order: str
    reason: str
    merchant_deadline: date
    plan_status: str


def run(call: Call[OpenDisputeArgs]) -> OpenDisputeResult:
    """WRITE. Open a dispute on an order that is not cancelled and was created within 180 days (policy): dispute
    `open`, merchant_deadline = today + 14 days, plan `paused` with no end date until the dispute is resolved
    (a completed plan stays completed). One unresolved dispute per order.

    Args: order; reason (not_received, faulty, wrong_item, not_as_described, refund_not_received,
    cancelled_but_charged). Refusals: order_cancelled, dispute_too_late, dispute_exists.
    """
    ledger, ctx, args = call.ledger, call.ctx, call.args
    order = owned_order(ledger, call.customer, args.order, for_update=True)
    enforce(judge_dispute(order, ledger.disputes([order.id]), ctx.today, ctx.policy))
    dispute = Dispute(
        id=new_id("dsp"),
        order=order.id,
        reason=args.reason,
        status="open",
        created=ctx.today,
        merchant_deadline=merchant_deadline(ctx.today, ctx.policy),
    )
    ledger.add_disputes([dispute])
    status = order.plan.status
    if status in ("active", "paused"):
        status = "paused"
        ledger.set_plan(order.id, status="paused", paused_until=None)
    return OpenDisputeResult(
        dispute_id=dispute.id,
        order=order.id,
        reason=args.reason,
        merchant_deadline=dispute.merchant_deadline,
        plan_status=status,
    )


ACTION = Action("open_dispute", "WRITE", OpenDisputeArgs, OpenDisputeResult, run)
