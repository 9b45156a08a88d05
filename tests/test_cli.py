"""The CLI over a real SQLite file: seed, ledger import/export, action with its exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from paydesk.cli import build_app
from tests.factory import ledger, pay_in_4

runner = CliRunner()
app = build_app()


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = tmp_path / "cli.yaml"
    data = ledger(
        pay_in_4("ord_1", created="2026-11-25", delivered="2026-11-28"),
        pay_in_4("ord_pending", created="2026-11-28", status="pending", delivered=None, paid=1),
        pay_in_4("ord_bob", customer="cus_2", currency="GBP", price="80.00"),
    )
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    result = runner.invoke(app, ["ledger", "import", str(path), "--db", url])
    assert result.exit_code == 0, result.output
    assert "3 orders" in result.output
    return url


def _action(db: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["action", *args, "--db", db])
    return result.exit_code, result.output


def test_exit_codes(db: str) -> None:
    code, output = _action(db, "report_return", "--customer", "cus_1", "--args", '{"order": "ord_1"}', "--json")
    assert code == 0 and json.loads(output)["outcome"] == "preview"
    code, output = _action(
        db,
        "report_return",
        "--customer",
        "cus_1",
        "--args",
        '{"order": "ord_1"}',
        "--confirm",
        "--json",
        "--idempotency-key",
        "k1",
    )
    assert code == 0 and json.loads(output)["outcome"] == "done"
    code, output = _action(db, "cancel_order", "--customer", "cus_1", "--args", '{"order": "ord_1"}', "--confirm")
    assert code == 3 and "already_shipped" in output
    code, output = _action(db, "get_order", "--customer", "cus_1", "--args", '{"order": "ord_bob"}')
    assert code == 4 and "not_found" in output
    code, output = _action(db, "no_such_action", "--customer", "cus_1")
    assert code == 2 and "unknown action" in output
    code, output = _action(db, "get_order", "--customer", "cus_1", "--args", "{not json")
    assert code == 2 and "not valid JSON" in output
    code, output = _action(db, "get_order", "--customer", "cus_1", "--args", '{"order": 5}')
    assert code == 2 and "valid string" in output
    code, output = _action(
        db,
        "report_return",
        "--customer",
        "cus_1",
        "--args",
        '{"order": "ord_1", "reason": "x"}',
        "--confirm",
        "--idempotency-key",
        "k1",
    )
    assert code == 2 and "idempotency_conflict" in output


def test_needs_approval_exits_5(db: str, tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    data = ledger(pay_in_4("ord_big", status="pending", delivered=None, paid=4, price="9000.00"))
    data["customers"], data["merchants"] = [], []
    big.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert runner.invoke(app, ["ledger", "import", str(big), "--db", db]).exit_code == 0
    code, output = _action(db, "cancel_order", "--customer", "cus_1", "--args", '{"order": "ord_big"}', "--confirm")
    assert code == 5 and "pending approval" in output


def test_bad_import_names_the_problem_and_writes_nothing(db: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    data = ledger(pay_in_4("ord_x", customer="cus_404"))
    data["customers"], data["merchants"] = [], []
    bad.write_text(yaml.safe_dump(data), encoding="utf-8")
    result = runner.invoke(app, ["ledger", "import", str(bad), "--db", db])
    assert result.exit_code == 2
    assert "orders[0] (id ord_x).customer: unknown customer 'cus_404'" in result.output
    exported = runner.invoke(app, ["ledger", "export", "--db", db, "--format", "json"])
    assert "ord_x" not in exported.output and len(json.loads(exported.output)["orders"]) == 3


def test_export_import_round_trip_through_files(db: str, tmp_path: Path) -> None:
    first = tmp_path / "first.json"
    assert runner.invoke(app, ["ledger", "export", "--db", db, "--format", "json", "-o", str(first)]).exit_code == 0
    other = f"sqlite:///{tmp_path / 'other.db'}"
    assert runner.invoke(app, ["ledger", "import", str(first), "--db", other]).exit_code == 0
    second = runner.invoke(app, ["ledger", "export", "--db", other, "--format", "json"]).output
    assert json.loads(second) == json.loads(first.read_text(encoding="utf-8"))


def test_the_installed_command_seeds_the_demo_ledger(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    paydesk = Path(sys.executable).with_name("paydesk")
    first = subprocess.run(
        [paydesk, "seed", "--db", url, "--today", "2026-12-01"], capture_output=True, text=True, check=True
    )
    assert "orders" in first.stdout and "Markets:" in first.stdout
    second = subprocess.run([paydesk, "seed", "--db", url], capture_output=True, text=True, check=True)
    assert "already holds a ledger" in second.stdout
    orders = subprocess.run(
        [paydesk, "action", "find_orders", "--customer", "cus_00001", "--db", url, "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(orders.stdout)["orders"]
