"""Username rules, the password policy and hashing."""

from __future__ import annotations

import pytest

from core.errors import InvalidInput
from core.passwords import PasswordHasher, canonical_username, check_password_policy


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("Alice", "alice"), ("  bob.smith ", "bob.smith"), ("ＡＮＮＡ", "anna"), ("kai_99", "kai_99")],
)
def test_usernames_are_compared_case_insensitively(raw: str, expected: str) -> None:
    assert canonical_username(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "ab",
        "x" * 100_000,
        "аlice",  # Cyrillic а: a look-alike of Latin a
        "robert'); DROP TABLE users;--",
        "<script>alert(1)</script>",
        "-dash-first",
        "name with spaces",
    ],
)
def test_bad_usernames_get_a_clear_message(raw: str) -> None:
    with pytest.raises(InvalidInput) as excinfo:
        canonical_username(raw)
    assert str(excinfo.value)


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("", "enter a password"),
        ("short pass", "at least 12"),
        ("x" * 129 + "Ab1", "at most 128"),
        ("x" * 100_000, "at most 128"),
        ("maria.garcia", "username"),
        ("Maria.Garcia2024!", "username"),
        ("passwordpassword", "too common"),
        ("Password123456!", "too common"),
        ("correcthorsebatterystaple", "too common"),
        ("aaaaaaaaaaaaaaaa", "repeats"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(password: str, reason: str) -> None:
    with pytest.raises(InvalidInput) as excinfo:
        check_password_policy(password, username="maria.garcia")
    assert reason in str(excinfo.value)


LONGEST = ("the tide comes in slowly over grey stones " * 4)[:128]


@pytest.mark.parametrize("password", ["quiet river lantern 42", "Ünïcödé påsswörd ☀️ ok", LONGEST])
def test_strong_passwords_pass(password: str) -> None:
    check_password_policy(password, username="maria.garcia")


def test_hashes_verify_and_differ_per_salt() -> None:
    hasher = PasswordHasher(rounds=4)
    first, second = hasher.hash("quiet river lantern 42"), hasher.hash("quiet river lantern 42")
    assert first != second and first.startswith("$2")
    assert hasher.verify("quiet river lantern 42", first)
    assert not hasher.verify("quiet river lantern 43", first)


def test_characters_beyond_bcrypts_72_bytes_still_count() -> None:
    hasher = PasswordHasher(rounds=4)
    stem = "é" * 40  # 80 bytes of UTF-8
    stored = hasher.hash(stem + "one")
    assert not hasher.verify(stem + "two", stored)


def test_verifying_against_no_hash_or_a_broken_hash_is_false() -> None:
    hasher = PasswordHasher(rounds=4)
    assert not hasher.verify("not-a-real-password-used-for-timing", None)
    assert not hasher.verify("anything at all", "not a bcrypt hash")
