"""Which order the customer means: named (id, merchant or product words), the only one that fits, or asked."""

from __future__ import annotations

from collections.abc import Callable

from paydesk.dialogue.session import Session
from paydesk.dialogue.state import Option
from paydesk.domain.entities import Order

MAX_OPTIONS = 6


def option(s: Session, order: Order) -> Option:
    label = s.text("order.option", merchant=s.merchant(order), date=s.day(order.created), amount=s.money(order.total))
    return Option(value=order.id, label=label)


def resolve(s: Session, fits: Callable[[Order], bool]) -> Order | None:
    """The order of the flow, or None after asking for it (or saying none fits). A named order is taken even when it
    does not fit, so that the policy can say why; an id that is not the customer's is never repeated back."""
    slots = s.slots
    if slots.get("order"):
        found = s.order(slots["order"])
        if found is not None:
            return found
    named = s.u.slots.order
    if named is not None and s.order(named) is not None:
        slots["order"] = named
        return s.order(named)
    unknown = named is not None or _looks_like_unknown_id(s)
    pool = [s.order(oid) for oid in s.u.slots.order_candidates if s.order(oid) is not None]
    candidates = [o for o in (pool or s.orders) if o is not None and fits(o)]
    if not unknown and len(candidates) == 1 and not s.times_asked("order"):  # asked "which?": the answer must say
        slots["order"] = candidates[0].id
        return candidates[0]
    if not candidates or s.times_asked("order") >= 2:
        s.say("order.unknown" if unknown else "order.none")
        s.state.queue = []  # what else was asked for was about the same order
        s.finish()
        return None
    if unknown:
        s.say("order.unknown")
    newest = sorted(candidates, key=lambda o: (o.created, o.id), reverse=True)[:MAX_OPTIONS]
    s.ask("order", "order.ask", [option(s, o) for o in newest])
    return None


def _looks_like_unknown_id(s: Session) -> bool:
    from paydesk.understanding.slots import order_ids

    return any(s.order(i) is None for i in order_ids(s.message))
