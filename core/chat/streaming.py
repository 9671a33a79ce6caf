"""A streamed answer: checked sentence by sentence, with an offline fallback, saved once done.

`AnswerStream` is what the page iterates to show the answer as it arrives; when the iteration
ends (finished, failed over to the guides, or closed early by Stop), `result` holds the plain
`Answer` the page reads for its footer.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass

from core.chat.offline import offline_answer
from core.ports import LLMError, LLMModelMissing, SearchHit
from core.safety import check_output

log = logging.getLogger(__name__)

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n")
STOPPED_MARK = "\n\n_(stopped)_"
# How much already-shown text each check re-reads: longer than any rule's reach across a
# sentence break ("Take sertraline. Double it to 200 mg."), short enough to stay linear.
CHECK_CONTEXT_CHARS = 400


@dataclass(frozen=True, slots=True)
class Answer:
    """How an answer ended. `already_answered`: another tab stored an answer to the same
    message first, so this one was shown but not kept."""

    text: str
    offline: bool = False
    offline_reason: str | None = None
    pull_command: str | None = None
    stopped: bool = False
    message_id: str | None = None
    already_answered: bool = False


class AlreadyAnswered(Exception):
    """The message has a stored answer already (one message, at most one answer)."""


class AnswerStream:
    """Iterate for the answer's pieces; afterwards `result` is the saved `Answer`.

    An empty piece means "still thinking": the page may show that; it adds no text.

    `save` is called once, whatever happens, with the answer so far; it returns the id of the
    stored message (None when there was nothing to store).
    """

    def __init__(
        self,
        pieces: Iterator[str],
        hits: Sequence[SearchHit],
        save: Callable[[Answer], str | None],
        *,
        check: bool = True,
    ) -> None:
        self._pieces = pieces
        self._check = check
        self._hits = hits
        self._save = save
        self._result: Answer | None = None
        self._generator = self._run()

    @property
    def result(self) -> Answer | None:
        """The finished answer; None while it is still streaming."""
        return self._result

    def __iter__(self) -> Iterator[str]:
        return self._generator

    def close(self) -> None:
        """Stop early (the person pressed Stop or left); what arrived is saved as stopped."""
        self._generator.close()

    def _run(self) -> Generator[str, None, None]:
        text = ""
        offline, reason, pull, stopped = False, None, None, False
        checked = checked_sentences(self._pieces) if self._check else _passed_on(self._pieces)
        try:
            try:
                for piece in checked:
                    text += piece
                    yield piece
            except LLMError as error:
                offline, reason = True, type(error).__name__
                if isinstance(error, LLMModelMissing):
                    pull = error.pull_command
                log.warning(
                    "llm unavailable, answering offline", extra={"reason": str(error)[:200]}
                )
                fallback = offline_answer(self._hits, after_partial=bool(text))
                text += fallback
                yield fallback
        except GeneratorExit:  # Stop, or the page went away; also while the guides answer
            stopped = True
            raise
        finally:
            checked.close()
            answer = Answer(text, offline, reason, pull, stopped)
            try:
                message_id, duplicate = self._save(answer), False
            except AlreadyAnswered:
                message_id, duplicate = None, True
            self._result = Answer(text, offline, reason, pull, stopped, message_id, duplicate)


def _passed_on(pieces: Iterator[str]) -> Generator[str, None, None]:
    yield from pieces


def checked_sentences(stream: Iterator[str]) -> Generator[str, None, None]:
    """Pass the stream on sentence by sentence, each checked before it is shown.

    Each check reads the new sentences with the end of what was already shown (a rule can span
    a sentence break), never the whole answer again: the work stays linear in its length.
    """
    buffer = ""
    shown = ""
    try:
        for piece in stream:
            if not piece:  # the model is still thinking: pass the keep-alive on
                yield ""
                continue
            buffer += piece
            cut = _last_boundary(buffer, since=len(buffer) - len(piece) - 1)
            if cut:
                ready, buffer = buffer[:cut], buffer[cut:]
                verdict = check_output(shown[-CHECK_CONTEXT_CHARS:] + ready)
                if not verdict.ok:
                    log.warning("llm output blocked", extra={"categories": verdict.categories})
                    yield "\n\n" + verdict.safe_text
                    return
                shown += ready
                yield ready
        if buffer:
            verdict = check_output(shown[-CHECK_CONTEXT_CHARS:] + buffer)
            yield buffer if verdict.ok else "\n\n" + verdict.safe_text
    except LLMError:
        # Show the checked half-sentence that had arrived, then let the caller fall back.
        if buffer.strip() and check_output(shown[-CHECK_CONTEXT_CHARS:] + buffer).ok:
            yield buffer
        raise
    finally:
        close = getattr(stream, "close", None)
        if close is not None:
            close()


def _last_boundary(text: str, since: int = 0) -> int:
    """The end of the last sentence break in `text`, looking only from `since` on (the rest
    was looked at before); 0 when there is none."""
    last = 0
    for match in _SENTENCE_END.finditer(text, max(0, since)):
        last = match.end()
    return last
