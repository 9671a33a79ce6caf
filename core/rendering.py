"""Text the app did not write, made safe to hand to Streamlit, which reads every string as Markdown.

Streamlit's Markdown is GitHub-flavoured plus KaTeX maths, colour directives (`:red[...]`),
Material icons and emoji shortcodes. An image (`![x](url)`) or raw HTML makes the browser fetch
its URL the moment it is drawn, which would break "no data leaves your machine"; a link can
carry the reader anywhere, `javascript:` included. So what a model or a person wrote never
reaches the page as it is:

- `escape_markdown(text)`: what a person wrote (messages, display names, conversation titles),
  shown exactly as typed.
- `safe_markdown(text)`: what a model wrote. Its harmless formatting stays (bold, italics,
  lists, quotes, tables, paragraphs; headings are demoted to level 4-6); an image becomes its
  alt text, a link its text followed by the address as plain text, which nothing makes
  clickable (`javascript:` and other addresses are dropped); raw HTML, code, maths (`$`),
  colour directives, `:material/...:` icons and emoji shortcodes show as the characters typed.
  Icons would load nothing (Streamlit bundles the font) but let a model dress its words as the
  app's own notices; `$` is money far more often than maths in these answers.
- `SafeMarkdownStream`: `safe_markdown` piece by piece, for `st.write_stream`: what it yields,
  joined, is exactly `safe_markdown` of everything it was given, however the pieces are cut.

How: every character that could start syntax is written as a numeric character reference
(`&#91;` for `[`). CommonMark shows it as that character and never parses it as syntax; unlike
a backslash escape, Streamlit's completion of unfinished Markdown while streaming doesn't see it
either. Streamlit also rewrites finished text (a bare `http://...`, `www....` or e-mail address
becomes a link, `:material_x:` an icon): an invisible WORD JOINER (U+2060) after each colon,
before each `@` and between `www` and its dot keeps those patterns from matching.

Everything here runs in time linear in the text's length.
"""

from __future__ import annotations

import html
import re
import string
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

WORD_JOINER = "\u2060"
_NBSP = "\u00a0"
_LINE_BREAK = re.compile(r"\r\n?|\n")

# Model text: what could start a link, image, HTML, code, maths, strikethrough, a directive or
# an escape. `*`, `_`, `#`, `>`, `-`, `+`, `|`, `=` stay: they make the formatting we keep.
_MODEL_SPECIAL = frozenset("\\`[]<&$~:@")
# A person's text and the text of a converted link or image: the formatting characters too.
_TEXT_SPECIAL = _MODEL_SPECIAL | frozenset("*_>|")
# Characters that make a block (heading, list, setext underline) when they open a line.
_LINE_OPENERS = frozenset("#-+=")

_ASCII_PUNCTUATION = frozenset(string.punctuation)
# Where Streamlit turns two characters into one (`->` into an arrow, `--` into a dash).
_TYPOGRAPHY = re.compile(r"(?<=[<>=~-])(?=[<>=~-])")
_CHARACTER_REFERENCE = re.compile(
    r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
)
_OPEN_REFERENCE = re.compile(r"&#?[0-9A-Za-z]{0,32}")
_WWW_DOT = re.compile(r"(?<=[wW]{3})\.")
_DIGITS_THEN_MARKER = re.compile(r"[0-9]{1,9}[.)]")
_DIGITS = re.compile(r"[0-9]{1,9}")
# `[label]: destination "optional title"`, the whole line: a link reference definition.
_DEFINITION = re.compile(
    r" {0,3}\[[^\[\]]{1,999}\]:[ \t]*(?:<[^<>]*>|\S+)"
    r"(?:[ \t]+(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?[ \t]*"
)
_SETEXT_UNDERLINE = re.compile(r"[ \t>]*(?:-+|=+)[ \t]*")
_SETEXT_SO_FAR = re.compile(r"[ \t>]*[-=]*[ \t]*")
_URI_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)>")
_EMAIL_AUTOLINK = re.compile(r"<([^\s<>@]+@[^\s<>@]+)>")
_OPEN_ANGLE = re.compile(r"<[^\s<>]*")
_SHOWN_ADDRESS = re.compile(r"(?:https?://|mailto:|www\.)", re.IGNORECASE)
_MAX_SHOWN_ADDRESS = 200


