"""Helpers of the browser tests: screenshots under test-artifacts/, signing in to the console or the dashboard."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, Page

from tests.api.conftest import PASSWORDS

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
TIMEOUT = 20_000  # ms: a turn on a busy two-core machine


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def sign_in(browser: Browser, url: str, username: str, width: int = 1280, height: int = 900) -> Page:
    """A page of the console or the dashboard (`url`), signed in as the agent."""
    page = browser.new_page(viewport={"width": width, "height": height})
    page.set_default_timeout(TIMEOUT)
    page.goto(url)
    page.fill("#username", username)
    page.fill("#password", PASSWORDS[username])
    page.click("#login-button")
    return page
