"""refund_duplicate_charge (WRITE): refund the later of two identical charges."""

from __future__ import annotations

from datetime import datetime

from paydesk.actions.base import Action, ActionContext, ActionResult, Args, Call, MoneyOut
from paydesk.actions.common import RefundOut, approval_case, new_refund, owned_order
from paydesk.domain.entities import Charge
from paydesk.policy.rules import duplicates, judge_payout
from paydesk.policy.verdict import Deny, NeedsApproval


class RefundDuplicateArgs(Args):
    order: str | None = None
    charge: str | None = None


class RefundDuplicateResult(ActionResult):
    order: str
    charge: str
    original_charge: str
    amount: MoneyOut
    charged_at: datetime
    refund: RefundOut
    case_id: str | None = None


def run(call: Call[RefundDuplicateArgs]) -> RefundDuplicateResult:
    """WRITE. Find a duplicate (two `captured` charges on the same order and installment with the same amount within
    10 minutes, policy) and refund the later one: charge `refunded`, refund `processing` (`pending_approval` with an
    `approval` case above the limit).

    Args: order (optional: else the customer's orders are searched, newest duplicate first); charge (optional: the
    charge the customer means; it must be the later charge of a duplicate pair). Refusals: no_duplicate.
    """
    ledger, ctx, args = call.ledger, call.ctx, call.args
    order_id = args.order
    if order_id is None:  # find the newest duplicate first, then lock its order and look again
        found = _pairs(ledger.charges([o.id for o in ledger.orders_of(call.customer.id)]), ctx, args.charge)
        order_id = max(found, key=lambda p: p[1].at)[1].order if found else None
    if order_id is None:
        raise Deny("no_duplicate", {}).refusal()
    order = owned_order(ledger, call.customer, order_id, for_update=True)
    pairs = _pairs(ledger.charges([order.id]), ctx, args.charge)
    if not pairs:
        raise Deny("no_duplicate", {"order": order.id}).refusal()
    original, dup = max(pairs, key=lambda p: p[1].at)
    ledger.set_charge(dup.id, status="refunded")
    verdict = judge_payout(dup.amount, call.customer.market, ctx.policy)
    pending = isinstance(verdict, NeedsApproval)
    refund = new_refund(ctx, order, dup.amount, "duplicate_charge", pending=pending)
    ledger.add_refunds([refund])
    case_id = None
    if isinstance(verdict, NeedsApproval):
        case_id = approval_case(
            ledger,
            ctx,
            call.customer,
            order=order.id,
            pending=f"refund:{refund.id}",
            text=f"Refund of duplicate charge {dup.id} ({dup.amount}) exceeds the limit of {verdict.limit}.",
        ).id
    return RefundDuplicateResult(
        outcome="pending_approval" if case_id else "done",
        order=order.id,
        charge=dup.id,
        original_charge=original.id,
        amount=MoneyOut.of(dup.amount),
        charged_at=dup.at,
        refund=RefundOut.of(refund),
        case_id=case_id,
    )


def _pairs(charges: list[Charge], ctx: ActionContext, charge: str | None) -> list[tuple[Charge, Charge]]:
    pairs = duplicates(charges, ctx.policy)
    return [p for p in pairs if charge in (p[0].id, p[1].id)] if charge is not None else pairs


ACTION = Action("refund_duplicate_charge", "WRITE", RefundDuplicateArgs, RefundDuplicateResult, run)