def _entity(ch: str) -> str:
    if ch == ":":
        return "&#58;" + WORD_JOINER
    if ch == "@":
        return WORD_JOINER + "&#64;"
    return f"&#{ord(ch)};"


def _text(text: str, *, line_start: bool) -> str:
    """One line of text shown as typed: every character that could mean something escaped."""
    out = [_entity(ch) if ch in _TEXT_SPECIAL else ch for ch in text]
    if line_start:
        first = len(text) - len(text.lstrip(" \t"))
        if first < len(text) and text[first] in _LINE_OPENERS:
            out[first] = _entity(text[first])
        elif marker := _DIGITS_THEN_MARKER.match(text, first):
            out[marker.end() - 1] = _entity(text[marker.end() - 1])
    return _WWW_DOT.sub(WORD_JOINER + ".", "".join(out))


def escape_markdown(text: str) -> str:
    """What a person wrote, to show exactly as typed wherever Streamlit reads Markdown."""
    lines = []
    for line in _LINE_BREAK.split(text):
        body = line.lstrip(" \t")
        indent = line[: len(line) - len(body)]
        # Leading spaces would make a code block; no-break spaces keep the indent as typed.
        body = _TYPOGRAPHY.sub(WORD_JOINER, body)
        lines.append(_NBSP * (len(indent) + 3 * indent.count("\t")) + _text(body, line_start=True))
    return "  \n".join(lines)  # two spaces: a line break, as typed


def safe_markdown(text: str) -> str:
    """What a model wrote, with its harmless formatting kept and nothing that loads or links."""
    stream = SafeMarkdownStream()
    return stream.feed(text) + stream.finish()


def safe_markdown_stream(pieces: Iterable[str]) -> Iterator[str]:
    """`safe_markdown` over a stream of pieces: one piece out for each piece in ("" while
    held back or for a keep-alive), then the rest. Joined, equal to `safe_markdown`."""
    renderer = SafeMarkdownStream()
    for piece in pieces:
        yield renderer.feed(piece)
    rest = renderer.finish()
    if rest:
        yield rest


@dataclass
class _Block:
    """How the current line starts: its rewritten opening and where its inline text begins."""

    opening: str
    content: int
    dropped: bool = False
    list_item: bool = False


class SafeMarkdownStream:
    """`safe_markdown`, piece by piece: joined, the yields equal `safe_markdown(whole text)`.

    A line's opening (heading, list, definition) and a link or image are only written once
    they are complete, so a piece may yield less than it brought, or nothing.
    """

    def __init__(self) -> None:
        self._line = ""  # the unfinished line so far
        self._block: _Block | None = None  # decided once the line's opening is known
        self._done = 0  # where in the line the output is final
        self._blank_before = True
        self._in_list = False
        self._tail = ""  # the last output characters, for the `www.` rule across pieces

    def feed(self, piece: str) -> str:
        """Take the next piece of the text; returns what is safe and final to show now."""
        parts = piece.replace("\r", "").split("\n")
        out: list[str] = []
        for index, part in enumerate(parts):
            self._line += part
            if index < len(parts) - 1:
                out.append(self._advance(final=True) + "\n")
                self._next_line()
            else:
                out.append(self._advance(final=False))
        return self._joined(out)

    def finish(self) -> str:
        """The text is complete: returns the rest, including anything held back."""
        out = self._advance(final=True)
        self._next_line()
        return self._joined([out])

    def _joined(self, out: list[str]) -> str:
        text = "".join(out)
        if not text:
            return ""
        fixed = _WWW_DOT.sub(WORD_JOINER + ".", self._tail + text)[len(self._tail) :]
        self._tail = (self._tail + fixed)[-3:]
        return fixed

    def _advance(self, *, final: bool) -> str:
        out = ""
        if self._block is None:
            block = _opening(self._line, self._blank_before, self._in_list, final=final)
            if block is None:
                return ""
            self._block, self._done, out = block, block.content, block.opening
        if self._block.dropped:
            return out
        text, self._done = _inline(self._line, self._done, self._block.content, final=final)
        return out + text

    def _next_line(self) -> None:
        line, block = self._line, self._block
        if not line.strip() or (block is not None and block.dropped):
            self._blank_before = True
        else:
            indent = len(line) - len(line.lstrip(" \t"))
            listed = block is not None and block.list_item
            self._in_list = listed or (self._in_list and indent >= 2)
            self._blank_before = False
        self._line, self._block, self._done = "", None, 0


