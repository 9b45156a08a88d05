"""The action runner's guarantees: confirmation, idempotency, audit, ownership, clear bad-input errors."""

from __future__ import annotations

import pytest

from paydesk.actions.base import ActionContext
from paydesk.domain.errors import DeveloperError, IdempotencyConflict, NotFound
from tests.actions.helpers import act, audit_actions, snapshot
from tests.conftest import load
from tests.factory import ledger, pay_in_4


@pytest.fixture(autouse=True)
def _ledger(ctx: ActionContext) -> None:
    load(ctx.store, ledger(pay_in_4("ord_1"), pay_in_4("ord_bob", customer="cus_2", currency="GBP", price="80.00")))


def test_a_write_without_confirmation_previews_and_changes_nothing(ctx: ActionContext) -> None:
    before = snapshot(ctx)
    preview = act(ctx, "report_return", {"order": "ord_1", "reason": "too small"}, confirm=False)
    assert preview.outcome == "preview"
    assert str(preview.paused_until) == "2026-12-13"
    assert snapshot(ctx) == before
    assert audit_actions(ctx) == []


def test_a_confirmed_write_is_audited(ctx: ActionContext) -> None:
    ctx = ActionContext(
        store=ctx.store, policy=ctx.policy, clock=ctx.clock, conversation="conv_9", confirming_message="Ja, gör det"
    )
    act(ctx, "report_return", {"order": "ord_1"})
    with ctx.store.read() as led:
        (record,) = led.audit_records()
    assert (record.action, record.actor, record.conversation) == ("report_return", "assistant", "conv_9")
    assert record.confirming_message == "Ja, gör det"
    assert record.policy_version.startswith(ctx.policy.version)
    assert record.result["outcome"] == "done" and len(record.args_hash) == 64


def test_same_key_same_arguments_gives_the_first_result_and_one_effect(ctx: ActionContext) -> None:
    first = act(ctx, "report_return", {"order": "ord_1"}, key="k1")
    second = act(ctx, "report_return", {"order": "ord_1"}, key="k1")
    assert second.replayed and not first.replayed
    assert second.return_id == first.return_id
    with ctx.store.read() as led:
        assert len(led.returns(["ord_1"])) == 1
        assert len(led.audit_records()) == 1


def test_same_key_other_arguments_is_a_conflict(ctx: ActionContext) -> None:
    act(ctx, "report_return", {"order": "ord_1"}, key="k1")
    with pytest.raises(IdempotencyConflict, match="other arguments"):
        act(ctx, "report_return", {"order": "ord_1", "reason": "different"}, key="k1")
    with pytest.raises(IdempotencyConflict):
        act(ctx, "open_dispute", {"order": "ord_1", "reason": "faulty"}, key="k1")


def test_another_customers_order_is_not_found_and_nothing_changes(ctx: ActionContext) -> None:
    before = snapshot(ctx)
    for name, args in [
        ("report_return", {"order": "ord_bob"}),
        ("cancel_order", {"order": "ord_bob"}),
        ("open_dispute", {"order": "ord_bob", "reason": "faulty"}),
        ("get_order", {"order": "ord_bob"}),
        ("pay_now", {"order": "ord_bob"}),
        ("payment_schedule", {"order": "ord_bob"}),
    ]:
        with pytest.raises(NotFound) as info:
            act(ctx, name, args)
        assert "ord_bob" in info.value.message and "Bob" not in info.value.message
    assert snapshot(ctx) == before
    assert ("report_return", "refused") in audit_actions(ctx)  # the attempt is on record


@pytest.mark.parametrize(
    ("name", "args", "message"),
    [
        ("report_return", {}, "order: Field required"),
        ("report_return", {"order": 12}, "order: Input should be a valid string"),
        ("report_return", {"order": "ord_1", "colour": "red"}, "colour: unknown argument"),
        ("open_dispute", {"order": "ord_1", "reason": "bored"}, "reason: Input should be"),
        ("explain_charge", {"amount": "-5"}, "amount: Input should be greater than 0"),
        ("explain_charge", {"amount": "1.001"}, "amount: Decimal input should have no more than 2 decimal places"),
        ("explain_charge", {"amount": "lots"}, "amount: Input should be a valid decimal"),
        ("extend_due_date", {"order": "ord_1", "new_due": "next week"}, "new_due:"),
        ("pay_now", {"order": "ord_1", "scope": "half"}, "scope: Input should be 'next' or 'all'"),
    ],
)
def test_bad_arguments_are_refused_clearly_and_change_nothing(
    ctx: ActionContext, name: str, args: dict[str, object], message: str
) -> None:
    before = snapshot(ctx)
    with pytest.raises(DeveloperError) as info:
        act(ctx, name, args)
    assert message in info.value.message
    assert snapshot(ctx) == before


def test_unknown_action() -> None:
    from paydesk.actions.registry import get

    with pytest.raises(DeveloperError, match="unknown action 'refund_everything'"):
        get("refund_everything")


def test_unknown_customer(ctx: ActionContext) -> None:
    with pytest.raises(NotFound):
        act(ctx, "find_orders", customer="cus_404")


def test_every_action_documents_its_contract() -> None:
    from paydesk.actions.registry import ACTIONS

    expected = {
        "find_orders",
        "get_order",
        "payment_schedule",
        "list_refunds",
        "report_return",
        "cancel_order",
        "open_dispute",
        "refund_duplicate_charge",
        "explain_failed_payment",
        "extend_due_date",
        "pay_now",
        "change_payment_method",
        "review_invoice",
        "correct_invoice",
        "explain_charge",
        "create_case",
        "approve",
        "reject",
    }
    assert set(ACTIONS) == expected
    for action in ACTIONS.values():
        assert action.doc.startswith(action.kind), action.name
