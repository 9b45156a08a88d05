"""DESIGN.md's payment schedules: pay_in_4 four equal parts every 14 days from purchase, pay_in_30 one part after
30 days, pay_now one part at purchase, financing monthly parts."""

from __future__ import annotations

from datetime import date, timedelta

from paydesk.domain import entities as e
from paydesk.domain.money import Money

FINANCING_MONTHS = 12


def default_schedule(kind: e.PlanKind, total: Money, created: date) -> list[e.Installment]:
    """DESIGN.md's schedules. Parts due on the purchase day count as paid (they are taken at checkout)."""
    if kind == "pay_in_4":
        parts, dues = total.split(4), [created + timedelta(days=14 * k) for k in range(4)]
    elif kind == "pay_in_30":
        parts, dues = [total], [created + timedelta(days=30)]
    elif kind == "pay_now":
        parts, dues = [total], [created]
    else:
        parts, dues = total.split(FINANCING_MONTHS), [_add_months(created, k + 1) for k in range(FINANCING_MONTHS)]
    return [
        e.Installment(seq=k + 1, due=due, amount=part, status="paid" if due <= created else "scheduled")
        for k, (part, due) in enumerate(zip(parts, dues, strict=True))
    ]


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for candidate in range(day.day, 0, -1):  # 31 Jan + 1 month = 28/29 Feb
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")
