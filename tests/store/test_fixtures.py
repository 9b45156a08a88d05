"""Ledger import/export: validation that names the row and field, all-or-nothing import, lossless round trip."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from paydesk.store import fixtures
from paydesk.store.database import Store
from paydesk.store.demo import demo_ledger
from tests.conftest import NOW, load
from tests.factory import ledger, pay_in_4

FULL = ledger(
    pay_in_4("ord_1"),
    pay_in_4("ord_2", status="pending", delivered=None, paid=1),
    charges=[
        {
            "id": "ch_1",
            "order": "ord_1",
            "installment": 1,
            "amount": "299.75",
            "status": "captured",
            "at": "2026-11-01T09:00:00+00:00",
            "payment_method": "pm_1",
            "decline_reason": None,
        }
    ],
    refunds=[
        {
            "id": "rf_1",
            "order": "ord_1",
            "amount": "100.00",
            "status": "completed",
            "reason": "goodwill",
            "created": "2026-11-02",
            "expected_by": "2026-11-12",
            "completed": "2026-11-04",
        }
    ],
    returns=[
        {
            "id": "ret_1",
            "order": "ord_1",
            "items": ["SH-42"],
            "reason": "too small",
            "status": "registered",
            "created": "2026-11-06",
        }
    ],
    disputes=[
        {
            "id": "dsp_1",
            "order": "ord_2",
            "reason": "not_received",
            "status": "open",
            "created": "2026-11-10",
            "merchant_deadline": "2026-11-24",
        }
    ],
    invoices=[
        {
            "id": "inv_1",
            "customer": "cus_1",
            "period": "2026-11",
            "currency": "SEK",
            "lines": [{"kind": "installment", "order": "ord_1", "amount": "299.75"}],
            "total": "299.75",
        }
    ],
    invoice_corrections=[
        {"id": "ic_1", "invoice": "inv_1", "amount": "10.00", "reason": "wrong_amount", "status": "applied"}
    ],
    cases=[
        {
            "id": "case_1",
            "conversation": None,
            "customer": "cus_1",
            "reason": "fraud",
            "status": "queued",
            "summary": "Does not recognise a charge.",
            "assignee": None,
            "created": "2026-11-20T08:00:00+00:00",
            "order": "ord_1",
            "pending": None,
        }
    ],
)


def _normalised(data: dict[str, Any]) -> Any:
    """Compare through JSON so dates and strings of both sides meet."""
    return json.loads(fixtures.dump(data, "json"))


def test_export_after_import_gives_back_the_same_ledger(store: Store) -> None:
    load(store, FULL)
    with store.read() as led:
        exported = fixtures.export(led)
    expected = _normalised(FULL)
    got = _normalised(exported)
    for merchant in expected["merchants"]:
        merchant.setdefault("support_email", None)
    for order in expected["orders"]:
        order["total"] = "1199.00"
        for inst in order["plan"]["installments"]:
            inst.update({"extended": False, "original_due": None, "fee": None})
        order["plan"]["paused_until"] = None
    assert got == expected


def test_round_trip_through_yaml_text_is_stable(store: Store, tmp_path: Path) -> None:
    load(store, FULL)
    with store.read() as led:
        first = fixtures.dump(fixtures.export(led), "yaml")
    path = tmp_path / "ledger.yaml"
    path.write_text(first, encoding="utf-8")
    again = Store.memory()
    load(again, fixtures.load_file(path))
    with again.read() as led:
        assert fixtures.dump(fixtures.export(led), "yaml") == first


def test_omitted_installments_follow_the_design_schedules() -> None:
    data = ledger(
        {
            "id": "o",
            "customer": "cus_1",
            "merchant": "mer_1",
            "created": "2026-11-01",
            "status": "pending",
            "currency": "SEK",
            "items": [{"sku": "A", "name": "A", "price": "100.01"}],
            "plan": {"kind": "pay_in_4", "payment_method": "pm_1"},
        }
    )
    parsed = fixtures.parse(data)
    insts = parsed.orders[0].plan.installments
    assert [str(i.amount.amount) for i in insts] == ["25.01", "25.00", "25.00", "25.00"]
    assert [i.due for i in insts] == [date(2026, 11, 1), date(2026, 11, 15), date(2026, 11, 29), date(2026, 12, 13)]
    assert [i.status for i in insts] == ["paid", "scheduled", "scheduled", "scheduled"]


def _problems(data: dict[str, Any]) -> list[str]:
    with pytest.raises(fixtures.FixtureError) as info:
        fixtures.parse(data, now=NOW)
    return info.value.problems


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: d["orders"][0].update(customer="cus_9"), "orders[0] (id ord_1).customer: unknown customer 'cus_9'"),
        (lambda d: d["orders"][0].update(currency="XYZ"), "orders[0] (id ord_1).currency: unknown currency 'XYZ'"),
        (lambda d: d["orders"][0].update(created="2026-13-01"), "orders[0] (id ord_1).created:"),
        (
            lambda d: d["orders"][0]["plan"]["installments"][1].update(amount="1.00"),
            "orders[0] (id ord_1).plan.installments: installments sum to",
        ),
        (lambda d: d["orders"][0]["plan"]["installments"][1].update(amount=299.75), "floats lose cents"),
        (lambda d: d["orders"][0]["items"][0].update(price="1199.001"), "more decimals than SEK allows"),
        (lambda d: d["orders"][0].update(colour="red"), "orders[0] (id ord_1).colour: unknown field"),
        (lambda d: d["orders"][0].pop("merchant"), "orders[0] (id ord_1).merchant: required field missing"),
        (lambda d: d["orders"][0].update(status="lost"), "orders[0] (id ord_1).status:"),
        (lambda d: d["orders"][0]["plan"].update(payment_method="pm_9"), "is not one of the customer's methods"),
        (lambda d: d["orders"][0].update(status="delivered", delivered=None), "needs its delivered date"),
        (lambda d: d["orders"].append(dict(d["orders"][0])), "orders[1] (id ord_1): duplicate id"),
        (lambda d: d["orders"][0].update(total="5.00"), "is not the sum of the items"),
        (
            lambda d: d.update(
                refunds=[{"id": "r", "order": "nope", "amount": "1", "status": "processing", "created": "2026-11-01"}]
            ),
            "refunds[0] (id r).order: unknown order 'nope'",
        ),
        (
            lambda d: d.update(
                refunds=[{"id": "r", "order": "ord_1", "amount": "-1", "status": "processing", "created": "2026-11-01"}]
            ),
            "must not be negative",
        ),
        (
            lambda d: d.update(
                charges=[
                    {
                        "id": "c",
                        "order": "ord_1",
                        "installment": 9,
                        "amount": "1",
                        "status": "captured",
                        "at": "2026-11-01T10:00:00Z",
                    }
                ]
            ),
            "has no installment 9",
        ),
        (
            lambda d: d.update(
                charges=[
                    {"id": "c", "order": "ord_1", "amount": "1", "status": "captured", "at": "2026-11-01T10:00:00"}
                ]
            ),
            "charges[0] (id c).at:",
        ),
        (
            lambda d: d.update(returns=[{"id": "x", "order": "ord_1", "items": ["NOPE"], "created": "2026-11-07"}]),
            "returns[0] (id x).items[0]: order ord_1 has no item 'NOPE'",
        ),
        (
            lambda d: d.update(
                invoices=[
                    {
                        "id": "i",
                        "customer": "cus_2",
                        "period": "2026-11",
                        "lines": [{"kind": "purchase", "order": "ord_1", "amount": "1"}],
                    }
                ]
            ),
            "belongs to another customer",
        ),
        (
            lambda d: d.update(invoices=[{"id": "i", "customer": "cus_1", "period": "2026-1"}]),
            "invoices[0] (id i).period",
        ),
        (lambda d: d["customers"][0].update(email="not-an-email"), "customers[0] (id cus_1).email"),
        (lambda d: d.pop("merchants"), "merchants: required field missing"),
    ],
)
def test_bad_fixtures_name_the_row_and_field(mutate: Any, expected: str) -> None:
    data = ledger(pay_in_4("ord_1"))
    mutate(data)
    problems = _problems(data)
    assert any(expected in p for p in problems), problems


def test_every_problem_is_reported_at_once() -> None:
    data = ledger(pay_in_4("ord_1", customer="nobody"), pay_in_4("ord_2", currency="XYZ"))
    problems = _problems(data)
    assert len(problems) >= 2


def test_import_is_all_or_nothing(store: Store) -> None:
    load(store, ledger(pay_in_4("ord_1")))
    clash = ledger(pay_in_4("ord_new"))
    clash["customers"] = [dict(clash["customers"][0], id="cus_new")]
    clash["merchants"] = []
    clash["orders"][0]["customer"] = "cus_new"
    clash["orders"].append(pay_in_4("ord_1"))  # already in the store
    with store.write() as led, pytest.raises(fixtures.FixtureError, match="already exists"):
        fixtures.parse(clash, existing=led)
    with store.read() as led:
        assert led.counts()["orders"] == 1 and led.customer("cus_new") is None


def test_malformed_files_are_refused_clearly(tmp_path: Path) -> None:
    bad_yaml = tmp_path / "bad.yaml"
    bad_yaml.write_text("customers: [unclosed\n", encoding="utf-8")
    with pytest.raises(fixtures.FixtureError, match="not valid YAML"):
        fixtures.load_file(bad_yaml)
    bad_json = tmp_path / "bad.json"
    bad_json.write_text("{nope", encoding="utf-8")
    with pytest.raises(fixtures.FixtureError, match="not valid JSON"):
        fixtures.load_file(bad_json)
    a_list = tmp_path / "list.yaml"
    a_list.write_text("- 1\n- 2\n", encoding="utf-8")
    with pytest.raises(fixtures.FixtureError, match="one mapping"):
        fixtures.load_file(a_list)
    binary = tmp_path / "bin.yaml"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(fixtures.FixtureError, match="UTF-8"):
        fixtures.load_file(binary)


def test_a_scenario_file_imports_its_ledger(tmp_path: Path) -> None:
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump({"id": "s", "ledger": ledger(pay_in_4("ord_1"))}), encoding="utf-8")
    assert fixtures.parse(fixtures.load_file(path)).orders[0].id == "ord_1"


def test_demo_ledger_is_deterministic_valid_and_rich() -> None:
    day = date(2026, 12, 1)
    first, second = demo_ledger(7, day), demo_ledger(7, day)
    store = Store.memory()
    with store.write() as led:
        fixtures.write(led, first)
        exported = fixtures.export(led)
    again = Store.memory()
    with again.write() as led:
        fixtures.write(led, second)
        assert fixtures.export(led) == exported
    reparsed = fixtures.parse(json.loads(fixtures.dump(exported, "json")))  # every cross-row rule holds
    assert len(reparsed.orders) >= 2000 and len(reparsed.merchants) >= 40
    markets = {c.market for c in reparsed.customers}
    assert {"SE", "NO", "DK", "FI", "DE", "NL", "FR", "ES", "IT", "PL", "GB", "US", "JP", "KR", "AE"} <= markets
    assert {o.status for o in reparsed.orders} == {"pending", "shipped", "delivered", "cancelled", "returned"}
    assert {o.plan.kind for o in reparsed.orders} == {"pay_in_4", "pay_in_30", "pay_now", "financing"}
    assert {r.status for r in reparsed.refunds} == {"pending_approval", "processing", "completed", "failed"}
    assert any(c.status == "failed" for c in reparsed.charges)
    assert any(d.status == "open" for d in reparsed.disputes)
    assert len({c.return_window_days for c in reparsed.merchants}) >= 3
    assert demo_ledger(8, day).orders[0].id != first.orders[0].id
