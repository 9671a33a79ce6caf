"""The offline answer to a panic message, in a real browser: the chest-pain warning is shown (#12).

With the language model down, the chat answers from the guides; every guide it shows carries its
safety note, and the panic guides' notes say when chest pain needs emergency services.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import screenshot
from tests.e2e.test_browser_chat import _say_in_chat

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_the_offline_answer_to_a_panic_message_warns_about_chest_pain(
    app_url: str, page: Page
) -> None:
    _say_in_chat(
        page,
        app_url,
        "ana",
        "having a panic attack right now, my heart is pounding and i'm shaking",
    )
    try:
        main = page.get_by_role("main")
        # A cold server loads the embedding model for the first message; on a shared 2-core
        # machine that alone can take minutes.
        expect(main.get_by_text("Offline mode")).to_be_visible(timeout=300_000)
        expect(main.get_by_text("Safety:").first).to_be_visible()
        chest_pain = main.get_by_text("spreads to your arm, jaw or back").first
        expect(chest_pain).to_be_visible()
        chest_pain.scroll_into_view_if_needed()
    finally:
        screenshot(page, "12-chat-offline-panic")
