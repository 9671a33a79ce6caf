"""A large Apple Health export goes through the real upload in Chromium and is imported with
progress shown; a file over the 1 GB limit is refused in the browser with a clear message.

Both files live in the test's tmp folder: the 300 MB export is generated, the 2 GB one is sparse
(its size is all the browser looks at before refusing it).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import register, screenshot, settle
from tests.factories import write_apple_health_export

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def _import_tab(page: Page, app_url: str) -> None:
    page.goto(f"{app_url}/sleep")
    expect(page.get_by_role("heading", name="Sleep", exact=True)).to_be_visible(timeout=60_000)
    settle(page)
    page.get_by_role("tab", name="Import").click()
    expect(page.get_by_text("Files up to 1.0 GB.")).to_be_visible()


def test_a_300_mb_apple_health_export_uploads_and_imports_with_progress(
    app_url: str, page: Page, tmp_path: Path
) -> None:
    export = tmp_path / "export.xml"
    nights = write_apple_health_export(export, 300)
    register(page, app_url, "sleeper")
    _import_tab(page, app_url)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(export))
    go = page.get_by_role("button", name="Import")
    expect(go).to_be_visible(timeout=120_000)  # 300 MB over loopback
    settle(page)
    go.click()
    expect(page.get_by_text(re.compile(r"Reading… \d+%"))).to_be_visible(timeout=60_000)
    screenshot(page, "sleep-import-progress")
    done = page.get_by_text(f"Imported {nights} new nights ({nights} in the file, 0 already")
    expect(done).to_be_visible(timeout=180_000)
    page.get_by_role("tab", name="Your nights").click()
    expect(page.get_by_text("from Apple Health").first).to_be_attached()


def test_a_2_gb_file_is_refused_in_the_browser_with_a_clear_message(
    app_url: str, page: Page, tmp_path: Path
) -> None:
    huge = tmp_path / "export.xml"
    with huge.open("wb") as sparse:
        sparse.truncate(2 * 1024**3)
    register(page, app_url, "bigfile")
    _import_tab(page, app_url)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(huge))
    page.get_by_test_id("stFileChipName").hover()  # the chip is red; pointing at it says why
    expect(page.get_by_text(re.compile(r"File must be 1(\.\d)? ?GB or smaller"))).to_be_visible()
    settle(page)
    expect(page.get_by_role("button", name="Import")).to_have_count(0)  # nothing sent or read
    screenshot(page, "sleep-import-too-big")
    page.get_by_role("tab", name="Your nights").click()
    expect(page.get_by_text("No nights yet.")).to_be_visible()
