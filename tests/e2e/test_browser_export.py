"""In Chromium: take a PHQ-9 on Check yourself, write a journal entry, then download all one's
data from Settings and open the zip: every table's CSV, the README, the text decrypted."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from playwright.sync_api import Page, expect

from core.screening import PHQ9
from tests.e2e.conftest import (
    ARTIFACTS,
    register,
    screenshot,
    settle,
)

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def _chart_shot(page: Page, name: str) -> None:
    """A screenshot of the first Plotly chart once it has drawn (the page scrolls inside)."""
    chart = page.locator('[data-testid="stPlotlyChart"]').first
    expect(chart.locator(".main-svg").first).to_be_attached(timeout=30_000)
    page.wait_for_timeout(500)
    chart.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def test_a_person_checks_in_writes_and_downloads_all_their_data(app_url: str, page: Page) -> None:
    register(page, app_url, "jules")

    page.get_by_role("link", name="Check yourself").click()
    expect(page.get_by_role("heading", name="Check yourself")).to_be_visible()
    settle(page)
    for number, text in enumerate(PHQ9.items):
        group = page.get_by_role("radiogroup", name=f"{number + 1}. {text}")
        group.get_by_text("Several days" if number < 8 else "Not at all", exact=True).click()
    page.get_by_role("button", name="See my PHQ-9 result").click()
    expect(page.get_by_text("out of 27")).to_be_visible(timeout=60_000)
    settle(page)
    page.get_by_role("heading", name="Check yourself").scroll_into_view_if_needed()
    screenshot(page, "check-yourself-result")
    _chart_shot(page, "check-yourself-history")

    page.get_by_role("link", name="Journal").click()
    expect(page.get_by_role("heading", name="Journal", exact=True)).to_be_visible()
    settle(page)
    page.get_by_role("textbox", name="Title (optional)").first.fill("=Sunday, calm")
    page.get_by_role("textbox", name="Your entry").fill("A quiet walk by the river. Felt lighter.")
    page.get_by_role("button", name="Save entry").click()
    expect(page.get_by_text("Saved.", exact=True)).to_be_visible()
    settle(page)
    _chart_shot(page, "journal-sentiment-chart")

    page.get_by_role("link", name="Settings").click()
    expect(page.get_by_role("heading", name="Your data")).to_be_visible()
    settle(page)
    page.get_by_role("button", name="Download all my data").hover()  # scrolls it into view
    page.screenshot(path=str(ARTIFACTS / "settings-your-data.png"))
    with page.expect_download(timeout=60_000) as download_info:
        page.get_by_role("button", name="Download all my data").click()
    download = download_info.value
    assert download.suggested_filename.startswith("companion-export-")
    archive = zipfile.ZipFile(io.BytesIO(download.path().read_bytes()))
    names = set(archive.namelist())
    assert {"README.txt", "journal_entries.csv", "screening_results.csv", "users.csv"} <= names
    journal = list(csv.DictReader(io.StringIO(archive.read("journal_entries.csv").decode())))
    assert [(row["title"], row["body"]) for row in journal] == [
        ("'=Sunday, calm", "A quiet walk by the river. Felt lighter.")
    ]
    [result] = csv.DictReader(io.StringIO(archive.read("screening_results.csv").decode()))
    assert (result["instrument"], result["total_score"], result["severity"]) == (
        "PHQ-9",
        "8",
        "mild",
    )
    assert "password_hash" not in archive.read("users.csv").decode().splitlines()[0]
