"""The streamed answer's output check: sentence by sentence, linear in the answer's length."""

from __future__ import annotations

import pytest

import core.chat.streaming as streaming
from core.safety import OutputCheck, check_output

SENTENCE = "Try a few slow breaths and notice how your shoulders feel. "


def _pieces(text: str, size: int = 7) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)]


def test_checking_a_long_answer_reads_each_character_a_bounded_number_of_times(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    read: list[int] = []

    def counting_check(text: str) -> OutputCheck:
        read.append(len(text))
        return check_output(text)

    monkeypatch.setattr(streaming, "check_output", counting_check)
    answer = (SENTENCE * 400)[:20_000]
    shown = "".join(streaming.checked_sentences(iter(_pieces(answer))))
    assert shown == answer
    # Re-checking everything shown so far at each sentence read ~3.4 million characters here.
    assert sum(read) < 20 * len(answer)


def test_a_dose_split_over_two_sentences_is_still_blocked() -> None:
    answer = "Take sertraline. " + SENTENCE * 3 + "Double it to 200 mg tonight. "
    shown = "".join(streaming.checked_sentences(iter(_pieces(answer))))
    assert "200 mg" not in shown and "doctor or pharmacist" in shown


def test_a_long_answer_without_any_sentence_break_is_still_checked_once_at_the_end() -> None:
    answer = "word " * 4000 + "you should take 40 pills at once"
    shown = "".join(streaming.checked_sentences(iter(_pieces(answer, 50))))
    assert "40 pills" not in shown
