"""The ledger's write half: inserts and updates inside the caller's transaction. Only actions/ and the importer
call these (through Ledger)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, Table, and_, delete, insert, update

from paydesk.domain.entities import (
    AuditRecord,
    Case,
    Charge,
    Customer,
    Dispute,
    Invoice,
    InvoiceCorrection,
    Merchant,
    Order,
    Refund,
    Return,
)
from paydesk.store import tables as t


class LedgerWriter:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add_audit(self, record: AuditRecord) -> None:
        self.conn.execute(
            insert(t.audit).values(
                id=record.id,
                action=record.action,
                args_hash=record.args_hash,
                actor=record.actor,
                customer=record.customer,
                conversation=record.conversation,
                confirming_message=record.confirming_message,
                policy_version=record.policy_version,
                engine_version=record.engine_version,
                result=record.result,
                at=record.at,
            )
        )

    def save_idempotent_result(
        self, customer: str, key: str, action: str, args_hash: str, result: dict[str, Any], at: Any
    ) -> None:
        self.conn.execute(
            insert(t.idempotency).values(
                customer=customer, key=key, action=action, args_hash=args_hash, result=result, at=at
            )
        )

    def set_idempotent_result(self, customer: str, key: str, result: dict[str, Any]) -> None:
        table = t.idempotency
        self.conn.execute(
            update(table).where(and_(table.c.customer == customer, table.c.key == key)).values(result=result)
        )

    def add_customers(self, items: Iterable[Customer]) -> None:
        rows, methods = [], []
        for c in items:
            rows.append({"id": c.id, "name": c.name, "email": c.email, "locale": c.locale, "market": c.market})
            methods += [
                {"customer": c.id, "id": m.id, "position": i, "kind": m.kind, "label": m.label}
                for i, m in enumerate(c.payment_methods)
            ]
        self._insert(t.customers, rows)
        self._insert(t.payment_methods, methods)

    def add_merchants(self, items: Iterable[Merchant]) -> None:
        self._insert(
            t.merchants,
            [
                {
                    "id": m.id,
                    "name": m.name,
                    "return_window_days": m.return_window_days,
                    "support_email": m.support_email,
                }
                for m in items
            ],
        )

    def add_orders(self, items: Iterable[Order]) -> None:
        rows: list[dict[str, Any]] = []
        lines: list[dict[str, Any]] = []
        plans: list[dict[str, Any]] = []
        insts: list[dict[str, Any]] = []
        for o in items:
            rows.append(
                {
                    "id": o.id,
                    "customer": o.customer,
                    "merchant": o.merchant,
                    "created": o.created,
                    "status": o.status,
                    "delivered": o.delivered,
                    "currency": o.currency,
                }
            )
            lines += [
                {
                    "order_id": o.id,
                    "position": i,
                    "sku": it.sku,
                    "name": it.name,
                    "qty": it.qty,
                    "price_minor": it.price.minor,
                }
                for i, it in enumerate(o.items)
            ]
            plans.append(
                {
                    "order_id": o.id,
                    "kind": o.plan.kind,
                    "status": o.plan.status,
                    "paused_until": o.plan.paused_until,
                    "payment_method": o.plan.payment_method,
                }
            )
            insts += [
                {
                    "order_id": o.id,
                    "seq": i.seq,
                    "due": i.due,
                    "amount_minor": i.amount.minor,
                    "status": i.status,
                    "extended": i.extended,
                    "original_due": i.original_due,
                    "fee_minor": None if i.fee is None else i.fee.minor,
                }
                for i in o.plan.installments
            ]
        self._insert(t.orders, rows)
        self._insert(t.order_items, lines)
        self._insert(t.plans, plans)
        self._insert(t.installments, insts)

    def add_charges(self, items: Iterable[Charge]) -> None:
        self._insert(
            t.charges,
            [
                {
                    "id": c.id,
                    "order_id": c.order,
                    "installment": c.installment,
                    "amount_minor": c.amount.minor,
                    "status": c.status,
                    "at": c.at,
                    "payment_method": c.payment_method,
                    "decline_reason": c.decline_reason,
                }
                for c in items
            ],
        )

    def add_refunds(self, items: Iterable[Refund]) -> None:
        self._insert(
            t.refunds,
            [
                {
                    "id": r.id,
                    "order_id": r.order,
                    "amount_minor": r.amount.minor,
                    "status": r.status,
                    "reason": r.reason,
                    "created": r.created,
                    "expected_by": r.expected_by,
                    "completed": r.completed,
                }
                for r in items
            ],
        )

    def add_returns(self, items: Iterable[Return]) -> None:
        self._insert(
            t.returns,
            [
                {
                    "id": r.id,
                    "order_id": r.order,
                    "items": list(r.items),
                    "reason": r.reason,
                    "status": r.status,
                    "created": r.created,
                }
                for r in items
            ],
        )

    def add_disputes(self, items: Iterable[Dispute]) -> None:
        self._insert(
            t.disputes,
            [
                {
                    "id": d.id,
                    "order_id": d.order,
                    "reason": d.reason,
                    "status": d.status,
                    "created": d.created,
                    "merchant_deadline": d.merchant_deadline,
                }
                for d in items
            ],
        )

    def add_invoices(self, items: Iterable[Invoice]) -> None:
        rows, lines = [], []
        for inv in items:
            rows.append(
                {
                    "id": inv.id,
                    "customer": inv.customer,
                    "period": inv.period,
                    "currency": inv.currency,
                    "total_minor": inv.total.minor,
                }
            )
            lines += [
                {
                    "invoice": inv.id,
                    "position": i,
                    "kind": ln.kind,
                    "order_id": ln.order,
                    "amount_minor": ln.amount.minor,
                }
                for i, ln in enumerate(inv.lines)
            ]
        self._insert(t.invoices, rows)
        self._insert(t.invoice_lines, lines)

    def add_corrections(self, items: Iterable[InvoiceCorrection]) -> None:
        self._insert(
            t.invoice_corrections,
            [
                {
                    "id": c.id,
                    "invoice": c.invoice,
                    "amount_minor": c.amount.minor,
                    "reason": c.reason,
                    "status": c.status,
                }
                for c in items
            ],
        )

    def add_cases(self, items: Iterable[Case]) -> None:
        self._insert(
            t.cases,
            [
                {
                    "id": c.id,
                    "conversation": c.conversation,
                    "customer": c.customer,
                    "reason": c.reason,
                    "status": c.status,
                    "summary": c.summary,
                    "assignee": c.assignee,
                    "created": c.created,
                    "order_id": c.order,
                    "pending": c.pending,
                }
                for c in items
            ],
        )

    def _insert(self, table: Table, rows: list[dict[str, Any]]) -> None:
        if rows:
            self.conn.execute(insert(table), rows)

    def set_order(self, order_id: str, **values: Any) -> None:
        self.conn.execute(update(t.orders).where(t.orders.c.id == order_id).values(**values))

    def set_plan(self, order_id: str, **values: Any) -> None:
        self.conn.execute(update(t.plans).where(t.plans.c.order_id == order_id).values(**values))

    def set_installment(self, order_id: str, seq: int, **values: Any) -> None:
        table = t.installments
        self.conn.execute(update(table).where(and_(table.c.order_id == order_id, table.c.seq == seq)).values(**values))

    def set_installments_status(self, order_id: str, old: str, new: str) -> None:
        table = t.installments
        self.conn.execute(
            update(table).where(and_(table.c.order_id == order_id, table.c.status == old)).values(status=new)
        )

    def set_charge(self, charge_id: str, **values: Any) -> None:
        self.conn.execute(update(t.charges).where(t.charges.c.id == charge_id).values(**values))

    def set_refund(self, refund_id: str, **values: Any) -> None:
        self.conn.execute(update(t.refunds).where(t.refunds.c.id == refund_id).values(**values))

    def set_correction(self, correction_id: str, **values: Any) -> None:
        table = t.invoice_corrections
        self.conn.execute(update(table).where(table.c.id == correction_id).values(**values))

    def set_case(self, case_id: str, **values: Any) -> None:
        self.conn.execute(update(t.cases).where(t.cases.c.id == case_id).values(**values))

    def delete_everything(self) -> None:
        """Empty every table (for `seed --reset`), children first; the audit trail's append-only guard is lifted
        for this transaction only."""
        dialect = self.conn.dialect.name
        for statement in t.APPEND_ONLY_OFF.get(dialect, ()):
            self.conn.exec_driver_sql(statement)
        for table in reversed(t.metadata.sorted_tables):
            self.conn.execute(delete(table))
        for statement in t.APPEND_ONLY.get(dialect, ()):
            self.conn.exec_driver_sql(statement)
