"""A component that fails to start is a visible state, retried with backoff, logged once."""

from __future__ import annotations

import logging
import threading

import pytest

from core.lazy import Lazy


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _wait_for_attempts(calls: list[int], count: int, lazy: Lazy[str]) -> None:
    """Until the factory ran `count` times and the last attempt has finished."""
    for _ in range(500):
        if len(calls) >= count and lazy.status.state != "loading":
            return
        threading.Event().wait(0.01)


def test_a_failing_component_backs_off_reports_its_state_and_logs_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="core.lazy")
    calls: list[int] = []

    def broken() -> str:
        calls.append(1)
        raise RuntimeError("Embedding model not found at /nowhere")

    clock = _Clock()
    lazy: Lazy[str] = Lazy(broken, "safety", first_backoff=5, clock=clock)
    assert lazy.status.state == "not started"
    for _ in range(20):  # twenty chat turns in a row
        lazy.warm_up()
        _wait_for_attempts(calls, 1, lazy)
    assert len(calls) == 1  # not once a turn
    status = lazy.status
    assert status.state == "failed" and "not found" in status.detail and status.failures == 1
    clock.now += 5.1
    lazy.warm_up()
    _wait_for_attempts(calls, 2, lazy)
    assert len(calls) == 2
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1


def test_a_component_that_recovers_becomes_ready() -> None:
    attempts: list[int] = []

    def flaky() -> str:
        attempts.append(1)
        if len(attempts) == 1:
            raise OSError("not yet")
        return "model"

    clock = _Clock()
    lazy: Lazy[str] = Lazy(flaky, "index", first_backoff=1, clock=clock)
    with pytest.raises(OSError):
        lazy()
    clock.now += 2
    assert lazy() == "model" and lazy.status.state == "ready" and lazy.if_ready() == "model"