def _opening(line: str, blank_before: bool, in_list: bool, *, final: bool) -> _Block | None:
    """Decide how a line opens; None while the line so far could still become several things."""
    body_at = len(line) - len(line.lstrip(" \t"))
    if body_at == len(line):  # blank so far
        return _Block("", len(line)) if final else None
    if final and _DEFINITION.fullmatch(line):
        return _Block("", len(line), dropped=True)  # its link is gone, so is its target
    if not final and (line[body_at] == "[" and body_at <= 3 or _SETEXT_SO_FAR.fullmatch(line)):
        return None
    if final and not blank_before and _SETEXT_UNDERLINE.fullmatch(line):
        # Would turn the line above into a big heading: show the dashes as typed instead.
        marker = len(line) - len(line.lstrip(" \t>"))
        return _Block(line[:marker] + _entity(line[marker]) + line[marker + 1 :], len(line))
    indent = len(line[:body_at].expandtabs(4))
    # After a blank line, four spaces start a code block, where the escapes would show.
    start = body_at if blank_before and indent >= 4 and not in_list else 0
    content, list_item = _containers(line, body_at)
    if not final and (content == len(line) or _DIGITS.fullmatch(line, content)):
        return None  # only markers so far, or digits that may become "12." (a list)
    hashes = len(line) - len(line[content:].lstrip("#")) - content
    after = content + hashes
    if 1 <= hashes <= 6 and (after == len(line) or line[after] in " \t"):
        if after == len(line) and not final:
            return None
        demoted = "#" * min(6, hashes + 3)
        return _Block(line[start:content] + demoted, after, list_item=list_item)
    if hashes and after == len(line) and not final:
        return None
    return _Block(line[start:content], content, list_item=list_item)


def _containers(line: str, at: int) -> tuple[int, bool]:
    """Where a line's text begins after its quote and list markers; whether one is a list."""
    listed = False
    while True:
        while at < len(line) and line[at] in " \t":
            at += 1
        if at < len(line) and line[at] == ">":
            at += 1
            continue
        marker = _DIGITS_THEN_MARKER.match(line, at)
        end = marker.end() if marker else at + 1 if at < len(line) and line[at] in "-+*" else at
        if end > at and (end == len(line) or line[end] in " \t"):
            at, listed = end, True
            continue
        return at, listed


