"""The webcam check-in end to end: Chromium's fake camera plays a video of a drawn face, the
stream reaches the app's aiortc server over real WebRTC on loopback, the real DeepFace model
(test weights) reads it live, and the check-in is saved and listed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import cv2
import numpy as np
import pytest
from playwright.sync_api import Page, Playwright, expect

from tests.e2e.conftest import (
    CHROMIUM,
    CHROMIUM_FLAGS,
    free_port,
    register,
    screenshot,
    settle,
    streamlit_server,
)
from tests.emotion_weights import drawn_face, install_test_weights

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def write_y4m(path: Path, frames: int = 45, fps: int = 15) -> Path:
    """A raw YUV4MPEG2 video (what Chromium's fake camera plays in a loop) of a drawn face that
    drifts a little, so every frame differs."""
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W640 H480 F{fps}:1 Ip A1:1 C420jpeg\n".encode())
        for n in range(frames):
            shift = int(12 * np.sin(2 * np.pi * n / frames))
            frame = drawn_face(centre=(320 + shift, 240))
            out.write(b"FRAME\n")
            out.write(cv2.cvtColor(frame, cv2.COLOR_BGR2YUV_I420).tobytes())
    return path


@pytest.fixture(scope="module")
def checkin_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app with the emotion model's (test) weights installed."""
    home = tmp_path_factory.mktemp("deepface")
    install_test_weights(home)
    nowhere = f"http://127.0.0.1:{free_port()}"
    tmp = tmp_path_factory.mktemp("e2e-checkin")
    env = {"DEEPFACE_HOME": str(home), "EMOTION_ANALYSES_PER_SECOND": "4"}
    with streamlit_server(tmp, nowhere, env) as url:
        yield url


@pytest.fixture(scope="module")
def camera_page(
    tmp_path_factory: pytest.TempPathFactory, playwright_driver: Playwright
) -> Iterator[Page]:
    """Chromium whose fake camera plays the drawn-face video."""
    video = write_y4m(tmp_path_factory.mktemp("video") / "face.y4m")
    flags = [*CHROMIUM_FLAGS, f"--use-file-for-fake-video-capture={video}"]
    browser = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=flags)
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    context.grant_permissions(["camera", "microphone"])
    page = context.new_page()
    page.set_default_timeout(90_000)
    yield page
    browser.close()


def _readings(page: Page) -> int:
    """How many readings the live panel says it has made (waiting for the panel to show one)."""
    panel = page.get_by_text(re.compile(r"\d+ readings"))
    expect(panel).to_be_visible()
    found = re.search(r"(\d+) readings", panel.inner_text())
    assert found is not None
    return int(found.group(1))


def test_a_live_check_in_over_webrtc_is_read_saved_and_listed(
    checkin_url: str, camera_page: Page
) -> None:
    page = camera_page
    outside: list[str] = []
    page.context.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if urlsplit(request.url).hostname not in {"127.0.0.1", "localhost", None}
            and urlsplit(request.url).scheme not in {"data", "blob"}
            else None
        ),
    )
    register(page, checkin_url, "robin")
    page.get_by_role("link", name="Check in").first.click()
    expect(page.get_by_role("heading", name="Check in")).to_be_visible()
    settle(page)
    page.get_by_text("I understand; let me use the camera").click()
    start = page.frame_locator("iframe[title*='streamlit_webrtc']").get_by_role(
        "button", name="Start"
    )
    start.click()
    # The live reading arrives once frames cross WebRTC and the model has read a few.
    # The model loads at start-up in the background; on a busy machine that takes a while.
    expect(page.get_by_text("Looks like:")).to_be_visible(timeout=120_000)
    first = _readings(page)
    page.wait_for_timeout(10_000)
    # The live reading keeps up (4 a second configured): even on a busy 2-core machine at least
    # one every two seconds, where a full garbage collection after each panel refresh once
    # starved the video down to a reading every ten seconds.
    assert _readings(page) - first >= 5
    screenshot(page, "checkin-live")
    page.frame_locator("iframe[title*='streamlit_webrtc']").get_by_role(
        "button", name="Stop"
    ).click()
    expect(page.get_by_text("The camera read mostly")).to_be_visible()
    page.get_by_role("button", name="Save check-in").click()
    expect(page.get_by_text("Check-in saved")).to_be_visible()
    expect(page.get_by_text("· camera").first).to_be_visible()
    screenshot(page, "checkin-saved")
    # It joins the mood timeline: a diamond on the Mood page's chart.
    settle(page)
    page.get_by_role("link", name="Mood", exact=True).first.click()
    expect(page.get_by_role("heading", name="Mood", exact=True)).to_be_visible()
    chart = page.locator('[data-testid="stPlotlyChart"]').first
    # The page can wait on the server's start-up warm-up (models loading) on a busy machine.
    expect(chart.locator(".scatterlayer .point").first).to_be_attached(timeout=120_000)
    expect(chart.locator(".legendtext", has_text="Check-ins")).to_be_attached()
    screenshot(page, "checkin-mood")
    assert outside == [], f"the page fetched from outside the machine: {outside}"
