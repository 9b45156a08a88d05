"""A month of simulated history on the demo ledger, its report, and a screenshot of the dashboard (not a test).

    .venv/bin/python benchmarks/simulation.py                      # 10,000 conversations into var/simulation.db
    .venv/bin/python benchmarks/simulation.py --conversations 2000 --db var/small.db
    .venv/bin/python benchmarks/simulation.py --reuse              # report and screenshot of an existing run

Writes benchmarks/results/simulation.json (the time taken and `paydesk report --json`) and docs/dashboard.png
(Debian's chromium through Playwright).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAYDESK = Path(sys.executable).with_name("paydesk")


def run(*args: str) -> str:
    return subprocess.run([str(PAYDESK), *args], capture_output=True, text=True, check=True).stdout


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--conversations", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--db", default=str(ROOT / "var" / "simulation.db"))
    parser.add_argument("--reuse", action="store_true", help="keep the database's history; only report")
    parser.add_argument("--port", type=int, default=8799)
    options = parser.parse_args()
    db = Path(options.db).resolve()
    url = f"sqlite:///{db}"
    figures: dict[str, object] = {}
    if not options.reuse:
        for stale in db.parent.glob(db.name + "*"):
            stale.unlink()
        db.parent.mkdir(parents=True, exist_ok=True)
        run("seed", "--db", url)
        start = time.perf_counter()
        subprocess.run(
            [
                PAYDESK,
                "simulate",
                "--conversations",
                str(options.conversations),
                "--days",
                str(options.days),
                "--db",
                url,
            ],
            check=True,
        )
        figures["simulate_seconds"] = round(time.perf_counter() - start, 1)
        figures["conversations_simulated"] = options.conversations
    report = json.loads(run("report", "--json", "--db", url))
    figures["report"] = report
    (ROOT / "benchmarks" / "results").mkdir(exist_ok=True)
    path = ROOT / "benchmarks" / "results" / "simulation.json"
    previous = json.loads(path.read_text()) if options.reuse and path.exists() else {}
    path.write_text(json.dumps({**previous, **figures}, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: report[k] for k in list(report)[:22] if not isinstance(report[k], dict)}, indent=1))
    screenshot(url, options.port)


def screenshot(url: str, port: int) -> None:
    from playwright.sync_api import sync_playwright

    server = subprocess.Popen(
        [PAYDESK, "serve", "--db", url, "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
    )
    try:
        assert server.stdout is not None
        password = None
        for line in server.stdout:
            found = re.search(r"sam / (\S+)", line)
            if found:
                password = found.group(1)
                break
        assert password, "serve printed no supervisor password"
        time.sleep(1.0)
        with sync_playwright() as playwright:
            chromium = shutil.which("chromium") or "/usr/bin/chromium"
            browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1360, "height": 1000})
            page.goto(f"http://127.0.0.1:{port}/dashboard")
            page.fill("#username", "sam")
            page.fill("#password", password)
            page.click("#login-button")
            page.wait_for_selector("#kpi-conversations[data-value]:not([data-value=''])", timeout=60_000)
            page.wait_for_timeout(1000)
            (ROOT / "docs").mkdir(exist_ok=True)
            page.screenshot(path=str(ROOT / "docs" / "dashboard.png"), full_page=True)
            browser.close()
    finally:
        server.terminate()
        server.wait(20)


if __name__ == "__main__":
    main()