def _pairs(line: str, start: int, opener: str, closer: str) -> dict[int, int]:
    """Each opener's matching closer (nesting counted), from `start` on."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for index in range(start, len(line)):
        ch = line[index]
        if ch == opener:
            stack.append(index)
        elif ch == closer and stack:
            pairs[stack.pop()] = index
    return pairs


def _inline(line: str, start: int, content: int, *, final: bool) -> tuple[str, int]:
    """The line's text from `start`, escaped and with links and images turned into text.

    Returns the output and where it stops: the end, or (when `final` is False) the first
    place that needs more of the line to decide, e.g. a `[` whose `]` hasn't arrived.
    """
    brackets = _pairs(line, start, "[", "]")
    parens = _pairs(line, start, "(", ")")
    out: list[str] = []
    at = start
    end = len(line)
    while at < end:
        ch = line[at]
        if ch == "!" and at + 1 == end and not final:
            break  # could be an image
        if ch == "[" or (ch == "!" and at + 1 < end and line[at + 1] == "["):
            found = _link(line, at, brackets, parens, at_start=at == content, final=final)
            if found is _WAIT:
                break
            if isinstance(found, tuple):
                out.append(found[0])
                at = found[1]
                continue
            out.append("!" if ch == "!" else _entity("["))
            at += 1
            continue
        if ch in "\\&":
            if not final and _open_escape(line, at):
                break
            literal = _escape(line, at, line_start=at == content)
            if literal is not None:
                out.append(literal[0])
                at = literal[1]
                continue
        if ch == "<":
            if not final and (tail := _OPEN_ANGLE.match(line, at)) and tail.end() == end:
                break  # could be an autolink
            auto = _URI_AUTOLINK.match(line, at) or _EMAIL_AUTOLINK.match(line, at)
            if auto:
                out.append(_text(auto.group(1), line_start=at == content))
                at = auto.end()
                continue
        out.append(_entity(ch) if ch in _MODEL_SPECIAL else ch)
        at += 1
    return "".join(out), at


def _open_escape(line: str, at: int) -> bool:
    """Whether a backslash escape or character reference at `at` may still be unfinished."""
    if line[at] == "\\":
        return at + 1 == len(line)
    tail = _OPEN_REFERENCE.match(line, at)
    return tail is not None and tail.end() == len(line)


def _escape(line: str, at: int, *, line_start: bool) -> tuple[str, int] | None:
    """A backslash escape (`\\*`) or character reference (`&amp;`) the model wrote, as the
    literal character CommonMark would show; None if there is none at `at`."""
    if line[at] == "\\":
        if at + 1 < len(line) and line[at + 1] in _ASCII_PUNCTUATION:
            return _entity(line[at + 1]), at + 2
        return None
    reference = _CHARACTER_REFERENCE.match(line, at)
    if reference is None:
        return None
    decoded = html.unescape(reference.group())
    if decoded == reference.group():
        return None  # not a reference HTML knows: shown as typed
    flat = decoded.replace("\r", " ").replace("\n", " ")  # one line stays one line
    return _text(flat, line_start=line_start), reference.end()


class _Wait:
    pass


_WAIT = _Wait()


def _link(
    line: str,
    at: int,
    brackets: dict[int, int],
    parens: dict[int, int],
    *,
    at_start: bool,
    final: bool,
) -> tuple[str, int] | _Wait | None:
    """A link or image starting at `at` as (its text, where it ends); None if there is none,
    `_WAIT` if the rest of the line is needed to tell."""
    image = line[at] == "!"
    opened = at + 1 if image else at
    closed = brackets.get(opened)
    wait = None if final else _WAIT
    if closed is None or closed + 1 == len(line):
        return wait
    follow = line[closed + 1]
    if follow not in "[(":
        return None
    end = (brackets if follow == "[" else parens).get(closed + 1)
    if end is None:
        return wait
    label = line[opened + 1 : closed].strip()
    if follow == "[":  # [text][reference], [text][]
        return _text(label, line_start=at_start), end + 1
    if image:
        return _text(label, line_start=at_start), end + 1
    target = line[closed + 2 : end].strip()
    target = target[1 : target.find(">")] if target.startswith("<") else (target.split() or [""])[0]
    if not _SHOWN_ADDRESS.match(target):
        target = ""  # javascript:, data:, a path on this server...: nothing worth showing
    elif len(target) > _MAX_SHOWN_ADDRESS:
        target = target[:_MAX_SHOWN_ADDRESS] + "…"
    if not target:
        return _text(label, line_start=at_start), end + 1
    if not label or label == target:
        return _text(target, line_start=at_start), end + 1
    shown = f"{_text(label, line_start=at_start)} ({_text(target, line_start=False)})"
    return shown, end + 1
