"""A realistic, deterministic demo ledger (same seed and day, same ledger)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from paydesk.domain import entities as e
from paydesk.domain.invoicing import expected_lines
from paydesk.domain.money import MINOR_UNITS, Money
from paydesk.domain.schedules import default_schedule
from paydesk.store.demo_catalog import CATEGORIES, MARKET_WEIGHTS, MARKETS, MERCHANTS
from paydesk.store.fixture_models import LedgerData

DECLINES: tuple[e.DeclineReason, ...] = ("insufficient_funds", "card_expired", "do_not_honor", "authentication_failed")
CARD_BRANDS = ("Visa", "Mastercard", "Amex")


@dataclass
class _Builder:
    rng: random.Random
    today: date
    data: LedgerData = field(default_factory=LedgerData)
    _n: dict[str, int] = field(default_factory=dict)
    _order_ids: set[str] = field(default_factory=set)

    def next_id(self, prefix: str) -> str:
        self._n[prefix] = self._n.get(prefix, 0) + 1
        return f"{prefix}_{self._n[prefix]:05d}"

    def order_id(self) -> str:
        while True:
            ident = f"{self.rng.randint(1000, 9999)}-{self.rng.randint(0, 9999):04d}"
            if ident not in self._order_ids:
                self._order_ids.add(ident)
                return ident

    def at(self, day: date) -> datetime:
        seconds = self.rng.randint(7 * 3600, 22 * 3600)
        return datetime.combine(day, time(0, 0), UTC) + timedelta(seconds=seconds)


def demo_ledger(seed: int = 7, today: date | None = None, customers: int = 700) -> LedgerData:
    """Build the demo ledger: 19 markets, 48 merchants, about 2,400 orders in every status and plan kind, failed
    and duplicate charges, refunds in every state, returns, disputes, invoices with and without errors, queued cases."""
    b = _Builder(random.Random(seed), today or datetime.now(UTC).date())
    merchants = _merchants(b)
    markets = list(MARKET_WEIGHTS)
    weights = list(MARKET_WEIGHTS.values())
    for _ in range(customers):
        customer = _customer(b, b.rng.choices(markets, weights)[0])
        for _ in range(b.rng.choice((1, 1, 2, 2, 3, 3, 4, 5, 6, 8))):
            _order(b, customer, b.rng.choice(merchants))
    _invoices(b)
    _cases(b)
    return b.data


def _merchants(b: _Builder) -> list[e.Merchant]:
    for i, (name, _category, window) in enumerate(MERCHANTS, start=1):
        slug = "".join(ch for ch in name.lower() if ch.isalnum())
        b.data.merchants.append(
            e.Merchant(id=f"mer_{i:03d}", name=name, return_window_days=window, support_email=f"support@{slug}.example")
        )
    return b.data.merchants


def _customer(b: _Builder, market: str) -> e.Customer:
    info = MARKETS[market]
    rng = b.rng
    first, last = rng.choice(info.first), rng.choice(info.last)
    ident = b.next_id("cus")
    methods = [
        e.PaymentMethod(id="pm_1", kind="card", label=f"{rng.choice(CARD_BRANDS)} •••• {rng.randint(1000, 9999)}")
    ]
    if rng.random() < 0.5:
        methods.append(
            e.PaymentMethod(id="pm_2", kind="bank_account", label=f"Bank account •••• {rng.randint(1000, 9999)}")
        )
    if rng.random() < 0.25:
        methods.append(
            e.PaymentMethod(
                id=f"pm_{len(methods) + 1}",
                kind="card",
                label=f"{rng.choice(CARD_BRANDS)} •••• {rng.randint(1000, 9999)}",
            )
        )
    customer = e.Customer(
        id=ident,
        name=f"{first} {last}" if market not in ("JP", "KR") else f"{last}{first}",
        email=f"{ident.replace('_', '.')}@{info.domain}",
        locale=info.locale,
        market=market,
        payment_methods=methods,
    )
    b.data.customers.append(customer)
    return customer


def _price(b: _Builder, eur: int, market: str) -> Money:
    info = MARKETS[market]
    local = eur * info.price_factor * b.rng.uniform(0.85, 1.15)
    if MINOR_UNITS[info.currency] == 0:
        step = 1000 if local > 100_000 else 100
        return Money(Decimal(max(step, round(local / step) * step)), info.currency)
    cents = b.rng.choice(("00", "99", "95", "90", "50"))
    return Money(Decimal(f"{max(1, int(local))}.{cents}"), info.currency)


def _order(b: _Builder, customer: e.Customer, merchant: e.Merchant) -> None:
    rng, today = b.rng, b.today
    category = next(c for n, c, _ in MERCHANTS if n == merchant.name)
    picks = rng.sample(CATEGORIES[category], k=min(len(CATEGORIES[category]), rng.choice((1, 1, 1, 2, 3))))
    items = [
        e.Item(
            sku=f"{category[:3].upper()}-{rng.randint(100, 999)}",
            name=name,
            qty=rng.choice((1, 1, 1, 2)),
            price=_price(b, eur, customer.market),
        )
        for name, eur in picks
    ]
    items = list({i.sku: i for i in items}.values())
    age = int(rng.triangular(0, 240, 20))
    created = today - timedelta(days=age)
    currency = MARKETS[customer.market].currency
    order = e.Order(
        id=b.order_id(),
        customer=customer.id,
        merchant=merchant.id,
        created=created,
        status="pending",
        currency=currency,
        items=items,
        plan=e.Plan(kind="pay_in_4", payment_method=rng.choice(customer.payment_methods).id),
    )
    eur_total = sum(eur * i.qty for (_, eur), i in zip(picks, items, strict=False))
    order.plan.kind = _plan_kind(rng, eur_total)
    order.plan.installments = default_schedule(order.plan.kind, order.total, created)
    order.status = _status(rng, age)
    if order.status in ("delivered", "returned"):
        order.delivered = min(today, created + timedelta(days=rng.randint(2, 7)))
    _collect(b, order)
    if order.status == "cancelled":
        _cancelled(b, order)
    elif order.status == "returned":
        _returned(b, order, merchant)
    elif order.status == "delivered":
        _after_delivery(b, order, merchant)
    if order.plan.status == "active" and not order.plan.unpaid():
        order.plan.status = "completed"
    b.data.orders.append(order)


def _plan_kind(rng: random.Random, eur_total: int) -> e.PlanKind:
    if eur_total >= 500 and rng.random() < 0.45:
        return "financing"
    kinds: tuple[e.PlanKind, ...] = ("pay_in_4", "pay_in_30", "pay_now")
    return rng.choices(kinds, (50, 30, 20))[0]


def _status(rng: random.Random, age: int) -> e.OrderStatus:
    if age < 2:
        return rng.choice(("pending", "pending", "shipped"))
    if age < 7:
        early: tuple[e.OrderStatus, ...] = ("pending", "shipped", "delivered")
        return rng.choices(early, (10, 40, 50))[0]
    late: tuple[e.OrderStatus, ...] = ("delivered", "cancelled", "returned")
    return rng.choices(late, (85, 5, 10))[0]


def _charge(
    b: _Builder,
    order: e.Order,
    inst: e.Installment,
    status: e.ChargeStatus,
    day: date,
    reason: e.DeclineReason | None = None,
) -> e.Charge:
    charge = e.Charge(
        id=b.next_id("ch"),
        order=order.id,
        amount=inst.amount_due,
        status=status,
        at=b.at(day),
        installment=inst.seq,
        payment_method=order.plan.payment_method,
        decline_reason=reason,
    )
    b.data.charges.append(charge)
    return charge


def _collect(b: _Builder, order: e.Order) -> None:
    """Charges for every installment due by today: mostly captured, some failed (then overdue), some duplicated."""
    rng, today = b.rng, b.today
    for inst in order.plan.installments:
        if inst.due > today:
            continue
        roll = rng.random()
        if inst.seq > 1 and roll < 0.04 and (today - inst.due).days <= 60:
            _charge(b, order, inst, "failed", inst.due, rng.choice(DECLINES))
            inst.status = "failed" if (today - inst.due).days <= 3 else "overdue"
            continue
        if roll < 0.07:  # failed first, paid on a retry
            _charge(b, order, inst, "failed", inst.due, rng.choice(DECLINES))
        first = _charge(b, order, inst, "captured", inst.due if roll >= 0.07 else min(today, inst.due + timedelta(1)))
        inst.status = "paid"
        if rng.random() < 0.025:
            twin = e.Charge(
                id=b.next_id("ch"),
                order=order.id,
                amount=first.amount,
                status="captured",
                at=first.at + timedelta(minutes=rng.randint(1, 8)),
                installment=inst.seq,
                payment_method=first.payment_method,
            )
            b.data.charges.append(twin)
            if (today - inst.due).days > 20 and rng.random() < 0.5:  # already handled by support
                twin.status = "refunded"
                _refund(b, order, twin.amount, "duplicate_charge", inst.due + timedelta(days=2), "completed")


def _paid(order: e.Order) -> Money:
    total = Money.zero(order.currency)
    for inst in order.plan.installments:
        if inst.status == "paid":
            total = total + inst.amount_due
    return total


def _refund(b: _Builder, order: e.Order, amount: Money, reason: str, created: date, status: e.RefundStatus) -> e.Refund:
    created = min(created, b.today)
    expected = created + timedelta(days=10)
    refund = e.Refund(
        id=b.next_id("rf"),
        order=order.id,
        amount=amount,
        status=status,
        reason=reason,
        created=created,
        expected_by=expected,
        completed=min(expected, created + timedelta(days=b.rng.randint(2, 9))) if status == "completed" else None,
    )
    if refund.completed is not None and refund.completed > b.today:
        refund.status, refund.completed = "processing", None
    b.data.refunds.append(refund)
    return refund


def _close_plan(order: e.Order) -> None:
    for inst in order.plan.installments:
        if inst.status in ("scheduled", "failed", "overdue"):
            inst.status = "cancelled"
    order.plan.status = "cancelled"


def _cancelled(b: _Builder, order: e.Order) -> None:
    cancelled_on = order.created + timedelta(days=1)
    for inst in order.plan.installments:  # nothing after the cancellation was collected
        if inst.due > cancelled_on and inst.status == "paid":
            inst.status = "cancelled"
    b.data.charges = [c for c in b.data.charges if not (c.order == order.id and c.at.date() > cancelled_on)]
    _close_plan(order)
    paid = _paid(order)
    if paid.is_positive():
        _refund(b, order, paid, "order_cancelled", cancelled_on, "completed")


def _returned(b: _Builder, order: e.Order, merchant: e.Merchant) -> None:
    assert order.delivered is not None
    registered = min(b.today, order.delivered + timedelta(days=b.rng.randint(1, 10)))
    b.data.returns.append(
        e.Return(
            id=b.next_id("ret"),
            order=order.id,
            items=[i.sku for i in order.items],
            reason=b.rng.choice(("too small", "changed my mind", "faulty", "not as pictured")),
            status="refunded",
            created=registered,
        )
    )
    paid = _paid(order)
    _close_plan(order)
    if paid.is_positive():
        _refund(b, order, paid, "return", registered + timedelta(days=5), "completed")


def _after_delivery(b: _Builder, order: e.Order, merchant: e.Merchant) -> None:
    """Open returns (paused plans), refunds in flight, disputes, and a few refunds waiting for approval."""
    rng, today = b.rng, b.today
    assert order.delivered is not None
    in_window = today <= order.delivered + timedelta(days=merchant.return_window_days)
    roll = rng.random()
    open_plan = order.plan.status == "active" and bool(order.plan.unpaid())
    if in_window and roll < 0.07:
        registered = min(today, order.delivered + timedelta(days=rng.randint(0, 20)))
        b.data.returns.append(
            e.Return(
                id=b.next_id("ret"),
                order=order.id,
                items=[order.items[0].sku],
                reason=rng.choice(("too small", "too big", "wrong colour", "faulty")),
                status=rng.choice(("registered", "registered", "received")),
                created=registered,
            )
        )
        if open_plan and registered + timedelta(days=21) > today:
            order.plan.status, order.plan.paused_until = "paused", registered + timedelta(days=21)
        if rng.random() < 0.5:
            price = order.items[0].line_total
            _refund(
                b,
                order,
                price,
                "return",
                registered + timedelta(days=3),
                rng.choice(("processing", "processing", "completed", "failed")),
            )
    elif roll < 0.10:
        created = min(today, order.delivered + timedelta(days=rng.randint(1, 30)))
        status: e.DisputeStatus = rng.choice(
            ("open", "open", "merchant_responded", "resolved_customer", "resolved_merchant")
        )
        b.data.disputes.append(
            e.Dispute(
                id=b.next_id("dsp"),
                order=order.id,
                reason=rng.choice(("faulty", "not_as_described", "wrong_item")),
                status=status,
                created=created,
                merchant_deadline=created + timedelta(days=14),
            )
        )
        if status in ("open", "merchant_responded") and order.plan.status == "active":
            order.plan.status, order.plan.paused_until = "paused", None
    elif roll < 0.11 and order.total.amount > 0:
        refund = _refund(
            b, order, order.total, "goodwill", today - timedelta(days=rng.randint(0, 2)), "pending_approval"
        )
        b.data.cases.append(
            e.Case(
                id=b.next_id("case"),
                customer=order.customer,
                reason="approval",
                status="queued",
                summary=f"Refund of {refund.amount} for order {order.id} needs approval.",
                created=b.at(refund.created),
                order=order.id,
                pending=f"refund:{refund.id}",
            )
        )


def _invoices(b: _Builder) -> None:
    """Monthly invoices for the last three months, about one in six with an error to find."""
    rng = b.rng
    periods = []
    first = b.today.replace(day=1)
    for _ in range(3):
        first = (first - timedelta(days=1)).replace(day=1)
        periods.append(first.isoformat()[:7])
    by_customer: dict[str, list[e.Order]] = {}
    for order in b.data.orders:
        by_customer.setdefault(order.customer, []).append(order)
    refunds_by_order: dict[str, list[e.Refund]] = {}
    for refund in b.data.refunds:
        refunds_by_order.setdefault(refund.order, []).append(refund)
    for customer in b.data.customers:
        orders = by_customer.get(customer.id, [])
        refunds = [r for o in orders for r in refunds_by_order.get(o.id, [])]
        for period in periods:
            lines = [
                e.InvoiceLine(kind=kind, order=order_id, amount=amount)
                for (kind, order_id), amounts in sorted(expected_lines(period, orders, refunds).items())
                for amount in amounts
            ]
            if not lines:
                continue
            currency = lines[0].amount.currency
            _inject_error(rng, lines)
            total = Money.zero(currency)
            for line in lines:
                total = total + line.amount
            b.data.invoices.append(
                e.Invoice(
                    id=b.next_id("inv"),
                    customer=customer.id,
                    period=period,
                    currency=currency,
                    lines=lines,
                    total=total,
                )
            )


def _inject_error(rng: random.Random, lines: list[e.InvoiceLine]) -> None:
    roll = rng.random()
    positive = [ln for ln in lines if ln.amount.is_positive()]
    refunds = [ln for ln in lines if ln.kind == "refund"]
    if roll < 0.07 and positive:
        lines.append(rng.choice(positive))
    elif roll < 0.12 and refunds:
        lines.remove(rng.choice(refunds))
    elif roll < 0.17 and positive:
        victim = rng.choice(positive)
        bump = Money(max(victim.amount.amount / 10, Decimal(1)).quantize(Decimal(1)), victim.amount.currency)
        lines[lines.index(victim)] = e.InvoiceLine(kind=victim.kind, order=victim.order, amount=victim.amount + bump)


def _cases(b: _Builder) -> None:
    """A handful of handoffs waiting in the queue, so the console has work on a fresh install."""
    texts = {
        "customer_request": "Customer asked to speak to a person about a delivery.",
        "fraud": "Customer does not recognise a charge after seeing merchant, date and items.",
        "hardship": "Customer lost their job and cannot pay the next installments.",
        "complaint": "Customer is unhappy with how a previous refund was handled.",
    }
    for customer in b.rng.sample(b.data.customers, 12):
        reason = b.rng.choice(list(texts))
        b.data.cases.append(
            e.Case(
                id=b.next_id("case"),
                customer=customer.id,
                reason=reason,  # type: ignore[arg-type]
                status="queued",
                summary=texts[reason],
                created=b.at(b.today) - timedelta(hours=b.rng.randint(0, 20)),
            )
        )
