"""AppTest fixtures: the real Home.py against a temporary SQLite, caches cleared per test."""

from __future__ import annotations

import base64
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import streamlit as st
import streamlit.testing.v1.app_test as app_test_module
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from core.adapters import Adapters
from core.adapters.ollama import ollama_from_settings
from core.bootstrap import App
from core.config import Settings
from tests.fakes.adapters import CLOSED_LOOPBACK_URL, fake_adapters
from ui.runtime import get_app, use_adapters

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def app_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Point the app at a fresh database and keys, and clear Streamlit's process caches."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("APP_ENV", "test")
    monkeypatch.setenv("RUNTIME_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'ui.db'}")
    monkeypatch.setenv("MASTER_KEY", base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
    monkeypatch.setenv("COOKIE_KEY", secrets.token_urlsafe(48))
    monkeypatch.setenv("BCRYPT_ROUNDS", "4")
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    monkeypatch.setenv("OLLAMA_WARM_UP", "false")
    monkeypatch.setenv("KNOWLEDGE_WARM_UP", "false")
    monkeypatch.setenv("OLLAMA_HOST", CLOSED_LOOPBACK_URL)  # a test with a fake server sets it
    st.cache_resource.clear()
    st.cache_data.clear()
    use_adapters(_page_adapters)
    yield
    use_adapters(None)
    st.cache_resource.clear()
    st.cache_data.clear()


def _page_adapters(settings: Settings) -> Adapters:
    """The fake set, with the real Ollama adapter configured from the environment as the app
    would be (tests point OLLAMA_HOST at a loopback FakeOllama, or at nothing)."""
    return fake_adapters(settings, llm=ollama_from_settings(settings))


class _NavigationPagesManager(PagesManager):
    """The pages manager as a running server has it after its first run.

    With a `pages/` folder beside Home.py, Streamlit starts in folder-discovery mode and leaves
    it for good once Home.py calls `st.navigation`. AppTest resets that before every run, so
    `switch_page` would run a page file directly, skipping Home.py's login gate. Pinning the
    steady state makes AppTest go through Home.py like a browser does.
    """

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        PagesManager.uses_pages_directory = False


@pytest.fixture(autouse=True)
def navigation_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run every AppTest through Home.py's st.navigation (see _NavigationPagesManager)."""
    monkeypatch.setattr(app_test_module, "PagesManager", _NavigationPagesManager)


@pytest.fixture
def core_app() -> App:
    """The same App instance the pages use (cache_resource is per process)."""
    return get_app()


@pytest.fixture
def new_app_test() -> Callable[[], AppTest]:
    """A fresh browser session on Home.py."""

    def _make() -> AppTest:
        return AppTest.from_file(str(ROOT / "Home.py"), default_timeout=30)

    return _make


def log_in(at: AppTest, username: str, password: str) -> AppTest:
    """Fill and submit the login form."""
    at.text_input(key="login_username").input(username)
    at.text_input(key="login_password").input(password)
    at.button(key="login_submit").click()
    return at.run()


def register(at: AppTest, username: str, password: str, name: str = "Sam") -> AppTest:
    """Go to the registration page and submit it."""
    at.switch_page("pages/register.py").run()
    at.text_input(key="register_username").input(username)
    at.text_input(key="register_display_name").input(name)
    at.text_input(key="register_password").input(password)
    at.text_input(key="register_confirm").input(password)
    at.button(key="register_submit").click()
    return at.run()


def texts(at: AppTest) -> str:
    """Everything written on the page, for loose assertions."""
    parts = [el.value for el in at.markdown] + [el.value for el in at.title]
    parts += [el.value for el in at.error] + [el.value for el in at.info]
    parts += [el.value for el in at.success] + [el.value for el in at.caption]
    return "\n".join(str(part) for part in parts)
