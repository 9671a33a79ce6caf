"""A real `streamlit run` server and headless Debian Chromium driven by Playwright."""

from __future__ import annotations

import base64
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright

from tests.fakes.ollama_server import FakeOllama
from tests.services import service_missing

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
]


# The first pages of a fresh server share 2 cores with the embedding model loading in the
# background; allow for that rather than flake.
expect.set_options(timeout=20_000)


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Start the app with `streamlit run` on a fresh SQLite database; stop it afterwards."""
    nowhere = f"http://127.0.0.1:{free_port()}"  # nothing listens there: offline mode
    with streamlit_server(tmp_path_factory.mktemp("e2e"), nowhere) as url:
        yield url


@pytest.fixture(scope="module")
def fake_ollama() -> Iterator[FakeOllama]:
    """A loopback fake Ollama server; set `reply_tokens` to choose what the model answers."""
    with FakeOllama() as server:
        yield server


@pytest.fixture(scope="module")
def model_app_url(
    tmp_path_factory: pytest.TempPathFactory, fake_ollama: FakeOllama
) -> Iterator[str]:
    """Like `app_url`, with a model that answers: `fake_ollama`."""
    with streamlit_server(tmp_path_factory.mktemp("e2e-model"), fake_ollama.url) as url:
        yield url


@contextmanager
def streamlit_server(
    tmp: Path, ollama_host: str, extra_env: dict[str, str] | None = None
) -> Iterator[str]:
    port = free_port()
    env = {
        **os.environ,
        "APP_ENV": "test",
        "RUNTIME_DIR": str(tmp / "var"),
        "DATABASE_URL": f"sqlite:///{tmp / 'e2e.db'}",
        "MASTER_KEY": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "COOKIE_KEY": secrets.token_urlsafe(48),
        "BCRYPT_ROUNDS": "4",
        "OLLAMA_HOST": ollama_host,
        "OLLAMA_WARM_UP": "false",
        "OLLAMA_FIRST_TOKEN_TIMEOUT": "2",
        "HF_HUB_OFFLINE": "1",
        **(extra_env or {}),
    }
    log_path = tmp / "streamlit.log"
    command = [
        sys.executable, "-m", "streamlit", "run", "Home.py",
        "--server.port", str(port), "--server.headless", "true",
    ]  # fmt: skip
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


def _wait_healthy(url: str, server: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"streamlit exited:\n{log_path.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"streamlit did not become healthy:\n{log_path.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    """One Playwright driver for the whole run: a second `sync_playwright()` in the same
    thread fails, so tests that need Chromium with other flags launch it from this one."""
    if not Path(CHROMIUM).exists():
        service_missing(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    """Debian's Chromium, headless. Missing Chromium fails in CI and skips elsewhere."""
    launched = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
    yield launched
    launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser context (its own cookies) and page."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    opened.set_default_timeout(30_000)
    yield opened
    context.close()


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/ and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def wait_for_login_cookie(
    page: Page, *, present: bool = True, name: str = "companion_auth"
) -> None:
    """Wait until the browser holds (or no longer holds) the login cookie."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        names = {cookie["name"] for cookie in page.context.cookies()}
        if (name in names) == present:
            return
        page.wait_for_timeout(200)
    raise AssertionError(f"login cookie {'never set' if present else 'never removed'}")


def settle(page: Page, quiet_ms: int = 700) -> None:
    """Wait until the app has been idle (no script running) for `quiet_ms`, as a person would
    before clicking again."""
    deadline = time.monotonic() + 30
    quiet_since = None
    while time.monotonic() < deadline:
        running = page.locator('[data-testid="stStatusWidget"]').count() > 0
        now = time.monotonic()
        if running:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = now
        elif (now - quiet_since) * 1000 >= quiet_ms:
            return
        page.wait_for_timeout(100)


_PEAK_WATCHER = """
(texts) => {
  window.__peaks = Object.fromEntries(texts.map((text) => [text, 0]));
  const count = () => {
    const headings = [...document.querySelectorAll("h1")];
    for (const text of texts) {
      const n = headings.filter((h) => h.textContent.includes(text)).length;
      window.__peaks[text] = Math.max(window.__peaks[text], n);
    }
  };
  new MutationObserver(count).observe(document, {childList: true, subtree: true});
}
"""


def watch_headings(page: Page, *texts: str) -> None:
    """From the next page load on, record the most h1 headings holding each text at once.

    Streamlit keeps an element that moved to another position on screen (faded) until the
    rerun ends, so a page whose elements shift shows the same heading twice for a moment.
    """
    page.add_init_script(script=f"({_PEAK_WATCHER})({json.dumps(list(texts))})")


def heading_peak(page: Page, text: str) -> int:
    """The most headings holding `text` seen at once since this document loaded."""
    return int(page.evaluate("(text) => window.__peaks[text]", text))


PASSWORD = "quiet river lantern 42"


def register(
    page: Page, app_url: str, username: str, name: str | None = None, *, reload: bool = False
) -> None:
    """Create an account in the browser and wait until its Home page is shown.

    Each server is shared by the tests of a session, so every caller picks its own username.
    With `reload`, the page is reloaded afterwards to continue as a returning visitor logged in
    by the cookie.
    """
    page.goto(app_url)
    create = page.get_by_role("link", name="Create an account")
    expect(create).to_be_visible(timeout=120_000)  # a cold server on a busy machine
    settle(page)
    create.click()
    expect(page.get_by_role("heading", name="Create your account")).to_be_visible()
    settle(page)
    page.get_by_role("textbox", name="Username").fill(username)
    page.get_by_role("textbox", name="What should we call you?").fill(name or username.title())
    page.get_by_role("textbox", name="Password", exact=True).fill(PASSWORD)
    page.get_by_role("textbox", name="Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Good", timeout=60_000)
    wait_for_login_cookie(page)
    if reload:
        page.reload()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Good", timeout=60_000)
    settle(page)
