"""explain_charge (READ): what a charge the customer asks about was for."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from pydantic import BaseModel, Field

from paydesk.actions.base import Action, ActionResult, Args, Call, MoneyOut
from paydesk.actions.common import merchant_name
from paydesk.domain.errors import DeveloperError
from paydesk.domain.money import MINOR_UNITS


class ExplainChargeArgs(Args):
    amount: Decimal | None = Field(default=None, gt=0, max_digits=15, decimal_places=2)
    on: date | None = Field(default=None, description="the day of the charge (±1 day)")
    merchant: str | None = Field(default=None, max_length=200)


class ChargeExplained(BaseModel):
    charge: str
    order: str
    merchant_name: str
    at: datetime
    amount: MoneyOut
    status: str
    items: list[str]


class ExplainChargeResult(ActionResult):
    matches: list[ChargeExplained]


def run(call: Call[ExplainChargeArgs]) -> ExplainChargeResult:
    """READ. The customer's charges matching an amount (exact), a day (±1 day) and/or merchant words, newest first,
    each with merchant, date, amount and the order's items. With no arguments: the 10 latest charges.
    An amount with more decimals than its currency allows (e.g. 12000.5 JPY) is bad input."""
    ledger, args = call.ledger, call.args
    orders = {o.id: o for o in ledger.orders_of(call.customer.id)}
    names = {oid: merchant_name(ledger, o.merchant) for oid, o in orders.items()}
    matches: list[ChargeExplained] = []
    for c in sorted(ledger.charges(list(orders)), key=lambda c: (c.at, c.id), reverse=True):
        order = orders[c.order]
        if args.amount is not None:
            if -args.amount.as_tuple().exponent > MINOR_UNITS[order.currency] and args.amount % 1:  # type: ignore[operator]
                raise DeveloperError(f"{args.amount} has more decimals than {order.currency} allows", code="bad_amount")
            if c.amount.amount != args.amount:
                continue
        if args.on is not None and abs(c.at.date() - args.on) > timedelta(days=1):
            continue
        if args.merchant is not None and args.merchant.casefold() not in names[c.order].casefold():
            continue
        matches.append(
            ChargeExplained(
                charge=c.id,
                order=c.order,
                merchant_name=names[c.order],
                at=c.at,
                amount=MoneyOut.of(c.amount),
                status=c.status,
                items=[i.name for i in order.items],
            )
        )
    no_filter = args.amount is None and args.on is None and args.merchant is None
    return ExplainChargeResult(matches=matches[:10] if no_filter else matches)


ACTION = Action("explain_charge", "READ", ExplainChargeArgs, ExplainChargeResult, run)
