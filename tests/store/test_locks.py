"""Named locks across processes (a worker process holding a conversation's lock), on SQLite files and PostgreSQL,
and what the store does with them: one writer at a time, migrations once, the audit trail append-only."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from paydesk.store.database import Store
from paydesk.store.locks import Locks

HOLDER = """
import sys, time
from paydesk.store.database import Store
store = Store.open(sys.argv[1], migrate=False)
with store.locks.hold(sys.argv[2]):
    print("held", flush=True)
    time.sleep(float(sys.argv[3]))
"""


def url_of(store: Store) -> str:
    return store.engine.url.render_as_string(hide_password=False)


@contextmanager
def holder(store: Store, name: str, seconds: float) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the named lock (for `seconds`, or until killed)."""
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, url_of(store), name, str(seconds)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "held"
        yield child
    finally:
        child.kill()
        child.wait(10)


def waited(locks: Locks, name: str) -> float:
    start = time.monotonic()
    with locks.hold(name):
        return time.monotonic() - start


def test_a_lock_held_by_another_process_is_waited_for_and_other_names_are_not(store: Store) -> None:
    with holder(store, "conv_1", 1.5):
        assert waited(store.locks, "conv_2") < 0.5
        assert waited(store.locks, "conv_1") > 0.8


def test_a_killed_process_releases_its_locks(store: Store) -> None:
    with holder(store, "conv_1", 600) as child:
        blocked = threading.Event()

        def take() -> None:
            with store.locks.hold("conv_1"):
                blocked.set()

        thread = threading.Thread(target=take, daemon=True)
        thread.start()
        assert not blocked.wait(0.5)  # the child has it
        os.kill(child.pid, signal.SIGKILL)
        assert blocked.wait(10), "the lock of a killed process was not released"
        thread.join()


def test_threads_of_one_process_take_turns(store: Store) -> None:
    inside: list[int] = []
    overlaps: list[int] = []

    def turn(i: int) -> None:
        with store.locks.hold("conv_1"):
            if inside:
                overlaps.append(i)
            inside.append(i)
            time.sleep(0.02)
            inside.remove(i)

    threads = [threading.Thread(target=turn, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert overlaps == []


def test_the_audit_trail_is_append_only_in_the_database(store: Store) -> None:
    with store.write() as ledger:
        ledger.conn.execute(
            text(
                "INSERT INTO audit (id, action, args_hash, actor, policy_version, engine_version, result, at) "
                "VALUES ('au_1', 'report_return', 'h', 'customer', 'p', 'e', '{}', '2026-11-22 10:00:00+00:00')"
            )
        )
    for statement in ("UPDATE audit SET actor = 'someone else'", "DELETE FROM audit"):
        with pytest.raises(DBAPIError, match="append-only"), store.write() as ledger:
            ledger.conn.execute(text(statement))
    with store.read() as ledger:
        assert [(r.id, r.actor) for r in ledger.audit_records()] == [("au_1", "customer")]
    with store.write() as ledger:  # seed --reset empties a demo database, and the guard is back afterwards
        ledger.delete_everything()
    with store.read() as ledger:
        assert ledger.audit_records() == []
    with pytest.raises(DBAPIError, match="append-only"), store.write() as ledger:
        ledger.conn.execute(
            text(
                "INSERT INTO audit (id, action, args_hash, actor, policy_version, engine_version, result, at) "
                "VALUES ('au_2', 'report_return', 'h', 'customer', 'p', 'e', '{}', '2026-11-22 10:00:00+00:00')"
            )
        )
        ledger.conn.execute(text("DELETE FROM audit"))


def test_stores_opened_at_once_migrate_once(tmp_path: os.PathLike[str]) -> None:
    """Hosts starting together against a new database: each waits for the migration lock; one migrates."""
    url = f"sqlite:///{tmp_path}/new.db"
    script = "import sys; from paydesk.store.database import Store; Store.open(sys.argv[1]); print('ok')"
    children = [subprocess.Popen([sys.executable, "-c", script, url], stdout=subprocess.PIPE, text=True) for _ in "abc"]
    outputs = [c.communicate(timeout=120)[0].strip() for c in children]
    assert outputs == ["ok"] * 3 and [c.returncode for c in children] == [0, 0, 0]
    from paydesk.store.migrate import current_revision, head_revision

    store = Store.open(url, migrate=False)
    assert current_revision(store.engine) == head_revision()
    store.close()
