"""The send pacer: even spacing at the configured rate, a pause made up by at most `catch_up`."""

from __future__ import annotations

import pytest

from core.reminders.pacing import Pacer


class _Time:
    def __init__(self) -> None:
        self.now = 100.0
        self.starts: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def _start_all(pacer: Pacer, clock: _Time, count: int) -> list[float]:
    starts = []
    for _ in range(count):
        pacer.wait()
        starts.append(round(clock.now, 6))
    return starts


def test_busy_sends_are_spaced_evenly_at_the_rate() -> None:
    clock = _Time()
    pacer = Pacer(10, catch_up=0, monotonic=clock.monotonic, sleep=clock.sleep)
    starts = _start_all(pacer, clock, 5)
    assert starts == [100.0, 100.1, 100.2, 100.3, 100.4]


def test_after_a_pause_at_most_catch_up_seconds_of_sends_go_at_once() -> None:
    clock = _Time()
    pacer = Pacer(10, catch_up=0.5, monotonic=clock.monotonic, sleep=clock.sleep)
    _start_all(pacer, clock, 3)
    clock.now += 60  # idle for a minute: only half a second's worth is made up
    starts = _start_all(pacer, clock, 8)
    assert starts[:6] == [starts[0]] * 6  # slots -0.5 s .. 0 s: five made up, plus this one
    assert starts[6:] == pytest.approx([starts[0] + 0.1, starts[0] + 0.2])
    window = [s for s in starts if s <= starts[0] + 1.0]
    assert len(window) <= 10 * (1.0 + 0.5) + 1  # the documented bound over any second


def test_the_rate_must_be_positive() -> None:
    with pytest.raises(ValueError):
        Pacer(0)
