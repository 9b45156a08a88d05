"""What a rule says about an action: allow, deny with a machine-readable reason, or needs a human approver."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from paydesk.domain.errors import PolicyRefusal
from paydesk.domain.money import Money


@dataclass(frozen=True, slots=True)
class Allow:
    kind: Literal["allow"] = "allow"


@dataclass(frozen=True, slots=True)
class Deny:
    """`reason` is a stable code (`return_window_closed`); `detail` holds the facts a reply needs (dates, contacts)."""

    reason: str
    detail: dict[str, Any] = field(default_factory=dict)
    kind: Literal["deny"] = "deny"

    def refusal(self) -> PolicyRefusal:
        text = self.reason.replace("_", " ")
        return PolicyRefusal(f"refused by policy: {text}", code=self.reason, details=self.detail)


@dataclass(frozen=True, slots=True)
class NeedsApproval:
    """Above the approval limit: record the request as pending and open an `approval` case."""

    limit: Money
    kind: Literal["needs_approval"] = "needs_approval"


Verdict = Allow | Deny | NeedsApproval

ALLOW = Allow()


def enforce(verdict: Allow | Deny) -> None:
    """Raise the refusal of a Deny; do nothing on Allow."""
    if isinstance(verdict, Deny):
        raise verdict.refusal()
