"""PostgreSQL restarts under load: while it is down, requests fail cleanly with 503 (never a 500, never a hang) and
/readyz says so; when it is back, the service recovers by itself (stale pooled connections are replaced, the live
events listener reconnects) and conversations go on."""

from __future__ import annotations

import subprocess
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

from paydesk.store.database import Store
from tests.scale.conftest import Workers

CLUSTER = ["pg_ctlcluster", "--skip-systemctl-redirect", next(Path("/etc/postgresql").iterdir()).name, "main"]


def pg_ready() -> bool:
    return subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432"], check=False).returncode == 0


def test_requests_get_503_while_postgresql_is_down_and_recover_after(pg: Store, workers: Workers) -> None:
    (service,) = workers(pg, 1)
    client = service.customer("cus_2")
    statuses: Counter[int] = Counter()
    stop = threading.Event()

    def load() -> None:  # a customer writing all along
        with service.customer("cus_2") as own:
            while not stop.is_set():
                try:
                    r = own.post("/v1/conversations", timeout=15)
                    if r.status_code == 201:
                        path = f"/v1/conversations/{r.json()['conversation_id']}/messages"
                        r = own.post(path, json={"text": "what is pay in 4?"}, timeout=15)
                    statuses[r.status_code] += 1
                except httpx.TimeoutException:
                    statuses[0] += 1  # a hang
                time.sleep(0.05)

    conversation = client.post("/v1/conversations").json()["conversation_id"]
    path = f"/v1/conversations/{conversation}/messages"
    assert client.post(path, json={"text": "when is my next payment due?"}).status_code == 200
    background = threading.Thread(target=load)
    background.start()
    time.sleep(1.0)
    try:
        subprocess.run([*CLUSTER, "stop", "-m", "fast"], check=True)
        down = client.post(path, json={"text": "hello?"}, timeout=15)
        assert down.status_code == 503 and "database" in down.json()["detail"]
        assert client.get("/readyz", timeout=15).status_code == 503
        time.sleep(1.0)
    finally:
        subprocess.run([*CLUSTER, "start"], check=True)
        deadline = time.monotonic() + 60
        while not pg_ready():
            assert time.monotonic() < deadline, "PostgreSQL did not come back"
            time.sleep(0.2)
    time.sleep(1.0)
    stop.set()
    background.join(30)
    assert client.get("/readyz").status_code == 200
    after = client.post(path, json={"text": "thanks"})
    assert after.status_code == 200
    messages = client.get(f"/v1/conversations/{conversation}").json()["messages"]
    assert [m["text"] for m in messages if m["role"] == "customer"] == ["when is my next payment due?", "thanks"]
    assert set(statuses) <= {200, 201, 503} and statuses[503] >= 1 and statuses[200] >= 1, statuses
