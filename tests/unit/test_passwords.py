"""Username rules, the password policy and hashing."""

from __future__ import annotations

import unicodedata

import pytest

from core.errors import InvalidInput
from core.passwords import PasswordHasher, canonical_username, check_password_policy


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("Alice", "alice"), ("  bob.smith ", "bob.smith"), ("ANNA", "anna"), ("kai_99", "kai_99")],
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
    "raw",
    [
        "ａｌｉｃｅ",  # full-width
        "ＡＮＮＡ",
        "𝐚𝐥𝐢𝐜𝐞",  # mathematical bold
        "\u212aai",  # Kelvin sign: case-folds to an ASCII "k"
        "ali\u017fe",  # long s: case-folds to an ASCII "s"
        "alice\u00a0x",  # a no-break space inside
    ],
)
def test_usernames_must_be_typed_in_ascii(raw: str) -> None:
    with pytest.raises(InvalidInput) as excinfo:
        canonical_username(raw)
    assert "plain letters a–z" in str(excinfo.value)


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
        ("mariagarcia.mariagarcia7", "username"),
        ("garcia.maria.garcia", "username"),
        ("abcdabcdabcd", "too easy"),
        ("zxcvbnmasdf1", "too easy"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(password: str, reason: str) -> None:
    with pytest.raises(InvalidInput) as excinfo:
        check_password_policy(password, username="maria.garcia")
    assert reason in str(excinfo.value)


def test_the_username_repeated_with_digits_is_refused() -> None:
    with pytest.raises(InvalidInput, match="made of your username"):
        check_password_policy("alicealice12", username="alice")
    with pytest.raises(InvalidInput, match="too easy"):  # and it is weak whoever uses it
        check_password_policy("alicealice12", username="bob")


def test_a_weak_password_is_refused_with_advice_on_what_would_help() -> None:
    with pytest.raises(InvalidInput) as excinfo:
        check_password_policy("abcdabcdabcd", username="alice")
    message = str(excinfo.value)
    assert message.startswith("That password would be too easy for someone to guess.")
    assert "Add another word or two" in message  # zxcvbn's suggestion


def test_the_display_name_counts_as_easy_to_guess() -> None:
    password = "Rosalind Kowalczyk 7"
    check_password_policy(password, username="rk7")
    with pytest.raises(InvalidInput, match="too easy"):
        check_password_policy(password, username="rk7", display_name="Rosalind Kowalczyk")


LONGEST = ("the tide comes in slowly over grey stones " * 4)[:128]


@pytest.mark.parametrize(
    "password",
    [
        "quiet river lantern 42",  # tests/factories.py
        "another quiet lantern 77",  # the authorisation walk
        "calm harbour morning 24",  # the demo account
        "new calm harbour 77",
        "Ünïcödé påsswörd ☀️ ok",
        LONGEST,
    ],
)
def test_strong_passwords_pass(password: str) -> None:
    check_password_policy(password, username="maria.garcia", display_name="Maria García")
    check_password_policy(password, username="demo", display_name="Alex")


def test_the_length_rule_counts_characters_as_composed() -> None:
    # Eleven letters in NFC, but more code points when each "é" is "e" plus an accent.
    nfd = unicodedata.normalize("NFD", "été léger ô")
    assert len(nfd) >= 12
    with pytest.raises(InvalidInput, match="at least 12"):
        check_password_policy(nfd, username="maria.garcia")


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


NFC = "café crème au lait 42"
NFD = unicodedata.normalize("NFD", NFC)


def test_a_password_matches_in_either_unicode_form() -> None:
    assert NFC != NFD
    hasher = PasswordHasher(rounds=4)
    assert hasher.verify(NFD, hasher.hash(NFC))
    assert hasher.verify(NFC, hasher.hash(NFD))


def test_a_hash_of_an_unnormalised_password_still_verifies_and_gets_replaced() -> None:
    import bcrypt

    from core.passwords import _prehash

    hasher = PasswordHasher(rounds=4)
    legacy = bcrypt.hashpw(_prehash(NFD), bcrypt.gensalt(rounds=4)).decode()  # before NFC
    matches, new_hash = hasher.verify_and_update(NFD, legacy)
    assert matches and new_hash is not None
    assert hasher.verify(NFC, new_hash) and hasher.verify(NFD, new_hash)
    assert hasher.verify_and_update(NFC, new_hash) == (True, None)
    assert hasher.verify_and_update(NFD, None) == (False, None)


def test_verifying_against_no_hash_or_a_broken_hash_is_false() -> None:
    hasher = PasswordHasher(rounds=4)
    assert not hasher.verify("not-a-real-password-used-for-timing", None)
    assert not hasher.verify("anything at all", "not a bcrypt hash")
