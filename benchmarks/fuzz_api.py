"""API fuzzing at volume (not a test): schemathesis cases from the service's own /openapi.json, over real HTTP on
loopback, against a fresh service this script starts on a temporary SQLite file (the API tests' demo ledger). The
cases and checks are tests/fuzz/harness.py's: every operation but the never-ending events streams, positive and
negative, as a customer, an agent, a supervisor and anonymous; then a few of the events streams, read briefly.

    .venv/bin/python benchmarks/fuzz_api.py                      # 10,000 cases
    .venv/bin/python benchmarks/fuzz_api.py --cases 2000 --seed 1
    .venv/bin/python benchmarks/fuzz_api.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test

Prints the cases run, the 5xx responses, the other failed checks (each with a curl command that repeats it), and
what the schema does not document yet; writes benchmarks/results/fuzz_api_<backend>.json. The tracebacks of 5xx go to
stderr. Exits 1 on any 5xx or a dropped connection (a server fault without a status), 0 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the tests package: the service, the harness

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed
from sqlalchemy import text
from tests.api.conftest import demo_ledger, run_service
from tests.conftest import load
from tests.fuzz.harness import KNOWN, ApiFuzz, Tally, recorder

from paydesk.store.database import Store
from paydesk.store.engine import make_engine
from paydesk.store.migrate import upgrade
from paydesk.understanding.engine import EmbeddedUnderstanding

ROOT = Path(__file__).resolve().parent
EVENTS_SHARE = 0.01  # of the cases, on the events streams (each is read for 0.5 s)


@contextmanager
def open_store(postgres: str | None) -> Iterator[Store]:
    """A fresh store: a temporary SQLite file, or a throwaway schema in the PostgreSQL database given."""
    if postgres is None:
        with tempfile.TemporaryDirectory() as tmp:
            store = Store.open(f"sqlite:///{Path(tmp) / 'fuzz.db'}")
            try:
                yield store
            finally:
                store.close()
        return
    from sqlalchemy.engine import make_url

    schema = f"paydesk_fuzz_{secrets.token_hex(4)}"
    admin = make_engine(postgres)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    url = make_url(postgres).update_query_dict({"options": f"-csearch_path={schema}"})
    store = Store(make_engine(url.render_as_string(hide_password=False)))
    try:
        upgrade(store.engine)
        yield store
    finally:
        store.close()
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def fuzz(fuzzer: ApiFuzz, tally: Tally, cases: int, seed: int | None, *, events: bool) -> None:
    run = given(fuzzer.strategy(events=events))(recorder(fuzzer, tally))
    run = settings(
        max_examples=cases,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )(run)
    if seed is not None:
        run = hypothesis_seed(seed)(run)
    run()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=10_000, help="cases in all (default 10,000)")
    parser.add_argument("--seed", type=int, default=None, help="hypothesis seed (default: random)")
    parser.add_argument("--postgres", default=None, help="a PostgreSQL URL to run on (a throwaway schema) instead")
    parser.add_argument("--output", type=Path, help="default: benchmarks/results/fuzz_api_<backend>.json")
    args = parser.parse_args()

    events_cases = max(1, int(args.cases * EVENTS_SHARE))
    tally = Tally()
    started = time.perf_counter()
    with open_store(args.postgres) as store:
        load(store, demo_ledger())
        engine = EmbeddedUnderstanding()
        with run_service(store, engine, messages_per_minute=10**9) as service:
            fuzzer = ApiFuzz(service, stream_seconds=0.5)
            fuzz(fuzzer, tally, args.cases - events_cases, args.seed, events=False)
            fuzz(fuzzer, tally, events_cases, args.seed, events=True)
    seconds = time.perf_counter() - started

    server_errors, dropped = tally.server_errors(), tally.count("transport", "stream_ended")
    checks = tally.count("check")
    statuses: Counter[str] = Counter()
    for (_, status), n in tally.statuses.items():
        statuses[str(status) if status is not None else "no response"] += n
    print(
        f"paydesk API fuzzing: {tally.total:,} cases in {seconds:.0f} s ({'PostgreSQL' if args.postgres else 'SQLite'})"
    )
    print(f"  by caller: {', '.join(f'{m} {n:,}' for m, n in sorted(tally.cases.items()))}")
    print(f"  statuses: {', '.join(f'{s}: {n:,}' for s, n in sorted(statuses.items()))}")
    print(f"  operations reached: {len({op for op, _ in tally.statuses})}")
    print(f"5xx responses: {server_errors}")
    print(f"dropped connections / streams that ended by themselves: {dropped}")
    print(f"other check failures: {checks}")
    print("known, not failing (see tests/fuzz/harness.py KNOWN):")
    for key, n in tally.known.most_common():
        print(f"  {n:>6,}  {key}: {KNOWN[key]}")
    if tally.findings:
        print("\nFindings (most frequent first, one example each):\n")
        print(tally.describe(limit=50))

    result: dict[str, Any] = {
        "cases": tally.total,
        "seconds": round(seconds, 1),
        "backend": "postgresql" if args.postgres else "sqlite",
        "seed": args.seed,
        "server_errors": server_errors,
        "dropped": dropped,
        "check_failures": checks,
        "statuses": dict(sorted(statuses.items())),
        "known": dict(tally.known.most_common()),
        "by_operation": {
            f"{op} -> {status}": n for (op, status), n in sorted(tally.statuses.items(), key=lambda kv: str(kv[0]))
        },
        "findings": [
            {"count": n, "kind": key[0], "title": key[1], "operation": key[2], "status": key[3]}
            for key, n in tally.findings.most_common()
        ],
    }
    output = args.output or ROOT / "results" / f"fuzz_api_{result['backend']}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 1 if server_errors or dropped else 0


if __name__ == "__main__":
    sys.exit(main())
