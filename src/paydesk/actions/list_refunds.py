"""list_refunds (READ): each refund's status and expected date; returns long without a refund."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

from paydesk.actions.base import Action, ActionResult, Args, Call
from paydesk.actions.common import RefundOut, merchant_name, owned_order
from paydesk.policy.rules import refund_overdue_returns


class ListRefundsArgs(Args):
    order: str | None = None


class RefundLine(RefundOut):
    merchant_name: str


class DisputeOffer(BaseModel):
    """A return registered long enough ago with no refund: the customer may open a refund_not_received dispute."""

    order: str
    return_id: str
    registered: date
    merchant_name: str


class ListRefundsResult(ActionResult):
    refunds: list[RefundLine]
    dispute_offers: list[DisputeOffer]


def run(call: Call[ListRefundsArgs]) -> ListRefundsResult:
    """READ. Refunds of one order (Args: order) or all the customer's orders, with status and expected_by, plus
    `dispute_offers`: returns registered 14+ days ago (policy) whose order has no refund at all."""
    ledger = call.ledger
    if call.args.order is not None:
        orders = [owned_order(ledger, call.customer, call.args.order)]
    else:
        orders = ledger.orders_of(call.customer.id)
    ids = [o.id for o in orders]
    names = {o.id: merchant_name(ledger, o.merchant) for o in orders}
    refunds = ledger.refunds(ids)
    offers = refund_overdue_returns(ledger.returns(ids), refunds, call.ctx.today, call.ctx.policy)
    return ListRefundsResult(
        refunds=[RefundLine(**RefundOut.of(r).model_dump(), merchant_name=names[r.order]) for r in refunds],
        dispute_offers=[
            DisputeOffer(order=r.order, return_id=r.id, registered=r.created, merchant_name=names[r.order])
            for r in offers
        ],
    )


ACTION = Action("list_refunds", "READ", ListRefundsArgs, ListRefundsResult, run)
