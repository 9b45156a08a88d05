"""The default policy's rules as pure functions of ledger facts (DESIGN.md, "Default policy")."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from paydesk.domain.entities import (
    UNRESOLVED_DISPUTE,
    Charge,
    Customer,
    Dispute,
    Installment,
    Merchant,
    Order,
    Refund,
    Return,
)
from paydesk.domain.money import Money
from paydesk.policy.model import Policy
from paydesk.policy.verdict import ALLOW, Allow, Deny, NeedsApproval


def judge_return(
    order: Order, merchant: Merchant, items: Sequence[str], returns: Sequence[Return], today: date, policy: Policy
) -> Allow | Deny:
    """Delivered, inside the merchant's window, and not already being returned."""
    contact = {"merchant": merchant.name, "support_email": merchant.support_email}
    if order.status != "delivered" or order.delivered is None:
        return Deny("not_delivered", {"status": order.status, **contact})
    last_day = order.delivered + timedelta(days=merchant.return_window_days)
    if today > last_day:
        return Deny("return_window_closed", {"last_day": last_day.isoformat(), **contact})
    skus = {i.sku for i in order.items}
    unknown = [s for s in items if s not in skus]
    if unknown:
        return Deny("unknown_item", {"items": unknown})
    open_items = {s for r in returns if r.order == order.id and r.status != "rejected" for s in r.items}
    clash = sorted(set(items) & open_items)
    if clash:
        return Deny("already_returned", {"items": clash})
    return ALLOW


def return_pause_until(today: date, policy: Policy) -> date:
    return today + timedelta(days=policy.return_.pause_days)


def judge_cancel(order: Order) -> Allow | Deny:
    """Only a pending order can be cancelled; shipped and delivered ones are returned instead."""
    if order.status == "pending":
        return ALLOW
    if order.status in ("shipped", "delivered"):
        return Deny("already_shipped", {"status": order.status, "offer": "return"})
    return Deny(f"order_{order.status}", {"status": order.status})


def judge_payout(amount: Money, market: str, policy: Policy) -> Allow | NeedsApproval:
    """Any single refund or correction strictly above the limit needs a human."""
    limit = policy.approval_limit(amount.currency, market)
    return NeedsApproval(limit) if amount > limit else ALLOW


def judge_dispute(order: Order, disputes: Sequence[Dispute], today: date, policy: Policy) -> Allow | Deny:
    if order.status == "cancelled":
        return Deny("order_cancelled")
    if (today - order.created).days > policy.dispute.max_order_age_days:
        return Deny("dispute_too_late", {"max_days": policy.dispute.max_order_age_days})
    existing = [d for d in disputes if d.order == order.id and d.status in UNRESOLVED_DISPUTE]
    if existing:
        return Deny("dispute_exists", {"dispute": existing[0].id, "status": existing[0].status})
    return ALLOW


def merchant_deadline(today: date, policy: Policy) -> date:
    return today + timedelta(days=policy.dispute.merchant_deadline_days)


def duplicates(charges: Sequence[Charge], policy: Policy) -> list[tuple[Charge, Charge]]:
    """Pairs (original, duplicate): captured, same order, installment and amount, within the window; later one last."""
    window = timedelta(minutes=policy.double_charge.window_minutes)
    captured = sorted((c for c in charges if c.status == "captured"), key=lambda c: (c.at, c.id))
    pairs: list[tuple[Charge, Charge]] = []
    used: set[str] = set()
    for i, first in enumerate(captured):
        if first.id in used:
            continue
        for later in captured[i + 1 :]:
            if later.id in used or later.at - first.at > window:
                continue
            same = (later.order, later.installment, later.amount) == (first.order, first.installment, first.amount)
            if same:
                pairs.append((first, later))
                used |= {first.id, later.id}
                break
    return pairs


def next_installment(order: Order) -> Installment | None:
    """The earliest installment still owed."""
    owed = order.plan.unpaid()
    return owed[0] if owed else None


def judge_extension(order: Order, new_due: date, today: date, policy: Policy) -> Allow | Deny:
    """The next scheduled installment, once, to at most 30 days after its original due date; never an overdue one."""
    if order.plan.status in ("cancelled", "completed"):
        return Deny("plan_closed", {"status": order.plan.status})
    nxt = next_installment(order)
    if nxt is None:
        return Deny("nothing_due")
    if nxt.status in ("overdue", "failed") or nxt.due < today:
        return Deny("installment_overdue", {"seq": nxt.seq, "due": nxt.due.isoformat()})
    if nxt.extended:
        return Deny("already_extended", {"seq": nxt.seq, "due": nxt.due.isoformat()})
    latest = latest_extension(nxt, policy)
    if new_due > latest:
        return Deny("extension_too_long", {"seq": nxt.seq, "latest": latest.isoformat()})
    if new_due <= nxt.due:
        return Deny("extension_not_later", {"seq": nxt.seq, "due": nxt.due.isoformat()})
    return ALLOW


def latest_extension(installment: Installment, policy: Policy) -> date:
    base = installment.original_due or installment.due
    return base + timedelta(days=policy.extension.max_days_after_original_due)


def judge_method(customer: Customer, method_id: str) -> Allow | Deny:
    """Only a method already stored on the customer; the assistant never takes card numbers."""
    if customer.payment_method(method_id) is None:
        return Deny("unknown_payment_method", {"stored": [m.id for m in customer.payment_methods]})
    return ALLOW


def judge_payable(order: Order) -> Allow | Deny:
    if order.plan.status in ("cancelled", "completed"):
        return Deny("plan_closed", {"status": order.plan.status})
    if not order.plan.unpaid():
        return Deny("nothing_due")
    return ALLOW


def refund_overdue_returns(
    returns: Sequence[Return], refunds: Sequence[Refund], today: date, policy: Policy
) -> list[Return]:
    """Returns registered 14+ days ago whose order has no refund in any status: offer a refund_not_received dispute."""
    refunded = {r.order for r in refunds}
    after = policy.refund_status.dispute_offer_after_days
    return [
        r
        for r in returns
        if r.status in ("registered", "received") and r.order not in refunded and (today - r.created).days >= after
    ]
