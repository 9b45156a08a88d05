"""kill -9 a worker of `paydesk serve --workers 2` in the middle of conversations: the clients retry (the same
message with the same Idempotency-Key), no message is lost or answered twice, no action is taken twice, the
conversations go on, and the supervisor replaces the dead worker. On a SQLite file and on PostgreSQL."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from paydesk.sim.load import LoadResult, run_load
from paydesk.store import tables as t
from paydesk.store.database import Store
from tests.api.conftest import free_port
from tests.conftest import BACKENDS

PAYDESK = str(Path(sys.executable).parent / "paydesk")


def workers_of(parent: int) -> list[int]:
    """The worker processes of a `paydesk serve --workers N` (uvicorn spawns them with multiprocessing)."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        ppid = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("PPid:"))
        if ppid == parent and b"spawn_main" in cmdline:
            found.append(int(pid))
    return sorted(found)


@pytest.fixture(params=BACKENDS)
def database(request: pytest.FixtureRequest, tmp_path: Path, pg_store: Store | None) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'paydesk.db'}"
        return
    from tests.conftest import emptied

    assert pg_store is not None
    yield emptied(pg_store).engine.url.render_as_string(hide_password=False)


@pytest.fixture
def served(database: str, tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes], Store]]:
    env = {**os.environ, "PAYDESK_DEMO": "true", "PAYDESK_MESSAGES_PER_MINUTE": "10000", "OMP_NUM_THREADS": "1"}
    subprocess.run(
        [PAYDESK, "seed", "--db", database, "--today", "2026-11-22"], env=env, check=True, capture_output=True
    )
    port = free_port()
    log = (tmp_path / "serve.log").open("wb")
    server = subprocess.Popen(
        [PAYDESK, "serve", "--db", database, "--workers", "2", "--port", str(port)], env=env, stdout=log, stderr=log
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while len(workers_of(server.pid)) < 2 or not _ready(url):
        assert server.poll() is None and time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
        time.sleep(0.3)
    store = Store.open(database, migrate=False)
    try:
        yield url, server, store
    finally:
        store.close()
        server.send_signal(signal.SIGINT)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
        for pid in workers_of(server.pid):
            os.kill(pid, signal.SIGKILL)


def _customer_messages(store: Store) -> int:
    with store.read() as ledger:
        return len(ledger.conn.scalars(select(t.messages.c.seq).where(t.messages.c.role == "customer")).all())


def _ready(url: str) -> bool:
    try:
        return httpx.get(f"{url}/readyz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def test_killing_a_worker_mid_conversation_loses_nothing_and_doubles_nothing(
    served: tuple[str, subprocess.Popen[bytes], Store],
) -> None:
    url, server, store = served
    result: list[LoadResult] = []
    load = threading.Thread(target=lambda: result.append(asyncio.run(run_load(url, 160, 8, seed=3))))
    before = _customer_messages(store)
    load.start()
    deadline = time.monotonic() + 120
    while _customer_messages(store) < before + 40:  # conversations are under way on both workers, most still to come
        assert load.is_alive() and time.monotonic() < deadline, "the load ended or stalled before the kill"
        time.sleep(0.02)
    victim = workers_of(server.pid)[0]
    os.kill(victim, signal.SIGKILL)
    load.join(300)
    (figures,) = result
    assert figures.errors == 0, figures.summary()
    assert figures.conversations == 160
    assert figures.retries >= 1, "the kill hit no request in flight"
    with store.read() as ledger:
        said = ledger.conn.scalars(select(t.messages.c.conversation).where(t.messages.c.role == "customer")).all()
        audit = ledger.conn.execute(select(t.audit.c.customer, t.audit.c.action, t.audit.c.args_hash)).all()
    assert len(said) == figures.turns  # each message sent is stored once: none lost, none answered twice
    assert [k for k, n in Counter(audit).items() if n > 1] == []  # no action taken twice
    deadline = time.monotonic() + 60
    while victim in workers_of(server.pid) or len(workers_of(server.pid)) < 2:
        assert time.monotonic() < deadline, "the dead worker was not replaced"
        time.sleep(0.5)
    again = asyncio.run(run_load(url, 10, 2, seed=4))  # and the service goes on
    assert again.errors == 0 and again.conversations == 10
