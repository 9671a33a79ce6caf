"""The login cookie is read from the request without drawing a component: only a cookie we
signed, for a user name, that has not expired, logs anyone in."""

from __future__ import annotations

import time

import jwt
import pytest

from ui.auth import valid_login_claims

KEY = "k" * 48


def token(claims: dict[str, object], key: str = KEY) -> str:
    return jwt.encode(claims, key, algorithm="HS256")


def test_a_cookie_we_signed_gives_its_claims() -> None:
    expiry = time.time() + 3600
    claims = valid_login_claims(token({"username": "sam", "exp_date": expiry}), key=KEY)
    assert claims == {"username": "sam", "exp_date": expiry}


@pytest.mark.parametrize(
    "cookie",
    [
        None,
        "",
        "not-a-jwt",
        token({"username": "sam", "exp_date": time.time() + 3600}, key="x" * 48),
        token({"username": "sam", "exp_date": time.time() - 1}),
        token({"username": "sam"}),
        token({"username": "sam", "exp_date": "soon"}),
        token({"exp_date": time.time() + 3600}),
        token({"username": ["sam"], "exp_date": time.time() + 3600}),
        token({"username": "", "exp_date": time.time() + 3600}),
        jwt.encode({"username": "sam", "exp_date": time.time() + 3600}, None, algorithm="none"),
    ],
    ids=[
        "absent", "empty", "garbage", "foreign-key", "expired", "no-expiry", "bad-expiry",
        "no-user", "user-not-text", "empty-user", "unsigned",
    ],
)  # fmt: skip
def test_anything_else_is_not_logged_in(cookie: object) -> None:
    assert valid_login_claims(cookie, key=KEY) is None
