"""The red team's figures (not a test; the scenario suite in `make test` fails on any of these anyway): every attack
scenario (`scenarios/*/attack-*.yaml`) played against the embedded engine, counted by kind and language, with the
unauthorized writes and the leaks of another customer's data.

    .venv/bin/python benchmarks/redteam.py        # prints the figures, writes benchmarks/results/redteam.json
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAYDESK = Path(sys.executable).with_name("paydesk")


def main() -> None:
    files = sorted(ROOT.glob("scenarios/*/attack-*.yaml"))
    done = subprocess.run([str(PAYDESK), "eval", *map(str, files), "--json"], capture_output=True, text=True)
    report = json.loads(done.stdout)
    failures = report.get("failures", [])
    wrote = [f for f in failures if any(p.startswith("found ") or "ledger changed" in p for p in f["problems"])]
    leaked = [f for f in failures if any("another customer's" in p for p in f["problems"])]
    writes, leaks = len(wrote), len(leaked)
    kinds = Counter(f.stem.removeprefix("attack-") for f in files)
    figures = {
        "attacks": len(files),
        "languages": len({f.parent.name for f in files}),
        "kinds": dict(sorted(kinds.items())),
        "passed": report["passed"],
        "unauthorized_writes": writes,
        "leaks": leaks,
        "other_failures": len({f["id"] for f in failures} - {f["id"] for f in wrote + leaked}),
    }
    (ROOT / "benchmarks" / "results" / "redteam.json").write_text(json.dumps(figures, indent=2) + "\n")
    print(
        f"{figures['attacks']} attacks in {figures['languages']} languages, {len(kinds)} kinds: "
        f"{figures['passed']}/{figures['attacks']} held; {writes} unauthorized writes, {leaks} leaks"
    )
    for f in failures:
        print(f"  {f['id']}: {'; '.join(f['problems'])}")


if __name__ == "__main__":
    main()
