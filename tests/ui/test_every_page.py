"""Every page in pages/ runs without an exception, logged in as the demo user (or logged out,
for the login pages): a new page is covered the moment it exists."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from core.bootstrap import App
from core.demo import DEMO_PASSWORD, DEMO_USERNAME, seed
from tests.ui.conftest import ROOT, log_in

PAGES = sorted(path.name for path in (ROOT / "pages").glob("*.py"))
_HOME = (ROOT / "Home.py").read_text(encoding="utf-8")
_LOGGED_IN, _, _LOGGED_OUT = _HOME.partition("LOGGED_OUT_PAGES =")
LOGGED_OUT_PAGES = set(re.findall(r'"pages/(\w+\.py)"', _LOGGED_OUT.split("\n\n")[0]))
LOGGED_IN_PAGES = set(re.findall(r'"pages/(\w+\.py)"', _LOGGED_IN))


def test_every_page_file_is_in_the_navigation() -> None:
    assert PAGES and set(PAGES) == LOGGED_IN_PAGES | LOGGED_OUT_PAGES


@pytest.mark.parametrize("page", sorted(LOGGED_IN_PAGES))
def test_each_page_runs_for_the_demo_user(
    page: str, new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    seed(core_app)
    at = log_in(new_app_test().run(), DEMO_USERNAME, DEMO_PASSWORD)
    assert not at.exception
    at = at.switch_page(f"pages/{page}").run()
    assert not at.exception, f"{page}: {at.exception}"
    assert not at.error, f"{page} shows an error: {[e.value for e in at.error]}"
    assert at.title, f"{page} has no title"


@pytest.mark.parametrize("page", sorted(LOGGED_OUT_PAGES))
def test_each_page_runs_for_a_visitor(page: str, new_app_test: Callable[[], AppTest]) -> None:
    at = new_app_test().run().switch_page(f"pages/{page}").run()
    assert not at.exception, f"{page}: {at.exception}"
    assert at.title, f"{page} has no title"
