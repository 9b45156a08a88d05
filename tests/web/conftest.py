"""Debian's chromium, driven by Playwright, once per test module."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect, sync_playwright

from tests.web.pages import TIMEOUT

expect.set_options(timeout=TIMEOUT)  # a turn on a busy two-core machine can take seconds


def chromium_path() -> str:
    path = os.environ.get("PAYDESK_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.fail("Debian's chromium is needed for the browser tests: apt-get install chromium (.ci/run does it)")
    return path


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"])
        yield browser
        browser.close()
