"""`paydesk serve`, `paydesk token` and `paydesk agents` as processes: the README's run command end to end."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import yaml

from paydesk.store.conversations import Conversations
from paydesk.store.database import Store
from paydesk.understanding.engine import EmbeddedUnderstanding
from tests.api.conftest import demo_ledger, free_port, run_service
from tests.conftest import load
from tests.factory import ledger, pay_in_4

PAYDESK = Path(sys.executable).with_name("paydesk")
ENV = {**os.environ, "PAYDESK_SECRET": "cli-test-secret-123456", "COLUMNS": "200"}


def _db(tmp_path: Path) -> str:
    db = f"sqlite:///{tmp_path / 'service.db'}"
    fixture = tmp_path / "ledger.yaml"
    fixture.write_text(yaml.safe_dump(ledger(pay_in_4("ord_1")), allow_unicode=True), encoding="utf-8")
    subprocess.run([PAYDESK, "ledger", "import", str(fixture), "--db", db], check=True, capture_output=True)
    return db


def test_serve_prints_the_urls_and_demo_agents_and_answers(tmp_path: Path) -> None:
    db, port = _db(tmp_path), free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen([PAYDESK, "serve", "--db", db, "--port", str(port)], stdout=out, stderr=out, env=ENV)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            try:
                if httpx.get(f"{base}/readyz").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        printed = log.read_text()
        assert f"{base}/chat" in printed and f"{base}/console" in printed
        passwords = dict(re.findall(r"(maria|sam) / (\S+)", printed))
        assert set(passwords) == {"maria", "sam"}
        with httpx.Client(base_url=base) as agent:
            me = agent.post("/v1/agent/login", json={"username": "sam", "password": passwords["sam"]})
            assert me.json()["role"] == "supervisor"
        token = subprocess.run(
            [PAYDESK, "token", "cus_1", "--db", db], env=ENV, capture_output=True, text=True, check=True
        ).stdout.strip()
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}) as customer:
            conversation = customer.post("/v1/conversations").json()["conversation_id"]
            turn = customer.post(f"/v1/conversations/{conversation}/messages", json={"text": "Hej!"}).json()
            assert turn["language"] == "sv" and turn["text"]
    finally:
        proc.terminate()
        proc.wait(20)


def test_token_for_an_unknown_customer_fails_clearly(tmp_path: Path) -> None:
    proc = subprocess.run([PAYDESK, "token", "cus_404", "--db", _db(tmp_path)], env=ENV, capture_output=True, text=True)
    assert proc.returncode == 4 and "no customer 'cus_404'" in proc.stderr


def test_agents_add_and_list(tmp_path: Path) -> None:
    db = _db(tmp_path)
    add: list[str | Path] = [PAYDESK, "agents", "add", "li", "--role", "supervisor", "--name", "Li Wei", "--db", db]
    saved = subprocess.run([*add, "--password", "long-enough-1"], env=ENV, capture_output=True, text=True)
    assert saved.returncode == 0 and "li (supervisor) saved" in saved.stdout
    short = subprocess.run([*add, "--password", "short"], env=ENV, capture_output=True, text=True)
    assert short.returncode == 2 and "8 characters" in short.stderr
    listed = subprocess.run([PAYDESK, "agents", "list", "--db", db], env=ENV, capture_output=True, text=True)
    assert listed.stdout.split() == ["li", "supervisor", "Li", "Wei"]


def test_paydesk_load_against_the_service(tmp_path: Path, shared_engine: EmbeddedUnderstanding) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'load.db'}")
    load(store, demo_ledger())
    with run_service(store, shared_engine) as service:
        done = subprocess.run(
            [
                PAYDESK,
                "load",
                "--url",
                service.url,
                "--conversations",
                "12",
                "--concurrency",
                "4",
                "--ramp",
                "2",
                "--json",
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        figures = json.loads(done.stdout)
        assert figures["conversations"] == 12 and figures["errors"] == 0 and figures["turns"] >= 12
        assert figures["seconds"] >= 1.5  # the fourth customer started 1.5 s after the first, on the clock
        assert figures["p50_ms"] > 0 and figures["turns_per_second"] > 0
        assert figures["request_p99_ms"] >= figures["request_p50_ms"] > 0
        with store.read() as ledger:
            assert Conversations(ledger.conn).count() == 12
        backwards = subprocess.run(
            [PAYDESK, "load", "--url", service.url, "--ramp", "-1"], capture_output=True, text=True
        )
        assert backwards.returncode == 2 and "--ramp" in backwards.stderr
    store.close()


def test_migrate_brings_the_schema_up_once_and_workers_refuse_an_old_one(tmp_path: Path) -> None:
    from paydesk.store.migrate import head_revision, upgrade

    db = f"sqlite:///{tmp_path / 'deploy.db'}"
    old = Store.open(db, migrate=False)
    upgrade(old.engine, "0004")
    old.close()
    env = {**ENV, "PAYDESK_DATABASE_URL": db}
    worker = subprocess.run(
        [sys.executable, "-c", "from paydesk.api.asgi import create; create()"], env=env, capture_output=True, text=True
    )
    assert worker.returncode != 0 and "run `paydesk migrate`" in worker.stderr
    first = subprocess.run([PAYDESK, "migrate", "--db", db], env=ENV, capture_output=True, text=True, check=True)
    assert f"migrated from 0004 to {head_revision()}" in first.stdout
    again = subprocess.run([PAYDESK, "migrate", "--db", db], env=ENV, capture_output=True, text=True, check=True)
    assert "is at the newest schema" in again.stdout
