"""The action runner: the only path by which anything changes the ledger.

A WRITE runs in one transaction that checks ownership and policy (inside the action), refuses to write without the
customer's confirmation (it then returns a `preview` of exactly what would happen, computed by the same code and rolled
back), honours an idempotency key (same key and arguments: the first result, no second effect; other arguments: a
conflict) and appends an audit record.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError
from sqlalchemy.exc import IntegrityError

from paydesk import __version__
from paydesk.domain.clock import Clock, today
from paydesk.domain.entities import AuditRecord, Customer
from paydesk.domain.errors import DeveloperError, IdempotencyConflict, NotFound, PaydeskError, PolicyRefusal
from paydesk.domain.money import Money
from paydesk.domain.redaction import redact
from paydesk.policy.model import Policy
from paydesk.store.database import Store
from paydesk.store.ledger import Known, Ledger

Kind = Literal["READ", "WRITE"]
Outcome = Literal["done", "preview", "pending_approval"]


@dataclass(frozen=True)
class ActionContext:
    """Everything an action may use, passed explicitly.

    actor: `assistant`, `agent:<id>` or `system`, recorded on the audit row.
    conversation / confirming_message: where the customer's yes came from, for the audit trail.
    """

    store: Store
    policy: Policy
    clock: Clock
    actor: str = "assistant"
    conversation: str | None = None
    confirming_message: str | None = None
    engine_version: str = f"paydesk/{__version__}"
    known: Known | None = None  # what the turn already read, for READs (never for WRITEs, which read under their lock)

    def with_actor(self, actor: str) -> ActionContext:
        return replace(self, actor=actor)

    @property
    def today(self) -> Any:
        return today(self.clock)


class Args(BaseModel):
    """Base of every action's arguments: strict about unknown fields."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class MoneyOut(BaseModel):
    amount: str
    currency: str

    @classmethod
    def of(cls, money: Money) -> MoneyOut:
        return cls(amount=str(money.amount), currency=money.currency)


class ActionResult(BaseModel):
    """Base of every result. `outcome` is `preview` when nothing was written for want of a confirmation."""

    outcome: Outcome = "done"
    replayed: bool = False


A = TypeVar("A", bound=Args)
R = TypeVar("R", bound=ActionResult)


@dataclass(frozen=True)
class Call(Generic[A]):
    """One invocation as an action's `run` sees it."""

    ledger: Ledger
    ctx: ActionContext
    customer: Customer
    args: A


@dataclass(frozen=True)
class Action(Generic[A, R]):
    """An operation: its name, READ/WRITE, argument and result models, and `run`, whose docstring is the contract.

    needs_confirmation: False only for writes the customer asked for by themselves saying it (a handoff case).
    """

    name: str
    kind: Kind
    args: type[A]
    result: type[R]
    run: Callable[[Call[A]], R]
    needs_confirmation: bool = True

    @property
    def doc(self) -> str:
        return (self.run.__doc__ or "").strip()

    def parse(self, raw: Mapping[str, Any] | A) -> A:
        if isinstance(raw, self.args):
            return raw
        try:
            return self.args.model_validate(raw)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in err['loc']) or 'args'}: "
                f"{'unknown argument' if err['type'] == 'extra_forbidden' else err['msg']}"
                for err in exc.errors()
            )
            raise DeveloperError(f"{self.name}: bad arguments: {problems}", code="bad_arguments") from None


class _Preview(Exception):
    def __init__(self, result: ActionResult) -> None:
        self.result = result


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(6)}"


