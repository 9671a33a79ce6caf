"""Chat in a real browser: an offline answer from the guides, and a crisis message."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import register, screenshot, settle

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def _say_in_chat(page: Page, app_url: str, username: str, text: str) -> None:
    """Register, open the chat, and send one message."""
    register(page, app_url, username, reload=True)
    page.get_by_role("link", name="Talk it through").first.click()
    expect(page.get_by_role("heading", name="Talk it through")).to_be_visible()
    settle(page)
    box = page.get_by_placeholder("How are you feeling right now?")
    box.fill(text)
    box.press("Enter")


def test_with_ollama_down_a_message_gets_an_offline_answer(app_url: str, page: Page) -> None:
    _say_in_chat(page, app_url, "kim", "I can't fall asleep, my mind keeps racing at night")
    try:
        expect(page.get_by_text("Offline mode")).to_be_visible(timeout=60_000)
        expect(page.get_by_text("Based on:")).to_be_visible()
        expect(page.get_by_text("not a person or a clinician").first).to_be_visible()
    finally:
        screenshot(page, "06-chat-offline")


def test_a_crisis_message_shows_the_regions_numbers(app_url: str, page: Page) -> None:
    _say_in_chat(page, app_url, "lee", "i cant do this anymore, i want to end my life tonight")
    try:
        main = page.get_by_role("main")
        expect(main.get_by_text("Emergency: 911")).to_be_visible(timeout=60_000)
        expect(main.get_by_text("988 Suicide & Crisis Lifeline")).to_be_visible()
    finally:
        screenshot(page, "07-chat-crisis")
