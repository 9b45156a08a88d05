"""`paydesk simulate`'s engine: simulated customers through the real assistant and a simulated agent, on a real
store; what it leaves behind is what the report counts."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from paydesk.analytics.service import report
from paydesk.knowledge.retrieval import default_help_centre
from paydesk.policy.model import Policy
from paydesk.sim.simulate import Simulator
from paydesk.store import tables as t
from paydesk.store.conversations import Conversations
from paydesk.store.database import Store
from paydesk.understanding.engine import EmbeddedUnderstanding
from tests.api.conftest import demo_ledger
from tests.conftest import load

UNTIL = datetime(2026, 11, 22, 18, 0, tzinfo=UTC)


def test_a_simulated_fortnight(store: Store, policy: Policy, shared_engine: EmbeddedUnderstanding) -> None:
    load(store, demo_ledger())
    simulator = Simulator(store, policy, default_help_centre(), shared_engine, seed=3)
    done = simulator.run(40, 14, UNTIL)
    assert done.conversations == 40 and done.turns >= 40 and done.errors == 0
    with store.read() as ledger:
        conn = ledger.conn
        starts = list(conn.scalars(select(t.conversations.c.created).order_by(t.conversations.c.created)))
        roles: dict[str, int] = dict(
            conn.execute(select(t.messages.c.role, func.count()).group_by(t.messages.c.role)).all()
        )
        scores = list(conn.scalars(select(t.csat.c.score)))
        events = list(conn.scalars(select(t.case_events.c.event)))
    assert len(starts) == 40 and UNTIL - timedelta(days=14, hours=1) <= starts[0] and starts[-1] <= UNTIL
    assert roles["customer"] == done.turns and roles["assistant"] >= done.turns - 2 * done.handoffs
    assert len(scores) == done.rated and set(scores) <= {1, 2, 3, 4, 5}
    assert done.handoffs > 0 and ("resolved" in events or "handed_back" in events)
    figures = report(store, (UNTIL - timedelta(days=14)).date(), UNTIL.date(), UNTIL + timedelta(hours=1))
    assert figures["conversations"] == 40
    assert figures["outcomes"]["resolved_by_assistant"] > figures["outcomes"]["resolved_by_agent"] > 0
    assert figures["csat_responses_assistant"] + figures["csat_responses_agent"] == done.rated


def test_the_same_seed_gives_the_same_history(
    tmp_path: object, policy: Policy, shared_engine: EmbeddedUnderstanding
) -> None:
    counts = []
    for name in ("one", "two"):
        store = Store.open(f"sqlite:///{tmp_path}/{name}.db")
        load(store, demo_ledger())
        done = Simulator(store, policy, default_help_centre(), shared_engine, seed=11).run(12, 5, UNTIL)
        counts.append(vars(done))
        store.close()
    assert counts[0] == counts[1]


def _children(pid: int) -> set[int]:
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def test_killing_a_parallel_simulation_stops_its_workers(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'killed.db'}"
    store = Store.open(url)
    load(store, demo_ledger())
    store.close()
    paydesk = Path(sys.executable).with_name("paydesk")
    proc = subprocess.Popen(
        [paydesk, "simulate", "--conversations", "5000", "--workers", "2", "--db", url],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    workers: set[int] = set()
    while len(workers) < 2 and time.monotonic() < deadline:
        workers = {p for p in _children(proc.pid) if "python" in Path(f"/proc/{p}/cmdline").read_text(errors="ignore")}
        time.sleep(0.2)
    assert len(workers) >= 2, "the workers did not start"
    while time.monotonic() < deadline + 60:  # killed mid-run: once the workers are writing conversations
        with Store.open(url, migrate=False).read() as ledger:
            if Conversations(ledger.conn).count():
                break
        time.sleep(0.5)
    proc.send_signal(signal.SIGTERM)
    proc.wait(30)
    deadline = time.monotonic() + 20
    while any(Path(f"/proc/{p}").exists() and "Z" not in _state(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [p for p in workers if Path(f"/proc/{p}").exists() and "Z" not in _state(p)]


def test_a_worker_that_starts_after_its_simulation_was_killed_stops(tmp_path: Path) -> None:
    """A worker spawned just before `paydesk simulate` died starts with another parent: the pid it watches is the one
    `paydesk simulate` passed, so it stops instead of waiting for work forever."""
    url = f"sqlite:///{tmp_path / 'orphan.db'}"
    store = Store.open(url)
    load(store, demo_ledger())
    store.close()
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    code = "import sys, time; from paydesk.sim.simulate import _start_worker; "
    code += "_start_worker(sys.argv[1], None, int(sys.argv[2])); time.sleep(30)"
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", code, url, str(gone.pid)], capture_output=True, text=True, timeout=90)
    assert (done.returncode, done.stderr) == (1, "")  # os._exit(1) from the watching thread, not a traceback
    assert time.monotonic() - started < 25


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"
