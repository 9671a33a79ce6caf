"""The Breathe page when the browser refuses the microphone, in Chromium: the person is told
kindly and the pacer keeps going. (A connection that can't carry audio is tested with AppTest in
tests/ui/test_breathe_page.py: Chromium's flags did not stop a loopback WebRTC connection.)"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, Playwright, expect

from tests.e2e.conftest import CHROMIUM, CHROMIUM_FLAGS, register, screenshot, settle

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def _page(playwright: Playwright, flags: list[str]) -> Iterator[Page]:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=flags)
    page = browser.new_context(viewport={"width": 1280, "height": 1100}).new_page()
    page.set_default_timeout(30_000)
    yield page
    browser.close()


@pytest.fixture
def refusing_page(playwright_driver: Playwright) -> Iterator[Page]:
    """Chromium that answers the microphone prompt with "Block", as a person might."""
    flags = [flag for flag in CHROMIUM_FLAGS if flag != "--use-fake-ui-for-media-stream"]
    yield from _page(playwright_driver, [*flags, "--deny-permission-prompts"])


def _start_with_microphone(page: Page, app_url: str, username: str) -> None:
    register(page, app_url, username)
    page.goto(f"{app_url}/breathe")
    expect(page.get_by_role("heading", name="Breathe")).to_be_visible(timeout=60_000)
    settle(page)
    page.get_by_role("button", name="Start").click()
    page.frame_locator("iframe[title*='pacer']").get_by_role("button", name="Begin").click()
    page.get_by_text("Yes, listen to my breathing").click()
    page.frame_locator("iframe[title*='webrtc']").get_by_role("button", name="START").click()


def _pacer_still_running(page: Page) -> None:
    frame = page.frame_locator("iframe[title*='pacer']")
    expect(frame.locator("body")).to_have_attribute("data-state", "running")
    expect(page.get_by_role("button", name="Leave without saving")).to_be_visible()


def test_a_refused_microphone_is_explained_kindly_and_the_pacer_goes_on(
    app_url: str, refusing_page: Page
) -> None:
    page = refusing_page
    _start_with_microphone(page, app_url, "nomic")
    # The component shows the browser's own words; the page adds its kind ones a little later.
    expect(page.get_by_text("The microphone isn't on.")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("works just the same without it")).to_be_visible()
    page.get_by_text("The microphone isn't on.").scroll_into_view_if_needed()
    _pacer_still_running(page)
    screenshot(page, "breathe-microphone-refused")
