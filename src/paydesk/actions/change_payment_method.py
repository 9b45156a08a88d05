"""change_payment_method (WRITE): switch a plan to another stored method."""

from __future__ import annotations

from paydesk.actions.base import Action, ActionResult, Args, Call
from paydesk.actions.common import owned_order
from paydesk.policy.rules import judge_method
from paydesk.policy.verdict import Deny, enforce


class ChangeMethodArgs(Args):
    order: str
    payment_method: str


class ChangeMethodResult(ActionResult):
    order: str
    old_method: str
    new_method: str
    new_label: str


def run(call: Call[ChangeMethodArgs]) -> ChangeMethodResult:
    """WRITE. Make `payment_method`, which must already be stored on the customer, the method of an open plan (the
    assistant never takes card numbers). Args: order, payment_method.
    Refusals: unknown_payment_method, plan_closed, same_payment_method.
    """
    ledger, args = call.ledger, call.args
    order = owned_order(ledger, call.customer, args.order, for_update=True)
    enforce(judge_method(call.customer, args.payment_method))
    if order.plan.status in ("cancelled", "completed"):
        enforce(Deny("plan_closed", {"status": order.plan.status}))
    if order.plan.payment_method == args.payment_method:
        enforce(Deny("same_payment_method"))
    ledger.set_plan(order.id, payment_method=args.payment_method)
    method = call.customer.payment_method(args.payment_method)
    assert method is not None
    return ChangeMethodResult(
        order=order.id, old_method=order.plan.payment_method, new_method=method.id, new_label=method.label
    )


ACTION = Action("change_payment_method", "WRITE", ChangeMethodArgs, ChangeMethodResult, run)
