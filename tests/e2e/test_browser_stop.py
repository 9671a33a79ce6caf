"""Stop in a real browser: pressed while the model is still thinking, nothing is saved and the
message waits with "Answer it" (#6 items 26, 37)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import screenshot, settle
from tests.e2e.test_browser_chat import _register
from tests.fakes.ollama_server import FakeOllama

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_stop_while_thinking_stops_and_keeps_the_message_unanswered(
    model_app_url: str, fake_ollama: FakeOllama, page: Page
) -> None:
    fake_ollama.first_token_delay = 1.8  # the server falls back to the guides after 2 s
    try:
        _register(page, model_app_url, "stopper")
        page.get_by_role("link", name="Talk it through").first.click()
        expect(page.get_by_role("heading", name="Talk it through")).to_be_visible()
        settle(page)
        box = page.get_by_placeholder("How are you feeling right now?")
        box.fill("I keep going over the same worry tonight")
        box.press("Enter")
        # The first turn of a fresh server may wait for the embedding model before it thinks.
        expect(page.get_by_text("Thinking")).to_be_visible(timeout=60_000)
        page.get_by_role("button", name="Stop").click()
        page.wait_for_timeout(4_000)  # past the point where the guides would have answered
        page.reload()
        expect(page.get_by_text("This message didn't get an answer yet.")).to_be_visible(
            timeout=20_000
        )
        expect(page.get_by_text("Offline mode")).to_have_count(0)
        sidebar = page.locator('[data-testid="stSidebar"]')
        expect(sidebar.get_by_text("I keep going over the same worry")).to_be_visible()
        settle(page)
    finally:
        screenshot(page, "08-chat-stopped")
        fake_ollama.first_token_delay = 0.0
