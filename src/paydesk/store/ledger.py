"""The ledger repository: domain objects in and out of the tables, over one connection (one transaction)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Row, Select, Table, and_, bindparam, func, select

from paydesk.domain.entities import (
    AuditRecord,
    Case,
    CaseStatus,
    Charge,
    Customer,
    Dispute,
    Installment,
    Invoice,
    InvoiceCorrection,
    InvoiceLine,
    Item,
    Merchant,
    Order,
    PaymentMethod,
    Plan,
    Refund,
    Return,
)
from paydesk.domain.money import Money
from paydesk.store import tables as t
from paydesk.store.writes import LedgerWriter


def _money(minor: int | None, currency: str) -> Money | None:
    return None if minor is None else Money.from_minor(minor, currency)


def _of_customer(table: Table, *order_by: Any) -> Select[Any]:
    """The rows of an order-child table for one customer's orders."""
    return (
        select(table)
        .join(t.orders, t.orders.c.id == table.c.order_id)
        .where(t.orders.c.customer == bindparam("customer"))
        .order_by(*order_by)
    )


# What every turn reads, built once: building a statement costs more than running it on SQLite.
_CUSTOMER = (  # with the payment methods: one row per method, or one with none
    select(
        t.customers,
        t.payment_methods.c.id.label("method_id"),
        t.payment_methods.c.kind.label("method_kind"),
        t.payment_methods.c.label.label("method_label"),
    )
    .outerjoin(t.payment_methods, t.payment_methods.c.customer == t.customers.c.id)
    .where(t.customers.c.id == bindparam("customer"))
    .order_by(t.payment_methods.c.position)
)
_HAS_CUSTOMER = select(t.customers.c.id).where(t.customers.c.id == bindparam("customer"))
_MERCHANT = select(t.merchants).where(t.merchants.c.id == bindparam("merchant"))
_MERCHANTS_OF = (
    select(t.merchants)
    .where(t.merchants.c.id.in_(select(t.orders.c.merchant).where(t.orders.c.customer == bindparam("customer"))))
    .order_by(t.merchants.c.id)
)
_ORDERS_OF = (
    select(t.orders).where(t.orders.c.customer == bindparam("customer")).order_by(t.orders.c.created, t.orders.c.id)
)
_ITEMS_OF = _of_customer(t.order_items, t.order_items.c.position)
_INSTALLMENTS_OF = _of_customer(t.installments, t.installments.c.seq)
_PLANS_OF = _of_customer(t.plans, t.plans.c.order_id)
_ORDER = select(t.orders).where(t.orders.c.id == bindparam("order"))
_ORDER_LOCKED = _ORDER.with_for_update()
_CURRENCIES = select(t.orders.c.id, t.orders.c.currency).where(t.orders.c.id.in_(bindparam("ids", expanding=True)))
_IDEMPOTENT = select(t.idempotency).where(
    and_(t.idempotency.c.customer == bindparam("customer"), t.idempotency.c.key == bindparam("key"))
)
_OF_ORDERS: dict[tuple[str, ...], Select[Any]] = {}  # an order-child table's rows of some orders, by table and sort


def _of_orders(table: Table, order_by: Sequence[Any]) -> Select[Any]:
    key = (table.name, *(c.name for c in order_by))
    if key not in _OF_ORDERS:
        _OF_ORDERS[key] = (
            select(table).where(table.c.order_id.in_(bindparam("ids", expanding=True))).order_by(*order_by)
        )
    return _OF_ORDERS[key]


@dataclass(frozen=True)
class Known:
    """What a turn read at its start, under the conversation's lock: the customer and their orders. A read later in
    the turn takes them from here instead of the database (`Ledger.knowing`); a turn that has written drops them."""

    customer: Customer
    orders: Sequence[Order]


