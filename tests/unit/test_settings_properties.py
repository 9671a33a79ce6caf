"""Property test of the settings (#6 item 15): whatever the environment holds, start-up either
refuses it with a message naming the variable, or every value is one the app can run with."""

from __future__ import annotations

import math
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from core.adapters.ollama import ollama_from_settings
from core.config import Settings

FLOATS = [
    "ollama_connect_timeout",
    "ollama_read_timeout",
    "ollama_first_token_timeout",
    "ollama_stall_timeout",
    "ai_disclosure_hours",
    "idle_timeout_minutes",
    "lockout_minutes",
    "cookie_expiry_days",
    "db_io_timeout_seconds",
    "db_startup_wait_seconds",
]
INTS = ["ollama_num_ctx", "ollama_num_predict", "retrieval_top_k", "db_pool_size"]

values = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.sampled_from(["inf", "-inf", "nan", "1e308", "0", "-1", "", "ten", "1e-300"]),
)


@settings(max_examples=300, deadline=None)
@given(name=st.sampled_from(FLOATS + INTS), value=values)
def test_any_numeric_setting_is_refused_or_usable(name: str, value: object) -> None:
    try:
        configured = Settings(app_env="test", **{name: value})  # type: ignore[arg-type]
    except ValidationError as refused:
        assert name in str(refused).lower()  # the message names the variable
        return
    number = getattr(configured, name)
    assert math.isfinite(number) and number > 0
    timedelta(hours=configured.ai_disclosure_hours)  # no OverflowError
    timedelta(minutes=configured.idle_timeout_minutes)
    timedelta(days=configured.cookie_expiry_days)
    assert configured.ollama_num_ctx - configured.ollama_num_predict >= 1024
    ollama_from_settings(configured)  # the adapter accepts every value


@pytest.mark.parametrize("level", ["verbose", "trace", "", "10"])
def test_an_unknown_log_level_is_refused(level: str) -> None:
    with pytest.raises(ValidationError, match="log_level"):
        Settings(app_env="test", log_level=level)
