"""The one exception hierarchy of paydesk.

Callers branch on the class; every error carries a machine-readable `code` and a human-readable message.
"""

from __future__ import annotations

from typing import Any


class PaydeskError(Exception):
    """Base of every error paydesk raises on purpose."""

    code: str = "error"

    def __init__(self, message: str, *, code: str | None = None, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.details: dict[str, Any] = details or {}


class PolicyRefusal(PaydeskError):
    """The policy does not allow the action; `code` is the machine-readable reason (e.g. `return_window_closed`)."""

    code = "refused"


class NeedsInput(PaydeskError):
    """The customer must supply something first (a slot, a choice, a confirmation); `slot` names it."""

    code = "needs_input"

    def __init__(self, message: str, *, slot: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message, code=f"needs_{slot}", details=details)
        self.slot = slot


class NotFound(PaydeskError):
    """The thing does not exist, or does not belong to the acting customer (deliberately indistinguishable)."""

    code = "not_found"

    def __init__(self, kind: str, ident: str) -> None:
        super().__init__(f"no {kind} {ident!r} for this customer", details={"kind": kind, "id": ident})
        self.kind = kind
        self.ident = ident


class ApprovalNeeded(PaydeskError):
    """The action needs a human approver (maker-checker) that the caller is not."""

    code = "approval_needed"


class DeveloperError(PaydeskError):
    """The caller used paydesk wrongly: unknown action, arguments of the wrong type or shape, bad fixture data."""

    code = "invalid_input"


class IdempotencyConflict(DeveloperError):
    """An idempotency key was reused with different arguments."""

    code = "idempotency_conflict"


class UpstreamError(PaydeskError):
    """A dependency outside paydesk failed (database unavailable, model endpoint down)."""

    code = "upstream_failure"
