"""The Mood page in Chromium: log a mood (and one earlier), see them on the chart; the demo
account's 120 days drawn as charts (the README's screenshots come from this test)."""

from __future__ import annotations

import base64
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from core.demo import DEMO_PASSWORD, DEMO_USERNAME
from tests.e2e.conftest import (
    ROOT,
    _wait_healthy,
    free_port,
    register,
    screenshot,
    settle,
)

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def _open_mood(page: Page) -> None:
    page.get_by_role("link", name="Mood", exact=True).first.click()
    expect(page.get_by_role("heading", name="Mood", exact=True)).to_be_visible()
    settle(page)


def _save(page: Page, word: str) -> None:
    page.locator('[data-testid="stButtonGroup"] button', has_text=word).first.click()
    page.get_by_role("button", name="Save mood").click()
    expect(page.get_by_text("Saved.", exact=True)).to_be_visible()
    settle(page)


def test_a_logged_mood_shows_on_the_chart(app_url: str, page: Page) -> None:
    register(page, app_url, "wren")
    _open_mood(page)
    expect(page.get_by_text("No moods logged yet")).to_be_visible()
    page.get_by_role("button", name="calm").click()
    page.get_by_text("This was earlier").click()
    yesterday = datetime.now(UTC).date() - timedelta(days=1)  # the new account's zone is UTC
    day = page.locator('[data-testid="stDateInput"]').first
    # The field is in parts (year / month / day): click the year, type the date through them.
    box = day.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 30, box["y"] + box["height"] - 20)
    page.keyboard.type(f"{yesterday:%Y%m%d}")
    page.keyboard.press("Escape")  # close the calendar
    screenshot(page, "mood-00-date")
    _save(page, "bad")
    expect(page.get_by_text("One mood so far")).to_be_visible()
    _save(page, "great")
    element = page.locator('[data-testid="stPlotlyChart"]').first
    element.scroll_into_view_if_needed()
    chart = element.locator(".js-plotly-plot")
    expect(chart).to_be_visible()
    settle(page)
    screenshot(page, "mood-00-after-two")
    expect(chart.locator("g.trace.scatter path.point")).to_have_count(2)
    chart.scroll_into_view_if_needed()
    screenshot(page, "mood-01-logged-on-the-chart")


def _demo_environment(folder: Path) -> dict[str, str]:
    return {
        **os.environ,
        "APP_ENV": "test",
        "RUNTIME_DIR": str(folder / "var"),
        "DATABASE_URL": f"sqlite:///{folder / 'demo.db'}",
        "MASTER_KEY": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "COOKIE_KEY": secrets.token_urlsafe(48),
        "BCRYPT_ROUNDS": "4",
        "OLLAMA_HOST": f"http://127.0.0.1:{free_port()}",
        "OLLAMA_WARM_UP": "false",
        "HF_HUB_OFFLINE": "1",
    }


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server whose database holds the demo account (seeded by `python -m core.demo seed`)."""
    folder = tmp_path_factory.mktemp("e2e-demo")
    env = _demo_environment(folder)
    seeded = subprocess.run(
        [sys.executable, "-m", "core.demo", "seed"], cwd=ROOT, env=env, capture_output=True
    )
    assert seeded.returncode == 0, seeded.stderr.decode()[-2000:]
    port = free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", "Home.py",
        "--server.port", str(port), "--server.headless", "true",
    ]  # fmt: skip
    log_path = folder / "streamlit.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, server, log_path)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()


def test_the_demo_accounts_120_days_are_drawn(demo_url: str, page: Page) -> None:
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.goto(demo_url)
    expect(page.get_by_role("heading", name="Welcome back")).to_be_visible(timeout=120_000)
    settle(page)
    page.get_by_role("textbox", name="Username").fill(DEMO_USERNAME)
    page.get_by_role("textbox", name="Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Your mood today")).to_be_visible()
    expect(page.get_by_text("-day streak")).to_be_visible()  # a reminder may say "streak" too
    settle(page)
    screenshot(page, "mood-02-home-today")
    _open_mood(page)
    charts = page.locator('[data-testid="stPlotlyChart"]')
    expect(charts).to_have_count(5, timeout=90_000)  # a loaded shared machine is slow
    settle(page, 1500)
    charts.first.scroll_into_view_if_needed()
    expect(charts.first.locator(".js-plotly-plot")).to_be_visible()
    assert charts.first.locator("g.trace.scatter path.point").count() > 70  # 90 days shown
    expect(page.get_by_text("A correlation, not a cause.").first).to_be_visible()
    screenshot(page, "mood-03-demo-page")
    for index, name in ((0, "time"), (4, "pixels")):
        charts.nth(index).scroll_into_view_if_needed()
        settle(page, 300)
        charts.nth(index).screenshot(path=str(ROOT / "test-artifacts" / f"mood-chart-{name}.png"))
