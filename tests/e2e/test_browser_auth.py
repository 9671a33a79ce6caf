"""Register and log in through a real browser against `streamlit run`."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import (
    heading_peak,
    screenshot,
    settle,
    wait_for_login_cookie,
    watch_headings,
)

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

PASSWORD = "quiet river lantern 42"


def test_a_person_registers_logs_out_and_logs_back_in(app_url: str, page: Page) -> None:
    page.goto(app_url)
    expect(page.get_by_role("heading", name="Welcome back")).to_be_visible()
    screenshot(page, "01-login")

    page.get_by_role("link", name="Create an account").click()
    expect(page.get_by_role("heading", name="Create your account")).to_be_visible()
    page.get_by_role("textbox", name="Username").fill("robin")
    page.get_by_role("textbox", name="What should we call you?").fill("Robin")
    page.get_by_role("textbox", name="Password", exact=True).fill(PASSWORD)
    page.get_by_role("textbox", name="Password again").fill(PASSWORD)
    screenshot(page, "02-register")
    page.get_by_role("button", name="Create account").click()

    expect(page.get_by_role("heading", name="Robin")).to_be_visible()
    wait_for_login_cookie(page)
    screenshot(page, "03-home-after-register")

    page.reload()  # the signed cookie logs this browser back in
    expect(page.get_by_role("heading", name="Robin")).to_be_visible()
    settle(page)

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Welcome back")).to_be_visible()
    expect(page.get_by_text("You've logged out")).to_be_visible()
    page.reload()  # the revoked login must not come back, cookie or not
    expect(page.get_by_role("heading", name="Welcome back")).to_be_visible()
    settle(page)

    page.get_by_role("textbox", name="Username").fill("ROBIN")
    page.get_by_role("textbox", name="Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Robin")).to_be_visible()
    wait_for_login_cookie(page)
    screenshot(page, "04-home-after-login")


def test_a_wrong_password_is_explained_in_the_browser(app_url: str, page: Page) -> None:
    page.goto(app_url)
    page.get_by_role("textbox", name="Username").fill("nobody-here")
    page.get_by_role("textbox", name="Password", exact=True).fill("not the right password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("don't match")).to_be_visible()
    screenshot(page, "05-wrong-password")


def test_a_gated_page_url_without_login_shows_the_login(app_url: str, page: Page) -> None:
    page.goto(f"{app_url}/settings")
    expect(page.get_by_role("heading", name="Welcome back")).to_be_visible()
    expect(page.get_by_role("heading", name="Settings")).to_have_count(0)


def test_a_forged_or_foreign_cookie_is_just_not_logged_in(app_url: str, page: Page) -> None:
    import jwt

    forged = jwt.encode({"username": "robin", "exp_date": 4_000_000_000.0}, "x" * 48, "HS256")
    host = app_url.split("//", 1)[1].split(":", 1)[0]
    page.context.add_cookies(
        [{"name": "companion_auth", "value": forged, "domain": host, "path": "/"}]
    )
    page.goto(app_url)
    expect(page.get_by_role("heading", name="Welcome back")).to_be_visible()
    page.context.add_cookies(
        [{"name": "companion_auth", "value": "not-a-jwt", "domain": host, "path": "/"}]
    )
    page.goto(app_url)
    expect(page.get_by_role("heading", name="Welcome back")).to_be_visible()


def test_no_heading_shows_twice_while_the_login_cookie_is_written_or_removed(
    app_url: str, page: Page
) -> None:
    watch_headings(page, "Sam", "Welcome back")
    page.goto(app_url)
    page.get_by_role("link", name="Create an account").click()
    expect(page.get_by_role("heading", name="Create your account")).to_be_visible()
    settle(page)
    page.get_by_role("textbox", name="Username").fill("sam")
    page.get_by_role("textbox", name="What should we call you?").fill("Sam")
    page.get_by_role("textbox", name="Password", exact=True).fill(PASSWORD)
    page.get_by_role("textbox", name="Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    wait_for_login_cookie(page)
    settle(page)
    assert heading_peak(page, "Sam") == 1

    page.reload()
    expect(page.get_by_role("heading", name="Sam")).to_be_visible()
    settle(page)
    assert heading_peak(page, "Sam") == 1

    page.get_by_role("button", name="Log out").click()
    wait_for_login_cookie(page, present=False)
    settle(page)
    assert heading_peak(page, "Welcome back") == 1
