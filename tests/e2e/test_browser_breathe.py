"""A breathing session in Chromium: the pacer keeps time in the browser, and the finished
session is saved with both stress ratings. The mid-inhale screenshot is the README's."""

from __future__ import annotations

import re
import wave
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from playwright.sync_api import Page, Playwright, expect

from tests.e2e.conftest import (
    CHROMIUM,
    CHROMIUM_FLAGS,
    register,
    screenshot,
    settle,
)
from tests.factories import breathing_audio

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


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
    register(page, app_url, "breather")
    page.goto(f"{app_url}/breathe")
    expect(page.get_by_role("heading", name="Breathe")).to_be_visible(timeout=60_000)
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


@pytest.fixture
def fake_microphone_page(tmp_path: Path, playwright_driver: Playwright) -> Iterator[Page]:
    """Chromium whose microphone plays a WAV of breathing at 6 breaths a minute."""
    audio = breathing_audio(6, seconds=60, rate=48_000, noise=0.3, jitter=0.03, seed=6)
    wav = tmp_path / "breathing.wav"
    pcm = (np.clip(audio / np.abs(audio).max(), -1, 1) * 20_000).astype("<i2")
    with wave.open(str(wav), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(48_000)
        out.writeframes(pcm.tobytes())
    flags = [*CHROMIUM_FLAGS, f"--use-file-for-fake-audio-capture={wav}"]
    browser = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=flags)
    context = browser.new_context(viewport={"width": 1280, "height": 1100})
    context.grant_permissions(["microphone"])
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    browser.close()


def test_the_microphone_follows_a_fake_breath_beside_the_pacer(
    app_url: str, fake_microphone_page: Page
) -> None:
    page = fake_microphone_page
    register(page, app_url, "listener")
    page.goto(f"{app_url}/breathe")
    expect(page.get_by_role("heading", name="Breathe")).to_be_visible(timeout=60_000)
    settle(page)
    page.get_by_text("Resonance breathing (about 5.5 a minute)", exact=True).click()
    settle(page)
    page.get_by_role("button", name="Start").click()
    frame = page.frame_locator("iframe[title*='pacer']")
    frame.get_by_role("button", name="Begin").click()
    page.get_by_text("Yes, listen to my breathing").click()
    webrtc = page.frame_locator("iframe[title*='webrtc']")
    webrtc.get_by_role("button", name="START").click()
    reading = page.get_by_text("Your pace:")
    expect(reading).to_be_visible(timeout=150_000)
    text = reading.inner_text()
    pace = float(re.search(r"Your pace: ([0-9.]+)", text).group(1))  # type: ignore[union-attr]
    assert abs(pace - 6) <= 1, text
    _mid_inhale(page)
    screenshot(page, "breathe-microphone-mid-inhale")