def args_hash(action: str, args: BaseModel) -> str:
    canonical = json.dumps({"action": action, "args": args.model_dump(mode="json")}, sort_keys=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def load_customer(ledger: Ledger, customer_id: str) -> Customer:
    customer = ledger.customer(customer_id)
    if customer is None:
        raise NotFound("customer", customer_id)
    return customer


def execute(
    action: Action[A, R],
    ctx: ActionContext,
    customer_id: str,
    raw_args: Mapping[str, Any] | A,
    *,
    confirm: bool = False,
    idempotency_key: str | None = None,
) -> R:
    """Run `action` as `customer_id`. READs just read. WRITEs: see the module docstring."""
    args = action.parse(raw_args)
    if action.kind == "READ":
        with ctx.store.read() as ledger:
            ledger.knowing(ctx.known)
            return action.run(Call(ledger, ctx, load_customer(ledger, customer_id), args))
    if not confirm and action.needs_confirmation:
        return _preview(action, ctx, customer_id, args)
    digest = args_hash(action.name, args)
    key = idempotency_key or new_id("auto")
    for _attempt in range(3):
        try:
            return _write(action, ctx, customer_id, args, digest, key)
        except _KeyTaken:
            replayed = _replay(action, ctx, customer_id, key, digest)
            if replayed is not None:
                return replayed
            # The other holder of the key rolled back (it was refused): try ourselves.
    raise DeveloperError(f"idempotency key {key!r} is contended; retry")


class _KeyTaken(Exception):
    pass


def _preview(action: Action[A, R], ctx: ActionContext, customer_id: str, args: A) -> R:
    try:
        with ctx.store.write() as ledger:
            result = action.run(Call(ledger, ctx, load_customer(ledger, customer_id), args))
            raise _Preview(result.model_copy(update={"outcome": "preview"}))
    except _Preview as preview:
        return preview.result  # type: ignore[return-value]


def _write(action: Action[A, R], ctx: ActionContext, customer_id: str, args: A, digest: str, key: str) -> R:
    try:
        with ctx.store.write() as ledger:
            stored = ledger.idempotent_result(customer_id, key)
            if stored is not None:
                raise _KeyTaken
            try:
                with ledger.conn.begin_nested():
                    # Claim the key first: a concurrent holder makes this wait, then fail, on PostgreSQL.
                    ledger.save_idempotent_result(customer_id, key, action.name, digest, {}, ctx.clock.now())
            except IntegrityError:
                raise _KeyTaken from None
            result = action.run(Call(ledger, ctx, load_customer(ledger, customer_id), args))
            payload = result.model_dump(mode="json")
            ledger.set_idempotent_result(customer_id, key, payload)
            ledger.add_audit(_audit(action, ctx, customer_id, digest, payload))
            return result
    except (PolicyRefusal, NotFound) as refusal:
        _audit_refusal(action, ctx, customer_id, digest, refusal)
        raise


def _replay(action: Action[A, R], ctx: ActionContext, customer_id: str, key: str, digest: str) -> R | None:
    with ctx.store.read() as ledger:
        row = ledger.idempotent_result(customer_id, key)
    if row is None:
        return None
    if row.action != action.name or row.args_hash != digest:
        raise IdempotencyConflict(
            f"idempotency key {key!r} was already used for {row.action} with other arguments",
            details={"key": key, "action": row.action},
        )
    return action.result.model_validate({**row.result, "replayed": True})


def _audit(
    action: Action[Any, Any], ctx: ActionContext, customer_id: str, digest: str, result: dict[str, Any]
) -> AuditRecord:
    return AuditRecord(
        id=new_id("aud"),
        action=action.name,
        args_hash=digest,
        actor=ctx.actor,
        customer=customer_id,
        conversation=ctx.conversation,
        confirming_message=redact(ctx.confirming_message) if ctx.confirming_message else None,
        policy_version=ctx.policy.label,
        engine_version=ctx.engine_version,
        result=result,
        at=ctx.clock.now(),
    )


def _audit_refusal(
    action: Action[Any, Any], ctx: ActionContext, customer_id: str, digest: str, error: PaydeskError
) -> None:
    """Refused writes leave a trace too (attempts on other customers' orders are worth knowing about)."""
    result = {"outcome": "refused", "code": error.code, "message": error.message}
    with ctx.store.write() as ledger:
        ledger.add_audit(_audit(action, ctx, customer_id, digest, result))
