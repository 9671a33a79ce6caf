"""Stop in a real browser: pressed while the model is still thinking, nothing is saved and the
message waits with "Answer it" (#6 items 26, 37)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import PASSWORD, screenshot, settle, wait_for_login_cookie
from tests.fakes.ollama_server import FakeOllama

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_stop_while_thinking_stops_and_keeps_the_message_unanswered(
    model_app_url: str, fake_ollama: FakeOllama, page: Page
) -> None:
    fake_ollama.first_token_delay = 1.8  # the server falls back to the guides after 2 s
    try:
        # Registered and used in one browser session: this test is about Stop, not about the
        # login cookie (a reload right after registering once logged out on a cold server).
        page.goto(model_app_url)
        page.get_by_role("link", name="Create an account").click()
        expect(page.get_by_role("heading", name="Create your account")).to_be_visible()
        page.get_by_role("textbox", name="Username").fill("stopper")
        page.get_by_role("textbox", name="What should we call you?").fill("Stopper")
        page.get_by_role("textbox", name="Password", exact=True).fill(PASSWORD)
        page.get_by_role("textbox", name="Password again").fill(PASSWORD)
        page.get_by_role("button", name="Create account").click()
        expect(page.get_by_role("heading", name="Stopper")).to_be_visible(timeout=60_000)
        wait_for_login_cookie(page)  # the reload below must find this login
        settle(page)
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
