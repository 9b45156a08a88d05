"""The README's performance table (not a test): `paydesk serve --workers N` on a fresh demo database, loaded over
real HTTP by `paydesk load` (simulated customers, multi-turn conversations in the demo customers' languages, starting
one after another over the first `--ramp` seconds), next
to the bare FastAPI echo endpoint (benchmarks/echo.py) with the same workers on the same machine.

    .venv/bin/python benchmarks/performance.py                       # SQLite, 1 and 2 workers
    .venv/bin/python benchmarks/performance.py --db postgresql://postgres@127.0.0.1:5432/test --workers 2

The load generator runs on the same machine and takes its share of the two cores; `server_cpu_ms_per_turn` is the
CPU time of the server's processes during the run divided by its turns (with the tokens and new conversations
around them). Each row is the median (by turns/s) of `--runs` runs, each on a freshly seeded database and a freshly
started server after a warm-up, with every run's turns/s, p99 and CPU beside it: this machine's speed changes from
minute to minute. A run's 3,000 conversations (about 5,000 turns) keep the first second's ramp and the last
conversations' tail, when fewer than all 32 are in flight, a small part of its clock: the rate is the sustained one.
Writes benchmarks/results/performance.json (rows are merged by backend and workers)."""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
PAYDESK = str(Path(sys.executable).with_name("paydesk"))
RESULTS = ROOT / "benchmarks" / "results" / "performance.json"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of the server and its worker processes so far, from /proc (Linux)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        if int(stat.parent.name) == pid or int(fields[1]) == pid:  # fields[1]: the parent's pid
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def measure(db: str, workers: int, conversations: int, concurrency: int, runs: int, ramp: float) -> dict[str, Any]:
    """The median run's figures, with every run's in `runs` (slowest first), and the echo ceiling."""
    results = sorted(
        (load_once(db, workers, conversations, concurrency, ramp) for _ in range(runs)),
        key=lambda r: r["turns_per_second"],
    )
    figures = results[len(results) // 2]
    figures["runs"] = [
        {k: r[k] for k in ("turns_per_second", "p99_ms", "server_cpu_ms_per_turn", "errors")} for r in results
    ]
    echo = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "echo.py"), "--workers", str(workers), "--requests", "5000"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    ceiling = json.loads(echo.stdout)
    backend = "postgresql" if db.startswith("postgres") else "sqlite"
    ratio = round(figures["turns_per_second"] / ceiling["requests_per_second"], 3)
    return {
        "backend": backend,
        "workers": workers,
        "concurrency": concurrency,
        "ramp_seconds": ramp,
        **figures,
        "echo": ceiling,
        "ratio": ratio,
    }


def load_once(db: str, workers: int, conversations: int, concurrency: int, ramp: float) -> dict[str, Any]:
    """One run: a fresh demo database and server, a warm-up, then the measured load."""
    env = {**os.environ, "PAYDESK_DEMO": "true", "PAYDESK_MESSAGES_PER_MINUTE": "100000"}
    subprocess.run([PAYDESK, "seed", "--reset", "--db", db], env=env, check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen(
        [PAYDESK, "serve", "--db", db, "--workers", str(workers), "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        time.sleep(5 if workers > 1 else 0)  # every worker has loaded its models
        load = [PAYDESK, "load", "--url", url, "--concurrency", str(concurrency), "--ramp", str(ramp), "--json"]
        # The warm-up's customers and messages are drawn with another seed than the measured run's, so that the run
        # does not begin by replaying them (into the workers' cache of recently embedded texts).
        subprocess.run([*load, "--conversations", "100", "--seed", "1"], check=True, capture_output=True)
        cpu = server_cpu_seconds(server.pid)
        run = [*load, "--conversations", str(conversations), "--seed", "7"]
        done = subprocess.run(run, capture_output=True, text=True)
        figures: dict[str, Any] = json.loads(done.stdout)
        cpu = server_cpu_seconds(server.pid) - cpu
        figures["server_cpu_ms_per_turn"] = round(cpu / figures["turns"] * 1000, 1)
    finally:
        server.terminate()
        server.wait(60)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="a PostgreSQL URL (default: a temporary SQLite file)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--conversations", type=int, default=3000, help="simulated customers a run (default 3,000)")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--runs", type=int, default=3, help="runs per row; the row is their median")
    parser.add_argument("--ramp", type=float, default=1.0, help="seconds over which the customers start (paydesk load)")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    rows = json.loads(RESULTS.read_text()) if RESULTS.exists() else []
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or f"sqlite:///{tmp}/performance.db"
        for workers in args.workers:
            row = measure(db, workers, args.conversations, args.concurrency, args.runs, args.ramp)
            rows = [r for r in rows if (r["backend"], r["workers"]) != (row["backend"], row["workers"])] + [row]
            print(
                f"{row['backend']:<10} {workers} worker(s): {row['turns_per_second']} turns/s, "
                f"{row['conversations_per_second']} conversations/s, p50 {row['p50_ms']} ms, p95 {row['p95_ms']} ms, "
                f"p99 {row['p99_ms']} ms (every request p99 {row['request_p99_ms']} ms), {row['errors']} errors, "
                f"server CPU {row['server_cpu_ms_per_turn']} ms/turn; "
                f"echo {row['echo']['requests_per_second']} req/s (ratio {row['ratio']}); runs: "
                + ", ".join(f"{r['turns_per_second']} turns/s p99 {r['p99_ms']} ms" for r in row["runs"]),
                flush=True,
            )
    RESULTS.write_text(json.dumps(sorted(rows, key=lambda r: (r["backend"], r["workers"])), indent=2) + "\n")


if __name__ == "__main__":
    main()
