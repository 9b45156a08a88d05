"""Small ledgers for tests, in the fixture format (so every test also exercises the importer)."""

from __future__ import annotations

from copy import deepcopy
from typing import Any

ASTRID: dict[str, Any] = {
    "id": "cus_1",
    "name": "Astrid Lind",
    "email": "astrid@example.se",
    "locale": "sv-SE",
    "market": "SE",
    "payment_methods": [
        {"id": "pm_1", "kind": "card", "label": "Visa •••• 4242"},
        {"id": "pm_2", "kind": "bank_account", "label": "Bank account •••• 9911"},
    ],
}
BOB: dict[str, Any] = {
    "id": "cus_2",
    "name": "Bob Smith",
    "email": "bob@example.co.uk",
    "locale": "en-GB",
    "market": "GB",
    "payment_methods": [{"id": "pm_1", "kind": "card", "label": "Mastercard •••• 1111"}],
}
MERCHANTS: list[dict[str, Any]] = [
    {"id": "mer_1", "name": "Nordic Shoes", "return_window_days": 30, "support_email": "help@nordicshoes.example"},
    {"id": "mer_2", "name": "Pixel Electronics", "return_window_days": 14},
]


def pay_in_4(
    order_id: str,
    *,
    customer: str = "cus_1",
    created: str = "2026-11-01",
    status: str = "delivered",
    delivered: str | None = "2026-11-05",
    price: str = "1199.00",
    currency: str = "SEK",
    paid: int = 2,
    merchant: str = "mer_1",
    plan_status: str = "active",
) -> dict[str, Any]:
    """A pay-in-4 order of one item; the first `paid` installments paid (dates follow DESIGN.md's example)."""
    from datetime import date, timedelta
    from decimal import Decimal

    start = date.fromisoformat(created)
    part = Decimal(price) / 4
    return {
        "id": order_id,
        "customer": customer,
        "merchant": merchant,
        "created": created,
        "status": status,
        "delivered": delivered,
        "currency": currency,
        "items": [{"sku": "SH-42", "name": "Löparskor", "qty": 1, "price": price}],
        "plan": {
            "kind": "pay_in_4",
            "payment_method": "pm_1",
            "status": plan_status,
            "installments": [
                {
                    "seq": k + 1,
                    "due": (start + timedelta(days=14 * k)).isoformat(),
                    "amount": str(part),
                    "status": "paid" if k < paid else "scheduled",
                }
                for k in range(4)
            ],
        },
    }


def ledger(*orders: dict[str, Any], **extra: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "customers": [deepcopy(ASTRID), deepcopy(BOB)],
        "merchants": deepcopy(MERCHANTS),
        "orders": list(orders),
        **extra,
    }
