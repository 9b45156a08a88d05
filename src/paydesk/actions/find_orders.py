"""find_orders (READ): the customer's orders, optionally matched by words or status."""

from __future__ import annotations

import re
import unicodedata

from pydantic import BaseModel, Field

from paydesk.actions.base import Action, ActionResult, Args, Call
from paydesk.actions.common import OrderSummary, merchant_name
from paydesk.domain.entities import Order, OrderStatus


class FindOrdersArgs(Args):
    query: str | None = Field(default=None, max_length=500, description="merchant, product words or an order id")
    status: list[OrderStatus] | None = None
    limit: int = Field(default=20, ge=1, le=200)


class FindOrdersResult(ActionResult):
    orders: list[OrderSummary]


class _Scored(BaseModel):
    score: int
    summary: OrderSummary


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", _fold(text)) if len(w) >= 2}


def score(order: Order, merchant: str, query: str) -> int:
    """How well `query` names the order: an exact id wins, then shared words with merchant and items."""
    folded = _fold(query)
    if _fold(order.id) in folded:
        return 100
    haystack = _words(merchant) | {w for item in order.items for w in _words(item.name)} | _words(order.id)
    # Prefix matches let "shoe" find "shoes" and "Löparskor" find "löparskorna".
    return sum(1 for w in _words(query) if any(h.startswith(w) or w.startswith(h) for h in haystack if len(h) >= 3))


def run(call: Call[FindOrdersArgs]) -> FindOrdersResult:
    """READ. List the signed-in customer's orders, newest first.

    Args: query (optional): words matched against the merchant, item names and order id; only matching orders are
    returned, best match first. status (optional): keep only these order statuses. limit: at most this many.
    """
    args = call.args
    names: dict[str, str] = {}
    scored: list[_Scored] = []
    for order in call.ledger.orders_of(call.customer.id):
        if args.status is not None and order.status not in args.status:
            continue
        name = names.setdefault(order.merchant, merchant_name(call.ledger, order.merchant))
        points = score(order, name, args.query) if args.query else 0
        if args.query and points == 0:
            continue
        scored.append(_Scored(score=points, summary=OrderSummary.of(order, name)))
    scored.sort(key=lambda s: (-s.score, -s.summary.created.toordinal(), s.summary.id))
    return FindOrdersResult(orders=[s.summary for s in scored[: args.limit]])


ACTION = Action("find_orders", "READ", FindOrdersArgs, FindOrdersResult, run)
