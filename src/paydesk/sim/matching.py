"""Ledger facts: the rows of each entity (plans and installments flattened out of their orders), and matching a
fact against them (amounts as decimals, dates as dates, lists as sets)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from paydesk.sim.scenario import Fact

PLURAL = {
    "customer": "customers",
    "merchant": "merchants",
    "order": "orders",
    "charge": "charges",
    "refund": "refunds",
    "return": "returns",
    "dispute": "disputes",
    "invoice": "invoices",
    "invoice_correction": "invoice_corrections",
    "case": "cases",
}


def rows(export: dict[str, Any], entity: str) -> list[dict[str, Any]]:
    if entity == "plan":
        return [
            {"order": o["id"], **{k: v for k, v in o["plan"].items() if k != "installments"}} for o in export["orders"]
        ]
    if entity == "installment":
        return [{"order": o["id"], **i} for o in export["orders"] for i in o["plan"]["installments"]]
    if entity == "order":
        return [{k: v for k, v in o.items() if k != "plan"} for o in export["orders"]]
    return list(export.get(PLURAL[entity], []))


def equal(expected: Any, actual: Any) -> bool:
    """Whether a fact's value matches a row's value (amounts as decimals, dates as dates, lists as sets)."""
    if expected is None or actual is None:
        return expected is None and actual is None
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return False
        return {_key(x) for x in expected} == {_key(x) for x in actual}
    if isinstance(actual, bool) or isinstance(expected, bool):
        return isinstance(expected, bool) and isinstance(actual, bool) and expected == actual
    if isinstance(actual, datetime | date) or isinstance(expected, datetime | date):
        return bool(_day(expected) == _day(actual))
    number_e, number_a = _decimal(expected), _decimal(actual)
    if number_e is not None and number_a is not None:
        return number_e == number_a
    return str(expected) == str(actual)


def _key(value: Any) -> str:
    return str(value)


def _day(value: Any) -> Any:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return value
    try:
        return datetime.fromisoformat(str(value)) if "T" in str(value) else date.fromisoformat(str(value))
    except ValueError:
        return str(value)


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, int | Decimal) or (isinstance(value, str) and value.replace(".", "", 1).lstrip("-").isdigit()):
        try:
            return Decimal(str(value))
        except InvalidOperation:
            return None
    return None


def holds(fact: Fact, export: dict[str, Any]) -> bool:
    wanted = fact.fields
    return any(all(k in row and equal(v, row[k]) for k, v in wanted.items()) for row in rows(export, fact.entity))


def without_cases(export: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in export.items() if k != "cases"}