class Ledger(LedgerWriter):
    """Reads and writes ledger rows inside the caller's transaction. Only actions/ and the importer call the writers."""

    def __init__(self, conn: Connection) -> None:
        super().__init__(conn)
        self._for_update = conn.dialect.name != "sqlite"  # SQLite writers already hold the database lock
        self._known: Known | None = None

    def knowing(self, known: Known | None) -> Ledger:
        """This ledger, answering `customer`, `orders_of` and `order` for the known customer from `known`."""
        self._known = known
        return self

    # ---- customers and merchants -------------------------------------------------------------------------------
    def customer(self, customer_id: str) -> Customer | None:
        if self._known is not None and self._known.customer.id == customer_id:
            return self._known.customer
        rows = self.conn.execute(_CUSTOMER, {"customer": customer_id}).all()
        if not rows:
            return None
        row = rows[0]
        return Customer(
            id=row.id,
            name=row.name,
            email=row.email,
            locale=row.locale,
            market=row.market,
            payment_methods=[
                PaymentMethod(id=m.method_id, kind=m.method_kind, label=m.method_label)
                for m in rows
                if m.method_id is not None
            ],
        )

    def has_customer(self, customer_id: str) -> bool:
        return self.conn.scalar(_HAS_CUSTOMER, {"customer": customer_id}) is not None

    def customer_ids(self) -> list[str]:
        return list(self.conn.scalars(select(t.customers.c.id).order_by(t.customers.c.id)))

    def merchant(self, merchant_id: str) -> Merchant | None:
        row = self.conn.execute(_MERCHANT, {"merchant": merchant_id}).first()
        return None if row is None else _merchant(row)

    def merchants(self) -> list[Merchant]:
        return [_merchant(r) for r in self.conn.execute(select(t.merchants).order_by(t.merchants.c.id))]

    def merchants_of(self, customer_id: str) -> list[Merchant]:
        """The merchants of the customer's orders."""
        return [_merchant(r) for r in self.conn.execute(_MERCHANTS_OF, {"customer": customer_id})]

    # ---- orders ----------------------------------------------------------------------------------------------------
    def order(self, order_id: str, *, for_update: bool = False) -> Order | None:
        if self._known is not None and not for_update:
            known = next((o for o in self._known.orders if o.id == order_id), None)
            if known is not None:
                return known
        query = _ORDER_LOCKED if for_update and self._for_update else _ORDER
        row = self.conn.execute(query, {"order": order_id}).first()
        return None if row is None else self._by_ids([row])[0]

    def orders_of(self, customer_id: str) -> list[Order]:
        if self._known is not None and self._known.customer.id == customer_id:
            return list(self._known.orders)
        params = {"customer": customer_id}
        rows = self.conn.execute(_ORDERS_OF, params).all()
        if not rows:
            return []
        children = (self.conn.execute(q, params).all() for q in (_ITEMS_OF, _INSTALLMENTS_OF, _PLANS_OF))
        return self._assemble(rows, *children)

    def all_orders(self) -> list[Order]:
        return self._by_ids(self.conn.execute(select(t.orders).order_by(t.orders.c.id)).all())

    def _by_ids(self, rows: Sequence[Row[Any]]) -> list[Order]:
        ids = [r.id for r in rows]
        return self._assemble(
            rows,
            self._rows_for(t.order_items, ids, t.order_items.c.position),
            self._rows_for(t.installments, ids, t.installments.c.seq),
            self._rows_for(t.plans, ids, t.plans.c.order_id),
        )

    def _assemble(
        self,
        rows: Sequence[Row[Any]],
        item_rows: Sequence[Row[Any]],
        installment_rows: Sequence[Row[Any]],
        plan_rows: Sequence[Row[Any]],
    ) -> list[Order]:
        """Orders from their rows and their children's (each child list in its order within an order)."""
        currency = {r.id: r.currency for r in rows}
        items: dict[str, list[Item]] = defaultdict(list)
        for r in item_rows:
            items[r.order_id].append(
                Item(sku=r.sku, name=r.name, qty=r.qty, price=Money.from_minor(r.price_minor, currency[r.order_id]))
            )
        insts: dict[str, list[Installment]] = defaultdict(list)
        for r in installment_rows:
            cur = currency[r.order_id]
            insts[r.order_id].append(
                Installment(
                    seq=r.seq,
                    due=r.due,
                    amount=Money.from_minor(r.amount_minor, cur),
                    status=r.status,
                    extended=r.extended,
                    original_due=r.original_due,
                    fee=_money(r.fee_minor, cur),
                )
            )
        plans = {r.order_id: r for r in plan_rows}
        result = []
        for r in rows:
            p = plans[r.id]
            plan = Plan(
                kind=p.kind,
                payment_method=p.payment_method,
                status=p.status,
                paused_until=p.paused_until,
                installments=insts[r.id],
            )
            result.append(
                Order(
                    id=r.id,
                    customer=r.customer,
                    merchant=r.merchant,
                    created=r.created,
                    status=r.status,
                    currency=r.currency,
                    items=items[r.id],
                    plan=plan,
                    delivered=r.delivered,
                )
            )
        return result

    def _rows_for(self, table: Table, order_ids: Sequence[str], *order_by: Any) -> list[Row[Any]]:
        rows: list[Row[Any]] = []
        query = _of_orders(table, order_by)
        for start in range(0, len(order_ids), 500):  # stay under every backend's bound-parameter limit
            rows.extend(self.conn.execute(query, {"ids": list(order_ids[start : start + 500])}))
        return rows

    # ---- money movements on orders ---------------------------------------------------------------------------------
    def charges(self, order_ids: Sequence[str]) -> list[Charge]:
        cur = self._currencies(order_ids)
        return [
            Charge(
                id=r.id,
                order=r.order_id,
                amount=Money.from_minor(r.amount_minor, cur[r.order_id]),
                status=r.status,
                at=r.at,
                installment=r.installment,
                payment_method=r.payment_method,
                decline_reason=r.decline_reason,
            )
            for r in sorted(self._rows_for(t.charges, order_ids), key=lambda r: (r.at, r.id))
        ]

    def refunds(self, order_ids: Sequence[str]) -> list[Refund]:
        cur = self._currencies(order_ids)
        return [
            Refund(
                id=r.id,
                order=r.order_id,
                amount=Money.from_minor(r.amount_minor, cur[r.order_id]),
                status=r.status,
                reason=r.reason,
                created=r.created,
                expected_by=r.expected_by,
                completed=r.completed,
            )
            for r in sorted(self._rows_for(t.refunds, order_ids), key=lambda r: (r.created, r.id))
        ]

    def refund(self, refund_id: str) -> Refund | None:
        order_id = self.conn.scalar(select(t.refunds.c.order_id).where(t.refunds.c.id == refund_id))
        if order_id is None:
            return None
        return next(r for r in self.refunds([order_id]) if r.id == refund_id)

    def returns(self, order_ids: Sequence[str]) -> list[Return]:
        return [
            Return(id=r.id, order=r.order_id, items=list(r.items), reason=r.reason, status=r.status, created=r.created)
            for r in sorted(self._rows_for(t.returns, order_ids), key=lambda r: (r.created, r.id))
        ]

    def disputes(self, order_ids: Sequence[str]) -> list[Dispute]:
        return [
            Dispute(
                id=r.id,
                order=r.order_id,
                reason=r.reason,
                status=r.status,
                created=r.created,
                merchant_deadline=r.merchant_deadline,
            )
            for r in sorted(self._rows_for(t.disputes, order_ids), key=lambda r: (r.created, r.id))
        ]

    def _currencies(self, order_ids: Sequence[str]) -> dict[str, str]:
        result: dict[str, str] = {}
        for start in range(0, len(order_ids), 500):
            chunk = list(order_ids[start : start + 500])
            result.update({r.id: r.currency for r in self.conn.execute(_CURRENCIES, {"ids": chunk})})
        return result

    # ---- invoices --------------------------------------------------------------------------------------------------
    def invoice(self, invoice_id: str) -> Invoice | None:
        found = self._invoices(t.invoices.c.id == invoice_id)
        return found[0] if found else None

    def invoices_of(self, customer_id: str) -> list[Invoice]:
        return self._invoices(t.invoices.c.customer == customer_id)

    def all_invoices(self) -> list[Invoice]:
        return self._invoices(None)

    def _invoices(self, where: Any) -> list[Invoice]:
        query = select(t.invoices).order_by(t.invoices.c.period, t.invoices.c.id)
        rows = self.conn.execute(query if where is None else query.where(where)).all()
        if not rows:
            return []
        lines: dict[str, list[InvoiceLine]] = defaultdict(list)
        cur = {r.id: r.currency for r in rows}
        ids = list(cur)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            line_query = (
                select(t.invoice_lines)
                .where(t.invoice_lines.c.invoice.in_(chunk))
                .order_by(t.invoice_lines.c.invoice, t.invoice_lines.c.position)
            )
            for r in self.conn.execute(line_query):
                amount = Money.from_minor(r.amount_minor, cur[r.invoice])
                lines[r.invoice].append(InvoiceLine(kind=r.kind, order=r.order_id, amount=amount))
        return [
            Invoice(
                id=r.id,
                customer=r.customer,
                period=r.period,
                currency=r.currency,
                lines=lines[r.id],
                total=Money.from_minor(r.total_minor, r.currency),
            )
            for r in rows
        ]

    def corrections(self, invoice_ids: Sequence[str] | None = None) -> list[InvoiceCorrection]:
        query = (
            select(t.invoice_corrections, t.invoices.c.currency)
            .join(t.invoices, t.invoices.c.id == t.invoice_corrections.c.invoice)
            .order_by(t.invoice_corrections.c.id)
        )
        if invoice_ids is not None:
            query = query.where(t.invoice_corrections.c.invoice.in_(list(invoice_ids)))
        return [
            InvoiceCorrection(
                id=r.id,
                invoice=r.invoice,
                amount=Money.from_minor(r.amount_minor, r.currency),
                reason=r.reason,
                status=r.status,
            )
            for r in self.conn.execute(query)
        ]

    def correction(self, correction_id: str) -> InvoiceCorrection | None:
        invoice_id = self.conn.scalar(
            select(t.invoice_corrections.c.invoice).where(t.invoice_corrections.c.id == correction_id)
        )
        if invoice_id is None:
            return None
        return next(c for c in self.corrections([invoice_id]) if c.id == correction_id)

    # ---- cases -----------------------------------------------------------------------------------------------------
    def case(self, case_id: str, *, for_update: bool = False) -> Case | None:
        query = select(t.cases).where(t.cases.c.id == case_id)
        if for_update and self._for_update:
            query = query.with_for_update()
        row = self.conn.execute(query).first()
        return None if row is None else case_of(row)

    def cases(self, *, status: CaseStatus | None = None, customer: str | None = None) -> list[Case]:
        query = select(t.cases).order_by(t.cases.c.created, t.cases.c.id)
        if status is not None:
            query = query.where(t.cases.c.status == status)
        if customer is not None:
            query = query.where(t.cases.c.customer == customer)
        return [case_of(r) for r in self.conn.execute(query)]

    # ---- audit and idempotency -------------------------------------------------------------------------------------
    def audit_records(self, customer: str | None = None) -> list[AuditRecord]:
        query = select(t.audit).order_by(t.audit.c.at, t.audit.c.id)
        if customer is not None:
            query = query.where(t.audit.c.customer == customer)
        return [
            AuditRecord(
                id=r.id,
                action=r.action,
                args_hash=r.args_hash,
                actor=r.actor,
                customer=r.customer,
                conversation=r.conversation,
                confirming_message=r.confirming_message,
                policy_version=r.policy_version,
                engine_version=r.engine_version,
                result=dict(r.result),
                at=r.at,
            )
            for r in self.conn.execute(query)
        ]

    def idempotent_result(self, customer: str, key: str) -> Row[Any] | None:
        return self.conn.execute(_IDEMPOTENT, {"customer": customer, "key": key}).first()

    # ---- counts ----------------------------------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        """Rows per entity, for reports and the CLI."""
        names = {
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
        return {
            name: int(self.conn.scalar(select(func.count()).select_from(table)) or 0) for name, table in names.items()
        }


def _merchant(row: Row[Any]) -> Merchant:
    return Merchant(
        id=row.id, name=row.name, return_window_days=row.return_window_days, support_email=row.support_email
    )


def case_of(row: Row[Any]) -> Case:
    """A Case from a row of the cases table."""
    return Case(
        id=row.id,
        customer=row.customer,
        reason=row.reason,
        status=row.status,
        summary=row.summary,
        created=row.created,
        conversation=row.conversation,
        assignee=row.assignee,
        order=row.order_id,
        pending=row.pending,
    )
