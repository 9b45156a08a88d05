"""Which stored payment method the customer means: its id or label (a quick reply), its last four digits, or the
kind ("my bank account", "kortet", "카드") when only one method of that kind is on offer."""

from __future__ import annotations

from paydesk.domain.entities import PaymentMethod
from paydesk.understanding.cues import cues
from paydesk.understanding.slots import fold


def chosen(message: str, methods: list[PaymentMethod]) -> PaymentMethod | None:
    text = message.strip()
    for m in methods:
        last4 = "".join(ch for ch in m.label if ch.isdigit())[-4:]
        if text in (m.id, m.label) or (last4 and last4 in text):
            return m
    folded = fold(text)
    words = folded.split()
    kinds = {
        kind
        for kind, stems in cues().method_words.items()
        if any(w.startswith(fold(stem)) or fold(stem) in folded for stem in stems for w in words)
    }
    of_kind = [m for m in methods if m.kind in kinds]
    if len(of_kind) == 1:
        return of_kind[0]
    return methods[0] if len(methods) == 1 else None
