"""The fixture format (DESIGN.md "Scenario files", key `ledger`): read, validate, import all-or-nothing, export.

Errors name the row and the field: `orders[3] (id 4821-0932).plan.installments[2].due: invalid date`.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import ValidationError

from paydesk.domain import entities as e
from paydesk.domain import yamltext
from paydesk.domain.errors import DeveloperError
from paydesk.domain.money import Money
from paydesk.store.fixture_check import Checker, pydantic_problem
from paydesk.store.fixture_models import ENTITIES, FixtureError, FxLedger, LedgerData
from paydesk.store.ledger import Ledger

# libyaml's C emitter, as its parser (paydesk.domain.yamltext); the pure-Python one is the fallback.
SafeDumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

__all__ = ["ENTITIES", "FixtureError", "LedgerData", "dump", "export", "load_file", "parse", "write"]


# ---- reading files ---------------------------------------------------------------------------------------------------
def load_file(path: Path) -> dict[str, Any]:
    """Read a YAML or JSON ledger file (or a scenario file, whose `ledger` key is used)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DeveloperError(f"{path}: cannot read: {exc.strerror}") from exc
    except UnicodeDecodeError:
        raise FixtureError(["file is not UTF-8 text"], str(path)) from None
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else yamltext.parse(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        kind = "JSON" if path.suffix.lower() == ".json" else "YAML"
        raise FixtureError([f"not valid {kind}: {exc}"], str(path)) from None
    if isinstance(data, dict) and "ledger" in data and not any(k in data for k in ENTITIES):
        data = data["ledger"]
    if not isinstance(data, dict):
        raise FixtureError(["the file must hold one mapping with lists customers, merchants, orders, ..."], str(path))
    return data


# ---- validation ------------------------------------------------------------------------------------------------------
def parse(
    data: dict[str, Any], *, existing: Ledger | None = None, source: str | None = None, now: datetime | None = None
) -> LedgerData:
    """Validate a fixture mapping; raise FixtureError listing every problem. `existing` resolves references to rows
    already in the store (and refuses ids that are taken)."""
    try:
        fx = FxLedger.model_validate(data)
    except ValidationError as exc:
        raise FixtureError([pydantic_problem(err, data) for err in exc.errors()], source) from None
    checker = Checker(fx, existing, now)
    result = checker.run()
    if checker.problems:
        raise FixtureError(checker.problems, source)
    return result


# ---- import and export -----------------------------------------------------------------------------------------------
def write(ledger: Ledger, data: LedgerData) -> dict[str, int]:
    """Insert validated rows in dependency order; returns rows per entity. The caller owns the transaction."""
    ledger.add_customers(data.customers)
    ledger.add_merchants(data.merchants)
    ledger.add_orders(data.orders)
    ledger.add_charges(data.charges)
    ledger.add_refunds(data.refunds)
    ledger.add_returns(data.returns)
    ledger.add_disputes(data.disputes)
    ledger.add_invoices(data.invoices)
    ledger.add_corrections(data.invoice_corrections)
    ledger.add_cases(data.cases)
    return {name: len(getattr(data, name)) for name in ENTITIES}


def export(ledger: Ledger) -> dict[str, Any]:
    """The whole ledger in the fixture format; amounts as strings, dates as dates."""
    orders = ledger.all_orders()
    ids = [o.id for o in orders]
    return {
        "customers": [_customer_out(c) for cid in ledger.customer_ids() if (c := ledger.customer(cid))],
        "merchants": [
            {"id": m.id, "name": m.name, "return_window_days": m.return_window_days, "support_email": m.support_email}
            for m in ledger.merchants()
        ],
        "orders": [_order_out(o) for o in orders],
        "charges": [
            {
                "id": c.id,
                "order": c.order,
                "installment": c.installment,
                "amount": _s(c.amount),
                "status": c.status,
                "at": c.at,
                "payment_method": c.payment_method,
                "decline_reason": c.decline_reason,
            }
            for c in sorted(ledger.charges(ids), key=lambda c: c.id)
        ],
        "refunds": [
            {
                "id": r.id,
                "order": r.order,
                "amount": _s(r.amount),
                "status": r.status,
                "reason": r.reason,
                "created": r.created,
                "expected_by": r.expected_by,
                "completed": r.completed,
            }
            for r in sorted(ledger.refunds(ids), key=lambda r: r.id)
        ],
        "returns": [
            {
                "id": r.id,
                "order": r.order,
                "items": r.items,
                "reason": r.reason,
                "status": r.status,
                "created": r.created,
            }
            for r in sorted(ledger.returns(ids), key=lambda r: r.id)
        ],
        "disputes": [
            {
                "id": d.id,
                "order": d.order,
                "reason": d.reason,
                "status": d.status,
                "created": d.created,
                "merchant_deadline": d.merchant_deadline,
            }
            for d in sorted(ledger.disputes(ids), key=lambda d: d.id)
        ],
        "invoices": [
            {
                "id": i.id,
                "customer": i.customer,
                "period": i.period,
                "currency": i.currency,
                "lines": [{"kind": ln.kind, "order": ln.order, "amount": _s(ln.amount)} for ln in i.lines],
                "total": _s(i.total),
            }
            for i in sorted(ledger.all_invoices(), key=lambda i: i.id)
        ],
        "invoice_corrections": [
            {"id": c.id, "invoice": c.invoice, "amount": _s(c.amount), "reason": c.reason, "status": c.status}
            for c in ledger.corrections()
        ],
        "cases": [
            {
                "id": c.id,
                "conversation": c.conversation,
                "customer": c.customer,
                "reason": c.reason,
                "status": c.status,
                "summary": c.summary,
                "assignee": c.assignee,
                "created": c.created,
                "order": c.order,
                "pending": c.pending,
            }
            for c in sorted(ledger.cases(), key=lambda c: c.id)
        ],
    }


def _s(money: Money) -> str:
    return str(money.amount)


def _customer_out(c: e.Customer) -> dict[str, Any]:
    return {
        "id": c.id,
        "name": c.name,
        "email": c.email,
        "locale": c.locale,
        "market": c.market,
        "payment_methods": [{"id": m.id, "kind": m.kind, "label": m.label} for m in c.payment_methods],
    }


def _order_out(o: e.Order) -> dict[str, Any]:
    return {
        "id": o.id,
        "customer": o.customer,
        "merchant": o.merchant,
        "created": o.created,
        "status": o.status,
        "delivered": o.delivered,
        "currency": o.currency,
        "items": [{"sku": i.sku, "name": i.name, "qty": i.qty, "price": _s(i.price)} for i in o.items],
        "total": _s(o.total),
        "plan": {
            "kind": o.plan.kind,
            "payment_method": o.plan.payment_method,
            "status": o.plan.status,
            "paused_until": o.plan.paused_until,
            "installments": [
                {
                    "seq": i.seq,
                    "due": i.due,
                    "amount": _s(i.amount),
                    "status": i.status,
                    "extended": i.extended,
                    "original_due": i.original_due,
                    "fee": None if i.fee is None else _s(i.fee),
                }
                for i in o.plan.installments
            ],
        },
    }


def dump(data: dict[str, Any], fmt: Literal["yaml", "json"]) -> str:
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False, default=_json_default) + "\n"
    return yaml.dump(data, Dumper=SafeDumper, sort_keys=False, allow_unicode=True, width=120)


def _json_default(value: Any) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")
