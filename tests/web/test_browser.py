"""The web chat and the agent console in a real browser (Debian's chromium driven by Playwright) against the real
service on loopback. Each test saves screenshots under test-artifacts/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from paydesk.store.database import Store
from paydesk.store.queue import Queue
from paydesk.understanding.engine import EmbeddedUnderstanding
from tests.api.conftest import Service, demo_ledger, run_service
from tests.conftest import load
from tests.web.pages import TIMEOUT, shot, sign_in


@pytest.fixture
def web(tmp_path: Path, shared_engine: EmbeddedUnderstanding) -> Iterator[Service]:
    store = Store.open(f"sqlite:///{tmp_path / 'web.db'}")
    load(store, demo_ledger())
    with run_service(store, shared_engine) as service:
        yield service
    store.close()


def open_chat(browser: Browser, service: Service, customer: str) -> Page:
    page = browser.new_page(viewport={"width": 480, "height": 860})
    page.set_default_timeout(TIMEOUT)
    page.goto(f"{service.url}/chat")
    page.select_option("#customer", customer)
    page.click("#start")
    expect(page.locator("#chat")).to_be_visible()
    expect(page.locator("#messages .msg-assistant").first).to_be_visible()  # the welcome
    return page


def say(page: Page, text: str) -> None:
    before = page.locator("#messages .msg-customer").count()
    page.fill("#text", text)
    page.click("#send")
    expect(page.locator("#messages .msg-customer")).to_have_count(before + 1)


def test_a_customer_reports_a_return_and_confirms_with_the_button(browser: Browser, web: Service) -> None:
    page = open_chat(browser, web, "cus_1")
    say(page, "Jag vill returnera löparskorna, de är för små")
    yes = page.locator("button.confirm-yes")
    expect(yes).to_be_visible()
    expect(yes).to_have_text("Ja")
    expect(page.locator("#messages .msg-assistant").last).to_contain_text("4821-0932")
    shot(page, "chat-return-summary")
    with web.services.store.read() as ledger:
        assert ledger.returns(["4821-0932"]) == []
    yes.click()
    expect(page.locator("button.confirm-yes")).to_have_count(0)
    expect(page.locator("#messages .msg-customer .body").last).to_have_text("Ja")
    expect(page.locator("#messages .msg-assistant")).to_have_count(3)
    shot(page, "chat-return-done")
    with web.services.store.read() as ledger:
        assert [r.status for r in ledger.returns(["4821-0932"])] == ["registered"]
    page.close()


def test_an_agent_claims_the_handoff_and_the_reply_appears_live(browser: Browser, web: Service) -> None:
    chat = open_chat(browser, web, "cus_1")
    say(chat, "Jag vill prata med en människa")
    expect(chat.locator("#messages .msg-assistant")).to_have_count(2)
    with web.services.store.read() as ledger:
        (item,) = [i for i in Queue(ledger.conn).items(("queued",)) if i.case.conversation]
    case = item.case.id

    console = sign_in(browser, f"{web.url}/console", "maria")
    expect(console.locator("#app")).to_be_visible()
    row = console.locator(f'.queue-item[data-case="{case}"]')
    expect(row).to_be_visible()
    expect(row).to_contain_text("Astrid Lind")
    row.locator("button.claim").click()
    expect(console.locator("#case")).to_be_visible()
    expect(console.locator("#transcript .msg-customer .body").first).to_have_text("Jag vill prata med en människa")
    expect(console.locator("#ledger")).to_contain_text("4821-0932")
    console.fill("#reply-text", "Hej Astrid! Jag heter Maria, hur kan jag hjälpa dig?")
    console.click("#reply-send")
    shot(console, "console-case")

    agent_line = chat.locator("#messages .msg-agent")
    expect(agent_line).to_have_count(1)
    expect(agent_line.locator(".body")).to_have_text("Hej Astrid! Jag heter Maria, hur kan jag hjälpa dig?")
    expect(chat.locator("#messages .msg-system").first).to_contain_text("Maria Lund")
    shot(chat, "chat-agent-reply")
    say(chat, "Tack Maria!")
    expect(console.locator("#transcript .msg-customer .body").last).to_have_text("Tack Maria!")
    console.click("#resolve")
    expect(chat.locator("#csat")).to_be_visible()
    chat.click('button.star[data-score="5"]')
    chat.click("#csat-send")
    expect(chat.locator("#csat-thanks")).to_be_visible()
    shot(chat, "chat-csat")
    console.close()
    chat.close()


def test_an_arabic_conversation_renders_right_to_left(browser: Browser, web: Service) -> None:
    page = open_chat(browser, web, "cus_3")
    chat = page.locator("#chat")
    expect(chat).to_have_attribute("dir", "rtl")
    expect(chat).to_have_attribute("lang", "ar")
    say(page, "متى موعد الدفعة القادمة؟")
    expect(page.locator("#messages .msg-assistant")).to_have_count(2)
    expect(page.locator("#send")).to_have_text("إرسال")
    assert page.evaluate("getComputedStyle(document.querySelector('#messages')).direction") == "rtl"
    mine = page.locator("#messages .msg-customer").last.bounding_box()
    theirs = page.locator("#messages .msg-assistant").last.bounding_box()
    assert mine is not None and theirs is not None
    assert mine["x"] < theirs["x"]  # the customer's bubble on the left, the assistant's on the right
    shot(page, "chat-arabic-rtl")
    page.close()


def test_markup_in_a_customer_message_is_shown_as_text_in_both_pages(browser: Browser, web: Service) -> None:
    page = open_chat(browser, web, "cus_2")
    hostile = '<script>window.pwned=1</script><img src=x onerror="window.pwned=2"><b>bold</b>'
    say(page, hostile)
    expect(page.locator("#messages .msg-customer .body").last).to_have_text(hostile)
    expect(page.locator("#messages .msg-assistant")).to_have_count(2)
    say(page, "I want to talk to a person")
    expect(page.locator("#messages .msg-assistant")).to_have_count(3)
    console = sign_in(browser, f"{web.url}/console", "sam")
    with web.services.store.read() as ledger:
        (item,) = [i for i in Queue(ledger.conn).items(("queued",)) if i.case.conversation]
    row = console.locator(f'.queue-item[data-case="{item.case.id}"]')
    expect(row).to_contain_text("Bob Smith")
    row.click()
    expect(console.locator("#transcript .msg-customer .body").first).to_have_text(hostile)
    for p in (page, console):
        assert p.evaluate("window.pwned") is None
        assert p.locator(".body b, .body img, .body script").count() == 0
    shot(console, "console-markup-as-text")
    console.close()
    page.close()
