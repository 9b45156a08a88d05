"""report_return (WRITE): register a return and pause the payment plan."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from paydesk.actions.base import Action, ActionResult, Args, Call, new_id
from paydesk.actions.common import owned_order
from paydesk.domain.entities import Return
from paydesk.policy.rules import judge_return, return_pause_until
from paydesk.policy.verdict import enforce


class ReportReturnArgs(Args):
    order: str
    items: list[str] | None = Field(default=None, description="SKUs to return; all items when omitted")
    reason: str = Field(default="", max_length=500)


class ReportReturnResult(ActionResult):
    return_id: str
    order: str
    items: list[str]
    plan_status: str
    paused_until: date | None


def run(call: Call[ReportReturnArgs]) -> ReportReturnResult:
    """WRITE. Register a return of some or all items of a delivered order inside the merchant's return window, and
    pause the whole plan until today + 21 days (policy) so nothing is collected meanwhile; due dates do not move.

    Args: order; items (SKUs, default all); reason (free text). A completed or cancelled plan stays as it is; a plan
    already paused without end (a dispute) stays paused without end.
    Refusals: not_delivered, return_window_closed (with the merchant's contact), unknown_item, already_returned.
    """
    ledger, ctx, args = call.ledger, call.ctx, call.args
    order = owned_order(ledger, call.customer, args.order, for_update=True)
    merchant = ledger.merchant(order.merchant)
    assert merchant is not None  # foreign key
    items = list(dict.fromkeys(args.items)) if args.items else [i.sku for i in order.items]
    enforce(judge_return(order, merchant, items, ledger.returns([order.id]), ctx.today, ctx.policy))
    ret = Return(
        id=new_id("ret"), order=order.id, items=items, reason=args.reason, status="registered", created=ctx.today
    )
    ledger.add_returns([ret])
    plan = order.plan
    paused_until = plan.paused_until
    status = plan.status
    if plan.status == "active" or (plan.status == "paused" and plan.paused_until is not None):
        until = return_pause_until(ctx.today, ctx.policy)
        paused_until = max(until, plan.paused_until) if plan.paused_until else until
        status = "paused"
        ledger.set_plan(order.id, status=status, paused_until=paused_until)
    return ReportReturnResult(
        return_id=ret.id, order=order.id, items=items, plan_status=status, paused_until=paused_until
    )


ACTION = Action("report_return", "WRITE", ReportReturnArgs, ReportReturnResult, run)
