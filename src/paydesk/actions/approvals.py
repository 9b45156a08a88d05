"""approve / reject (WRITE, agents only): the checker's half of maker-checker."""

from __future__ import annotations

from pydantic import Field

from paydesk.actions.base import Action, ActionResult, Args, Call
from paydesk.domain.entities import Case
from paydesk.domain.errors import ApprovalNeeded, NotFound
from paydesk.policy.verdict import Deny, enforce


class DecisionArgs(Args):
    case: str
    note: str = Field(default="", max_length=2000)


class DecisionResult(ActionResult):
    case_id: str
    pending: str
    status: str


def _pending_case(call: Call[DecisionArgs]) -> tuple[Case, str, str]:
    if not call.ctx.actor.startswith("agent:"):
        raise ApprovalNeeded(f"only a human agent may decide on case {call.args.case}, not {call.ctx.actor}")
    case = call.ledger.case(call.args.case, for_update=True)
    if case is None or case.customer != call.customer.id:
        raise NotFound("case", call.args.case)
    if case.status not in ("queued", "assigned"):
        enforce(Deny("case_closed", {"status": case.status}))
    if case.pending is None:
        enforce(Deny("nothing_to_approve"))
    assert case.pending is not None
    kind, _, row_id = case.pending.partition(":")
    return case, kind, row_id


def _decide(call: Call[DecisionArgs], approve: bool) -> DecisionResult:
    ledger = call.ledger
    case, kind, row_id = _pending_case(call)
    if kind == "refund":
        refund = ledger.refund(row_id)
        if refund is None or refund.status != "pending_approval":
            enforce(Deny("nothing_to_approve", {"pending": case.pending}))
        status = "processing" if approve else "failed"
        ledger.set_refund(row_id, status=status)
    else:
        correction = ledger.correction(row_id)
        if correction is None or correction.status != "pending_approval":
            enforce(Deny("nothing_to_approve", {"pending": case.pending}))
        status = "applied" if approve else "rejected"
        ledger.set_correction(row_id, status=status)
    agent = call.ctx.actor.removeprefix("agent:")
    ledger.set_case(case.id, status="resolved", assignee=case.assignee or agent)
    return DecisionResult(case_id=case.id, pending=case.pending or "", status=status)


def approve(call: Call[DecisionArgs]) -> DecisionResult:
    """WRITE (agent). Approve the refund or invoice correction a case holds pending: the refund goes `processing`,
    the correction `applied`; the case is resolved. Args: case, note. Refusals: case_closed, nothing_to_approve;
    ApprovalNeeded when the actor is not a human agent."""
    return _decide(call, approve=True)


def reject(call: Call[DecisionArgs]) -> DecisionResult:
    """WRITE (agent). Reject the pending refund (it becomes `failed`) or correction (`rejected`); the case is
    resolved. Args: case, note. Refusals as for approve."""
    return _decide(call, approve=False)


APPROVE = Action("approve", "WRITE", DecisionArgs, DecisionResult, approve)
REJECT = Action("reject", "WRITE", DecisionArgs, DecisionResult, reject)
