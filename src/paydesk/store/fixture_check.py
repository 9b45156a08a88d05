"""Cross-row checks of a fixture and its conversion to domain objects; every problem names its row and field."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Protocol, TypeVar

from sqlalchemy import select

from paydesk.domain import entities as e
from paydesk.domain.errors import DeveloperError
from paydesk.domain.money import MINOR_UNITS, Money
from paydesk.domain.schedules import default_schedule
from paydesk.store import tables as t
from paydesk.store.fixture_models import (
    MAX_AMOUNT,
    FxCase,
    FxCharge,
    FxCorrection,
    FxDispute,
    FxInvoice,
    FxLedger,
    FxOrder,
    FxRefund,
    FxReturn,
    LedgerData,
)
from paydesk.store.ledger import Ledger


def pydantic_problem(err: Any, data: Any) -> str:
    loc = list(err["loc"])
    path = ""
    node = data
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
            node = node[part] if isinstance(node, list) and part < len(node) else None
            if path.count("[") == 1 and isinstance(node, dict) and "id" in node:
                path += f" (id {node['id']})"
        else:
            path += f".{part}" if path else str(part)
            node = node.get(part) if isinstance(node, dict) else None
    message = err["msg"]
    if err["type"] == "extra_forbidden":
        message = "unknown field"
    elif err["type"] == "missing":
        message = "required field missing"
    elif "input" in err and err["type"] not in ("missing",):
        message += f" (got {err['input']!r})"
    return f"{path}: {message}"


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


X = TypeVar("X", bound=_HasId)
Y = TypeVar("Y")


def _each(entity: str, rows: Sequence[X], convert: Callable[[str, X], Y | None]) -> list[Y]:
    """Convert every row, naming it `entity[i] (id ...)` in problems; rows that cannot be converted are skipped."""
    converted = (convert(f"{entity}[{i}] (id {row.id})", row) for i, row in enumerate(rows))
    return [item for item in converted if item is not None]


class Checker:
    """Cross-row checks and conversion to domain objects. Collects problems instead of stopping at the first."""

    def __init__(self, fx: FxLedger, existing: Ledger | None, now: datetime | None) -> None:
        self.fx = fx
        self.existing = existing
        self.now = now
        self.problems: list[str] = []
        self.customers: dict[str, e.Customer] = {}
        self.merchants: dict[str, e.Merchant] = {}
        self.orders: dict[str, e.Order] = {}

    def problem(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def money(self, where: str, value: Decimal, currency: str, *, negative_ok: bool = False) -> Money:
        if currency not in MINOR_UNITS:
            return Money(Decimal(0), "EUR")  # the currency problem is reported once, on the order
        try:
            money = Money(value, currency)
        except DeveloperError as exc:
            self.problem(where, exc.message)
            return Money.zero(currency)
        if money.amount < 0 and not negative_ok:
            self.problem(where, f"amount must not be negative (got {value})")
        return money

    def unique(self, entity: str, ids: Sequence[str], taken: set[str] | None = None) -> None:
        seen: set[str] = set()
        for i, ident in enumerate(ids):
            if ident in seen:
                self.problem(f"{entity}[{i}] (id {ident})", "duplicate id")
            elif taken is not None and ident in taken:
                self.problem(f"{entity}[{i}] (id {ident})", "id already exists in the store")
            seen.add(ident)

    def customer(self, ident: str) -> e.Customer | None:
        found = self.customers.get(ident)
        if found is None and self.existing is not None:
            found = self.existing.customer(ident)
        return found

    def order(self, ident: str) -> e.Order | None:
        found = self.orders.get(ident)
        if found is None and self.existing is not None:
            found = self.existing.order(ident)
        return found

    def run(self) -> LedgerData:
        fx = self.fx
        taken = self._taken()
        self.unique("customers", [c.id for c in fx.customers], taken.get("customers"))
        self.unique("merchants", [m.id for m in fx.merchants], taken.get("merchants"))
        self.unique("orders", [o.id for o in fx.orders], taken.get("orders"))
        for name in ("charges", "refunds", "returns", "disputes", "invoices", "invoice_corrections", "cases"):
            self.unique(name, [r.id for r in getattr(fx, name)], taken.get(name))
        out = LedgerData()
        for i, c in enumerate(fx.customers):
            where = f"customers[{i}] (id {c.id})"
            self.unique(f"{where}.payment_methods", [m.id for m in c.payment_methods])
            cust = e.Customer(
                id=c.id,
                name=c.name,
                email=c.email,
                locale=c.locale,
                market=c.market,
                payment_methods=[e.PaymentMethod(id=m.id, kind=m.kind, label=m.label) for m in c.payment_methods],
            )
            self.customers[c.id] = cust
            out.customers.append(cust)
        for m in fx.merchants:
            merchant = e.Merchant(
                id=m.id, name=m.name, return_window_days=m.return_window_days, support_email=m.support_email
            )
            self.merchants[m.id] = merchant
            out.merchants.append(merchant)
        for i, o in enumerate(fx.orders):
            order = self._order(f"orders[{i}] (id {o.id})", o)
            if order is not None:
                self.orders[o.id] = order
                out.orders.append(order)
        out.charges = _each("charges", fx.charges, self._charge)
        out.refunds = _each("refunds", fx.refunds, self._refund)
        out.returns = _each("returns", fx.returns, self._return)
        out.disputes = _each("disputes", fx.disputes, self._dispute)
        out.invoices = _each("invoices", fx.invoices, self._invoice)
        invoices = {inv.id: inv for inv in out.invoices}
        out.invoice_corrections = _each(
            "invoice_corrections", fx.invoice_corrections, lambda w, x: self._correction(w, x, invoices)
        )
        out.cases = _each("cases", fx.cases, self._case)
        return out

    def _taken(self) -> dict[str, set[str]]:
        if self.existing is None:
            return {}

        def ids(table: Any, wanted: list[str]) -> set[str]:
            if not wanted:
                return set()
            found: set[str] = set()
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                found |= set(self.existing.conn.scalars(select(table.c.id).where(table.c.id.in_(chunk))))  # type: ignore[union-attr]
            return found

        fx = self.fx
        tables = {
            "customers": t.customers,
            "merchants": t.merchants,
            "orders": t.orders,
            "charges": t.charges,
            "refunds": t.refunds,
            "returns": t.returns,
            "disputes": t.disputes,
            "invoices": t.invoices,
            "invoice_corrections": t.invoice_corrections,
            "cases": t.cases,
        }
        return {name: ids(table, [r.id for r in getattr(fx, name)]) for name, table in tables.items()}

    def _order(self, where: str, o: FxOrder) -> e.Order | None:
        ok = True
        customer = self.customer(o.customer)
        if customer is None:
            self.problem(f"{where}.customer", f"unknown customer {o.customer!r}")
            ok = False
        merchant = self.merchants.get(o.merchant) or (self.existing.merchant(o.merchant) if self.existing else None)
        if merchant is None:
            self.problem(f"{where}.merchant", f"unknown merchant {o.merchant!r}")
            ok = False
        if o.currency not in MINOR_UNITS:
            self.problem(f"{where}.currency", f"unknown currency {o.currency!r}")
            return None
        if o.status in ("delivered", "returned") and o.delivered is None:
            self.problem(f"{where}.delivered", f"an order with status {o.status} needs its delivered date")
        if o.delivered is not None and o.delivered < o.created:
            self.problem(f"{where}.delivered", "delivered before it was created")
        items = [
            e.Item(
                sku=it.sku,
                name=it.name,
                qty=it.qty,
                price=self.money(f"{where}.items[{j}].price", it.price, o.currency),
            )
            for j, it in enumerate(o.items)
        ]
        self.unique(f"{where}.items", [it.sku for it in o.items])
        total = Money.zero(o.currency)
        for it in items:
            total = total + it.line_total
            if abs(total.amount) >= MAX_AMOUNT:
                self.problem(f"{where}.items", f"the items come to {MAX_AMOUNT:,} or more")
                return None
        if o.total is not None and self.money(f"{where}.total", o.total, o.currency) != total:
            self.problem(f"{where}.total", f"{o.total} is not the sum of the items ({total.amount})")
        if customer is not None and customer.payment_method(o.plan.payment_method) is None:
            self.problem(
                f"{where}.plan.payment_method", f"{o.plan.payment_method!r} is not one of the customer's methods"
            )
        installments = self._installments(where, o, total)
        if not ok:
            return None
        plan = e.Plan(
            kind=o.plan.kind,
            payment_method=o.plan.payment_method,
            status=o.plan.status,
            paused_until=o.plan.paused_until,
            installments=installments,
        )
        return e.Order(
            id=o.id,
            customer=o.customer,
            merchant=o.merchant,
            created=o.created,
            status=o.status,
            currency=o.currency,
            items=items,
            plan=plan,
            delivered=o.delivered,
        )

    def _installments(self, where: str, o: FxOrder, total: Money) -> list[e.Installment]:
        if o.plan.installments is None:
            try:
                return default_schedule(o.plan.kind, total, o.created)
            except OverflowError:
                self.problem(f"{where}.created", f"too late for the default {o.plan.kind} schedule: give installments")
                return []
        result = []
        for j, x in enumerate(o.plan.installments):
            w = f"{where}.plan.installments[{j}]"
            fee = None if x.fee is None else self.money(f"{w}.fee", x.fee, o.currency)
            if x.extended and x.original_due is None:
                self.problem(f"{w}.original_due", "an extended installment needs its original_due")
            result.append(
                e.Installment(
                    seq=x.seq,
                    due=x.due,
                    amount=self.money(f"{w}.amount", x.amount, o.currency),
                    status=x.status,
                    extended=x.extended,
                    original_due=x.original_due,
                    fee=fee,
                )
            )
        seqs = sorted(i.seq for i in result)
        if seqs != list(range(1, len(seqs) + 1)):
            self.problem(f"{where}.plan.installments", f"seq must run 1..{len(seqs)} without gaps (got {seqs})")
        if result:
            summed = Money.zero(o.currency)
            for i in result:
                summed = summed + i.amount
            if summed != total:
                self.problem(
                    f"{where}.plan.installments",
                    f"installments sum to {summed.amount}, the order total is {total.amount}",
                )
        return sorted(result, key=lambda i: i.seq)

    def _charge(self, where: str, x: FxCharge) -> e.Charge | None:
        order = self.order(x.order)
        if order is None:
            self.problem(f"{where}.order", f"unknown order {x.order!r}")
            return None
        if x.installment is not None and order.plan.installment(x.installment) is None:
            self.problem(f"{where}.installment", f"order {x.order} has no installment {x.installment}")
        customer = self.customer(order.customer)
        if x.payment_method is not None and customer is not None and customer.payment_method(x.payment_method) is None:
            self.problem(f"{where}.payment_method", f"{x.payment_method!r} is not one of the customer's methods")
        if x.decline_reason is not None and x.status != "failed":
            self.problem(f"{where}.decline_reason", "only a failed charge has a decline_reason")
        return e.Charge(
            id=x.id,
            order=x.order,
            amount=self.money(f"{where}.amount", x.amount, order.currency),
            status=x.status,
            at=x.at,
            installment=x.installment,
            payment_method=x.payment_method,
            decline_reason=x.decline_reason,
        )

    def _refund(self, where: str, x: FxRefund) -> e.Refund | None:
        order = self.order(x.order)
        if order is None:
            self.problem(f"{where}.order", f"unknown order {x.order!r}")
            return None
        amount = self.money(f"{where}.amount", x.amount, order.currency)
        if not amount.is_positive():
            self.problem(f"{where}.amount", "a refund must be positive")
        completed = x.completed
        if x.status == "completed" and completed is None:
            completed = x.expected_by or x.created
        if x.status != "completed" and completed is not None:
            self.problem(f"{where}.completed", f"a {x.status} refund has no completed date")
        return e.Refund(
            id=x.id,
            order=x.order,
            amount=amount,
            status=x.status,
            reason=x.reason,
            created=x.created,
            expected_by=x.expected_by,
            completed=completed,
        )

    def _return(self, where: str, x: FxReturn) -> e.Return | None:
        order = self.order(x.order)
        if order is None:
            self.problem(f"{where}.order", f"unknown order {x.order!r}")
            return None
        skus = {it.sku for it in order.items}
        for j, sku in enumerate(x.items):
            if sku not in skus:
                self.problem(f"{where}.items[{j}]", f"order {x.order} has no item {sku!r}")
        return e.Return(
            id=x.id, order=x.order, items=list(x.items), reason=x.reason, status=x.status, created=x.created
        )

    def _dispute(self, where: str, x: FxDispute) -> e.Dispute | None:
        if self.order(x.order) is None:
            self.problem(f"{where}.order", f"unknown order {x.order!r}")
            return None
        try:
            deadline = x.merchant_deadline or x.created + timedelta(days=14)
        except OverflowError:
            self.problem(f"{where}.created", "too late for the default merchant_deadline (14 days on): give one")
            return None
        return e.Dispute(
            id=x.id, order=x.order, reason=x.reason, status=x.status, created=x.created, merchant_deadline=deadline
        )

    def _invoice(self, where: str, x: FxInvoice) -> e.Invoice | None:
        if self.customer(x.customer) is None:
            self.problem(f"{where}.customer", f"unknown customer {x.customer!r}")
            return None
        currencies = set()
        for j, line in enumerate(x.lines):
            order = self.order(line.order)
            if order is None:
                self.problem(f"{where}.lines[{j}].order", f"unknown order {line.order!r}")
                continue
            if order.customer != x.customer:
                self.problem(f"{where}.lines[{j}].order", f"order {line.order} belongs to another customer")
            currencies.add(order.currency)
        if len(currencies) > 1:
            self.problem(f"{where}.lines", f"lines mix currencies {sorted(currencies)}")
            return None
        currency = x.currency or (currencies.pop() if currencies else None)
        if currency is None:
            self.problem(f"{where}.currency", "an invoice without lines needs a currency")
            return None
        if currencies and x.currency is not None and x.currency not in currencies:
            self.problem(f"{where}.currency", f"{x.currency} differs from its orders' currency")
        if currency not in MINOR_UNITS:
            self.problem(f"{where}.currency", f"unknown currency {currency!r}")
            return None
        lines = [
            e.InvoiceLine(
                kind=ln.kind,
                order=ln.order,
                amount=self.money(f"{where}.lines[{j}].amount", ln.amount, currency, negative_ok=True),
            )
            for j, ln in enumerate(x.lines)
        ]
        summed = Money.zero(currency)
        for ln in lines:
            summed = summed + ln.amount
        if abs(summed.amount) >= MAX_AMOUNT:
            self.problem(f"{where}.lines", f"the lines come to {MAX_AMOUNT:,} or more")
            return None
        if x.total is not None and self.money(f"{where}.total", x.total, currency, negative_ok=True) != summed:
            self.problem(f"{where}.total", f"{x.total} is not the sum of the lines ({summed.amount})")
        return e.Invoice(id=x.id, customer=x.customer, period=x.period, currency=currency, lines=lines, total=summed)

    def _correction(self, where: str, x: FxCorrection, invoices: dict[str, e.Invoice]) -> e.InvoiceCorrection | None:
        invoice = invoices.get(x.invoice) or (self.existing.invoice(x.invoice) if self.existing else None)
        if invoice is None:
            self.problem(f"{where}.invoice", f"unknown invoice {x.invoice!r}")
            return None
        amount = self.money(f"{where}.amount", x.amount, invoice.currency)
        if not amount.is_positive():
            self.problem(f"{where}.amount", "a correction is positive: what the total falls by")
        return e.InvoiceCorrection(id=x.id, invoice=x.invoice, amount=amount, reason=x.reason, status=x.status)

    def _case(self, where: str, x: FxCase) -> e.Case | None:
        if self.customer(x.customer) is None:
            self.problem(f"{where}.customer", f"unknown customer {x.customer!r}")
            return None
        if x.order is not None:
            order = self.order(x.order)
            if order is None or order.customer != x.customer:
                self.problem(f"{where}.order", f"order {x.order!r} is not one of the customer's orders")
        created = x.created or self.now
        if created is None:
            self.problem(f"{where}.created", "required field missing")
            return None
        return e.Case(
            id=x.id,
            customer=x.customer,
            reason=x.reason,
            status=x.status,
            summary=x.summary,
            created=created,
            conversation=x.conversation,
            assignee=x.assignee,
            order=x.order,
            pending=x.pending,
        )
