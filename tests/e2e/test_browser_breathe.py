"""A breathing session in Chromium: the pacer keeps time in the browser, and the finished
session is saved with both stress ratings. The mid-inhale screenshot is the README's."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import screenshot, settle, wait_for_login_cookie

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

PASSWORD = "quiet river lantern 42"


def _register(page: Page, app_url: str, username: str) -> None:
    page.goto(app_url)
    page.get_by_role("link", name="Create an account").click()
    expect(page.get_by_role("heading", name="Create your account")).to_be_visible()
    page.get_by_role("textbox", name="Username").fill(username)
    page.get_by_role("textbox", name="What should we call you?").fill(username.title())
    page.get_by_role("textbox", name="Password", exact=True).fill(PASSWORD)
    page.get_by_role("textbox", name="Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    wait_for_login_cookie(page)
    settle(page)


def _mid_inhale(page: Page) -> None:
    """Wait until the pacer is halfway through breathing in."""
    frame = page.frame_locator("iframe[title*='pacer']")
    frame.locator("body[data-phase='in']").wait_for(timeout=20_000)
    page.wait_for_function(
        """() => [...document.querySelectorAll("iframe")].some((f) => {
             const body = f.contentDocument && f.contentDocument.body;
             const p = body ? Number(body.dataset.progress) : 0;
             return body && body.dataset.phase === "in" && p > 0.45 && p < 0.75;
           })""",
        polling=50,
        timeout=20_000,
    )


def test_a_sigh_session_runs_in_the_browser_and_is_saved(app_url: str, page: Page) -> None:
    _register(page, app_url, "breather")
    page.goto(f"{app_url}/breathe")
    expect(page.get_by_role("heading", name="Breathe")).to_be_visible()
    settle(page)
    page.get_by_text("Physiological sigh", exact=True).click()
    slider = page.get_by_role("slider", name="Minutes")
    slider.focus()
    slider.press("Home")  # 1 minute
    settle(page)
    page.get_by_role("button", name="Start").click()
    frame = page.frame_locator("iframe[title*='pacer']")
    begin = frame.get_by_role("button", name="Begin")
    begin.click()
    expect(frame.locator("body")).to_have_attribute("data-state", "running")
    _mid_inhale(page)
    expect(frame.get_by_text("Breathe in")).to_be_visible()
    screenshot(page, "breathe-mid-inhale")
    # The pacer finishes on its own clock (1 minute rounds to 6 sighs, 57 s), with no rerun.
    expect(frame.get_by_text("Well done")).to_be_visible(timeout=90_000)
    expect(page.get_by_role("button", name="Save session")).to_be_visible()
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_text("Saved. Stress 5 → 5.")).to_be_visible()
    expect(page.locator(".js-plotly-plot").first).to_be_visible()  # the stats chart
    screenshot(page, "breathe-saved")
