"""`paydesk chat` as a process: JSON lines, and a conversation that survives a restart between summary and yes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

from tests.factory import ledger, pay_in_4

PAYDESK = Path(sys.executable).with_name("paydesk")


def chat(db: str, lines: list[str], *extra: str) -> list[dict[str, object]]:
    stdin = "".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in lines)
    proc = subprocess.run(
        [PAYDESK, "chat", "--json", "--db", db, *extra],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return [json.loads(line) for line in proc.stdout.splitlines()]


def test_a_conversation_resumes_in_a_new_process_between_summary_and_yes(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'chat.db'}"
    fixture = tmp_path / "ledger.yaml"
    order = pay_in_4("ord_1", created="2026-11-25", delivered="2026-11-28")  # inside the window whatever today is
    fixture.write_text(yaml.safe_dump(ledger(order), allow_unicode=True), encoding="utf-8")
    subprocess.run([PAYDESK, "ledger", "import", str(fixture), "--db", db], check=True, capture_output=True)
    (first,) = chat(db, ["I want to return my running shoes, they're too small"], "--customer", "cus_1")
    assert first["awaiting"] == "confirm" and first["actions"] == []
    (second,) = chat(db, ["yes"], "--conversation", str(first["conversation_id"]))  # another process
    actions = second["actions"]
    assert isinstance(actions, list) and [a["action"] for a in actions] == ["report_return"]
    exported = subprocess.run(
        [PAYDESK, "ledger", "export", "--db", db, "--format", "json"], capture_output=True, text=True, check=True
    ).stdout
    assert [r["status"] for r in json.loads(exported)["returns"]] == ["registered"]


def test_chat_rejects_a_bad_line_and_goes_on(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'chat.db'}"
    fixture = tmp_path / "ledger.yaml"
    fixture.write_text(yaml.safe_dump(ledger(pay_in_4("ord_1")), allow_unicode=True), encoding="utf-8")
    subprocess.run([PAYDESK, "ledger", "import", str(fixture), "--db", db], check=True, capture_output=True)
    proc = subprocess.run(
        [PAYDESK, "chat", "--json", "--db", db, "--customer", "cus_1"],
        input='not json\n{"text": "When is my next payment?"}\n',
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    out = [json.loads(line) for line in proc.stdout.splitlines()]
    assert "error" in out[0] and out[1]["intent"] == "payment_schedule"
