from __future__ import annotations

from typing import Any

from paydesk.actions.base import ActionContext, ActionResult, execute
from paydesk.actions.registry import get
from paydesk.store import fixtures


def act(
    ctx: ActionContext,
    name: str,
    args: dict[str, Any] | None = None,
    *,
    customer: str = "cus_1",
    confirm: bool = True,
    key: str | None = None,
) -> Any:
    result: ActionResult = execute(get(name), ctx, customer, args or {}, confirm=confirm, idempotency_key=key)
    return result


def snapshot(ctx: ActionContext) -> dict[str, Any]:
    with ctx.store.read() as ledger:
        return fixtures.export(ledger)


def audit_actions(ctx: ActionContext) -> list[tuple[str, str]]:
    with ctx.store.read() as ledger:
        return [(r.action, str(r.result.get("outcome"))) for r in ledger.audit_records()]
