"""The journal page: free writing, gratitude, thought records, edit, delete, and safety."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from core.bootstrap import App
from core.journal import JournalView
from tests.factories import GOOD_PASSWORD, make_user
from tests.ui.conftest import log_in, texts

CRISIS = "I want to kill myself tonight"


def _journal(new_app_test: Callable[[], AppTest], core_app: App) -> tuple[AppTest, str]:
    user = make_user(core_app, "sam")
    at = log_in(new_app_test().run(), "sam", GOOD_PASSWORD)
    return at.switch_page("pages/journal.py").run(), user.id


def _entries(core_app: App, user_id: str) -> list[JournalView]:
    return core_app.journal.list(user_id=user_id)


def _write(at: AppTest, body: str, title: str = "") -> AppTest:
    at.text_input(key="journal_free_title").input(title)
    at.text_area(key="journal_free_body").input(body)
    at.button(key="journal_free_save").click()
    return at.run()


def test_a_free_entry_is_saved_listed_and_the_form_emptied(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    at, user_id = _journal(new_app_test, core_app)
    assert not at.exception and at.title[0].value == "Journal"
    assert at.info  # today's prompt
    at = _write(at, "A *quiet* day. [link](http://x.example)", title="Sunday")
    assert not at.exception
    assert [s.value for s in at.success] == ["Saved."]
    [entry] = _entries(core_app, user_id)
    assert (entry.title, entry.kind) == ("Sunday", "free")
    assert at.text_area(key="journal_free_body").value == ""
    assert any("Sunday" in expander.label for expander in at.expander)
    # What a person wrote is shown as typed, never as Markdown.
    assert "A &#42;quiet&#42; day." in texts(at) and "[link]" not in texts(at)


HOSTILE = "<img src=x onerror=alert(1)> **bold** [link](http://x.example) מאיה 🌷"


def test_html_markdown_emoji_and_rtl_in_a_title_and_body_show_as_typed(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    at, user_id = _journal(new_app_test, core_app)
    at = _write(at, HOSTILE, title="<b>שלום</b> 🌷")
    assert not at.exception
    [entry] = _entries(core_app, user_id)
    assert (entry.title, entry.body) == ("<b>שלום</b> 🌷", HOSTILE)
    shown = texts(at) + " ".join(expander.label for expander in at.expander)
    assert "&#60;b&#62;שלום&#60;/b&#62; 🌷" in shown and "מאיה 🌷" in shown
    assert "&#60;img src=x onerror=alert(1)&#62; &#42;&#42;bold&#42;&#42;" in shown
    assert "<img" not in shown and "[link](" not in shown


def test_a_one_megabyte_entry_gets_a_kind_message_keeps_the_text_and_loses_nothing(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    at, user_id = _journal(new_app_test, core_app)
    at = _write(at, "An entry already here.")
    huge = "x" * 1_000_000
    at = _write(at, huge)
    assert not at.exception
    assert "at most 50,000 characters" in at.warning[0].value
    assert at.text_area(key="journal_free_body").value == huge  # nothing typed is lost
    assert [entry.body for entry in _entries(core_app, user_id)] == ["An entry already here."]


def test_an_empty_entry_gets_a_kind_message_and_nothing_is_saved(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    at, user_id = _journal(new_app_test, core_app)
    at = _write(at, "   ")
    assert not at.exception
    assert "empty" in at.warning[0].value
    assert _entries(core_app, user_id) == []


def test_a_crisis_entry_shows_the_numbers_at_once_and_is_still_saved(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    at, user_id = _journal(new_app_test, core_app)
    at = _write(at, CRISIS)
    assert not at.exception
    assert at.error and "988" in at.error[0].value
    assert "saved" in texts(at)
    assert [entry.body for entry in _entries(core_app, user_id)] == [CRISIS]


def test_a_concern_entry_shows_the_gentle_line_and_the_help_expander(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    at, _ = _journal(new_app_test, core_app)
    at = _write(at, "I feel hopeless")
    assert not at.exception and not at.error
    assert any(info.value.startswith("Saved.") for info in at.info)
    assert any("help right now" in expander.label for expander in at.main.expander)


def test_a_gratitude_entry_is_saved_from_three_things(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    at, user_id = _journal(new_app_test, core_app)
    for n, thing in enumerate(["Tea", "Sun", "A call from Mum"]):
        at.text_input(key=f"journal_grat_{n}").input(thing)
    at.button(key="journal_grat_save").click()
    at = at.run()
    assert not at.exception and at.success
    [entry] = _entries(core_app, user_id)
    assert entry.kind == "gratitude" and entry.body == "1. Tea\n2. Sun\n3. A call from Mum"
    assert at.text_input(key="journal_grat_0").value == ""


def test_an_empty_gratitude_entry_gets_a_kind_message(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    at, user_id = _journal(new_app_test, core_app)
    at.button(key="journal_grat_save").click()
    at = at.run()
    assert "small things count" in at.warning[0].value
    assert _entries(core_app, user_id) == []


def test_a_thought_record_is_saved_with_its_intensities(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    at, user_id = _journal(new_app_test, core_app)
    at.text_area(key="journal_tr_situation").input("Asked to present")
    at.text_area(key="journal_tr_thought").input("I'll freeze")
    at.text_input(key="journal_tr_emotion").input("anxious")
    at.slider(key="journal_tr_intensity").set_value(85)
    at.text_area(key="journal_tr_balanced").input("I can get through it")
    at.slider(key="journal_tr_after").set_value(35)
    at.button(key="journal_tr_save").click()
    at = at.run()
    assert not at.exception and at.success
    [entry] = _entries(core_app, user_id)
    assert entry.kind == "thought_record" and entry.title == "Thought record: Asked to present"
    assert "Emotion: anxious (85/100)" in entry.body
    assert entry.body.endswith("Emotion now: anxious (35/100)")
    assert at.slider(key="journal_tr_intensity").value == 70  # back to the start


def test_a_thought_record_missing_its_thought_is_refused_kindly(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    at, user_id = _journal(new_app_test, core_app)
    at.text_area(key="journal_tr_situation").input("Asked to present")
    at.button(key="journal_tr_save").click()
    at = at.run()
    assert "thought" in at.warning[0].value
    assert at.text_area(key="journal_tr_situation").value == "Asked to present"  # kept
    assert _entries(core_app, user_id) == []


def test_an_entry_is_edited_in_a_prefilled_form(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    at, user_id = _journal(new_app_test, core_app)
    at = _write(at, "First draft", title="Monday")
    [entry] = _entries(core_app, user_id)
    at.button(key=f"journal_edit_{entry.id}").click()
    at = at.run()
    assert at.text_area(key=f"journal_edit_body_{entry.id}").value == "First draft"
    at.text_area(key=f"journal_edit_body_{entry.id}").input("Second thoughts")
    at.button(key="journal_edit_save").click()
    at = at.run()
    assert not at.exception and at.success
    [edited] = _entries(core_app, user_id)
    assert (edited.title, edited.body) == ("Monday", "Second thoughts")
    assert f"journal_edit_body_{entry.id}" not in [t.key for t in at.text_area]


def test_an_entry_deleted_in_another_tab_is_said_kindly_on_save(
    new_app_test: Callable[[], AppTest], core_app: App
) -> None:
    at, user_id = _journal(new_app_test, core_app)
    at = _write(at, "Soon gone")
    [entry] = _entries(core_app, user_id)
    at.button(key=f"journal_edit_{entry.id}").click()
    at = at.run()
    at.text_area(key=f"journal_edit_body_{entry.id}").input("Words worth keeping")
    core_app.journal.delete(user_id=user_id, entry_id=entry.id)  # the other tab
    at.button(key="journal_edit_save").click()
    at = at.run()
    assert not at.exception and not at.error
    assert any("another tab" in info.value for info in at.info)
    assert any(area.value == "Words worth keeping" for area in at.text_area)  # not lost


def test_deleting_needs_the_confirm_box(new_app_test: Callable[[], AppTest], core_app: App) -> None:
    at, user_id = _journal(new_app_test, core_app)
    at = _write(at, "Keep me for now")
    [entry] = _entries(core_app, user_id)
    at.button(key=f"journal_delete_{entry.id}").click()
    at = at.run()
    assert "Tick the box" in at.warning[0].value
    assert len(_entries(core_app, user_id)) == 1
    at.checkbox(key=f"journal_confirm_{entry.id}").check()
    at.button(key=f"journal_delete_{entry.id}").click()
    at = at.run()
    assert not at.exception
    assert _entries(core_app, user_id) == []
    assert any("deleted" in info.value for info in at.info)
    assert "Nothing here yet" in texts(at)
