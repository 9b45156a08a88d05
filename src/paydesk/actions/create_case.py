"""create_case (WRITE, no confirmation): hand the conversation over to human agents."""

from __future__ import annotations

from pydantic import Field

from paydesk.actions.base import Action, ActionResult, Args, Call
from paydesk.actions.common import open_case, owned_order
from paydesk.domain.entities import CaseReason


class CreateCaseArgs(Args):
    reason: CaseReason
    summary: str = Field(min_length=1, max_length=20_000)
    order: str | None = None


class CreateCaseResult(ActionResult):
    case_id: str
    status: str
    reason: str


def run(call: Call[CreateCaseArgs]) -> CreateCaseResult:
    """WRITE. Queue a case for human agents with a summary, for the conversation in the context. Needs no separate
    confirmation: the customer asked for a person, or the policy requires one (fraud, hardship, approval...).
    Args: reason, summary, order (optional, must be the customer's). An open case of the same conversation is
    returned instead of a second one."""
    ledger, ctx, args = call.ledger, call.ctx, call.args
    if args.order is not None:
        owned_order(ledger, call.customer, args.order)
    if ctx.conversation is not None:
        for case in ledger.cases(customer=call.customer.id):
            if case.conversation == ctx.conversation and case.status in ("queued", "assigned"):
                return CreateCaseResult(case_id=case.id, status=case.status, reason=case.reason)
    case = open_case(ledger, ctx, call.customer, reason=args.reason, summary=args.summary, order=args.order)
    return CreateCaseResult(case_id=case.id, status=case.status, reason=case.reason)


ACTION = Action("create_case", "WRITE", CreateCaseArgs, CreateCaseResult, run, needs_confirmation=False)
