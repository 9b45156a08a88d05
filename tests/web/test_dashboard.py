"""The dashboard in a real browser after a simulation: every headline tile shows what `paydesk report --json` says."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from paydesk.domain.clock import SystemClock
from paydesk.knowledge.retrieval import default_help_centre
from paydesk.policy.model import Policy
from paydesk.sim.simulate import Simulator
from paydesk.store.database import Store
from paydesk.understanding.engine import EmbeddedUnderstanding
from tests.api.conftest import Service, demo_ledger, run_service
from tests.conftest import load
from tests.web.pages import shot, sign_in

PAYDESK = Path(sys.executable).with_name("paydesk")
TILES = {
    "kpi-conversations": "conversations",
    "kpi-containment": "containment_rate",
    "kpi-median-assistant": "median_resolution_seconds_assistant",
    "kpi-median-agent": "median_resolution_seconds_agent",
    "kpi-csat-assistant": "csat_assistant",
    "kpi-csat-agent": "csat_agent",
    "kpi-repeat-assistant": "repeat_contact_rate_assistant",
    "kpi-repeat-agent": "repeat_contact_rate_agent",
    "kpi-hours-saved": "agent_hours_saved",
    "kpi-fte": "fte_equivalent",
}


@pytest.fixture
def simulated(tmp_path: Path, policy: Policy, shared_engine: EmbeddedUnderstanding) -> Iterator[tuple[Service, str]]:
    url = f"sqlite:///{tmp_path / 'dashboard.db'}"
    store = Store.open(url)
    load(store, demo_ledger())
    Simulator(store, policy, default_help_centre(), shared_engine, seed=5).run(60, 20, datetime.now(UTC))
    with run_service(store, shared_engine, clock=SystemClock()) as service:
        yield service, url
    store.close()


def test_the_dashboard_shows_the_reports_figures(browser: Browser, simulated: tuple[Service, str]) -> None:
    service, url = simulated
    expected = json.loads(
        subprocess.run([PAYDESK, "report", "--json", "--db", url], capture_output=True, text=True, check=True).stdout
    )
    assert expected["conversations"] > 0
    page = sign_in(browser, f"{service.url}/dashboard", "sam", 1360, 1000)
    expect(page.locator("#app")).to_be_visible()
    expect(page.locator("#kpi-conversations")).to_have_attribute("data-value", str(expected["conversations"]))
    for tile, key in TILES.items():
        shown = page.locator(f"#{tile}").get_attribute("data-value")
        value = expected[key]
        assert shown == "null" if value is None else float(shown or "nan") == value, (tile, shown, value)
    for chart in ("days", "resolution", "csat", "repeat", "languages", "intents"):
        assert page.locator(f"#chart-{chart} svg").count() >= 1, chart
    shot(page, "dashboard")
    # A filter: only Arabic conversations.
    page.select_option("#filter-language", "ar")
    page.click("#apply")
    arabic = json.loads(
        subprocess.run(
            [PAYDESK, "report", "--json", "--language", "ar", "--db", url], capture_output=True, text=True, check=True
        ).stdout
    )
    expect(page.locator("#kpi-conversations")).to_have_attribute("data-value", str(arabic["conversations"]))
    page.close()


def test_agents_are_kept_out(browser: Browser, simulated: tuple[Service, str]) -> None:
    service, _ = simulated
    page = sign_in(browser, f"{service.url}/dashboard", "maria")
    expect(page.locator("#forbidden")).to_be_visible()
    expect(page.locator("#app")).to_be_hidden()
    page.close()
