"""Usernames, the password policy and password hashing (bcrypt)."""

from __future__ import annotations

import base64
import hashlib
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import bcrypt

from core.config import PROJECT_ROOT
from core.errors import InvalidInput
from core.textinput import has_lone_surrogates

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 128
MIN_USERNAME_LENGTH = 3
MAX_USERNAME_LENGTH = 32
COMMON_PASSWORDS_FILE = PROJECT_ROOT / "data" / "common-passwords.txt"

# ASCII only: it rules out look-alike characters (a Cyrillic "а" for a Latin "a").
_USERNAME_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?$")
_AFFIXES = re.compile(r"^[\W\d_]+|[\W\d_]+$")


def canonical_username(raw: str) -> str:
    """Normalise a username for comparison (NFKC, case-folded) and check its shape."""
    if not isinstance(raw, str):
        raise InvalidInput("Please enter a username.")
    if len(raw) > 4 * MAX_USERNAME_LENGTH:
        raise InvalidInput(f"Usernames are at most {MAX_USERNAME_LENGTH} characters.")
    name = unicodedata.normalize("NFKC", raw).strip().casefold()
    if not name:
        raise InvalidInput("Please enter a username.")
    if not MIN_USERNAME_LENGTH <= len(name) <= MAX_USERNAME_LENGTH:
        raise InvalidInput(
            f"Usernames are {MIN_USERNAME_LENGTH} to {MAX_USERNAME_LENGTH} characters long."
        )
    if not _USERNAME_PATTERN.match(name):
        raise InvalidInput(
            "Usernames can use the letters a–z, digits, dots, dashes and underscores, "
            "and must start and end with a letter or digit."
        )
    return name


@lru_cache(maxsize=1)
def _common_passwords(path: Path = COMMON_PASSWORDS_FILE) -> frozenset[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def check_password_policy(password: str, *, username: str) -> None:
    """Raise InvalidInput with a kind explanation if the password is not acceptable."""
    if not isinstance(password, str) or not password:
        raise InvalidInput("Please enter a password.")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"Please use at least {MIN_PASSWORD_LENGTH} characters. "
            "A few unrelated words make a strong password that is easy to remember."
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(f"Passwords are at most {MAX_PASSWORD_LENGTH} characters.")
    if has_lone_surrogates(password):
        raise InvalidInput("Your password has a character that can't be typed again reliably.")
    folded = unicodedata.normalize("NFKC", password).casefold()
    user = unicodedata.normalize("NFKC", username).strip().casefold()
    if user and (folded == user or _AFFIXES.sub("", folded) == user):
        raise InvalidInput("Your password can't be your username.")
    if folded in _common_passwords() or _AFFIXES.sub("", folded) in _common_passwords():
        raise InvalidInput("That password is too common and easy to guess. Please choose another.")
    if len(set(folded)) <= 3:
        raise InvalidInput("That password repeats too few characters. Please choose another.")


def _prehash(password: str) -> bytes:
    # bcrypt reads only 72 bytes (and bcrypt 5 refuses more); a 128-character password can be
    # 512 bytes of UTF-8. Pre-hashing keeps every character significant.
    # "surrogatepass": a login attempt with a lone surrogate is just a wrong password, not a crash.
    digest = hashlib.sha256(password.encode("utf-8", "surrogatepass")).digest()
    return base64.b64encode(digest)


class PasswordHasher:
    """bcrypt with a configurable cost (12 in production; tests use the minimum, 4)."""

    def __init__(self, rounds: int = 12) -> None:
        self._rounds = rounds
        # Checked when a username is unknown, so timing doesn't reveal which names exist.
        self._dummy_hash = self.hash("not-a-real-password-used-for-timing")

    def hash(self, password: str) -> str:
        """A bcrypt hash of the password."""
        return bcrypt.hashpw(_prehash(password), bcrypt.gensalt(rounds=self._rounds)).decode()

    def verify(self, password: str, password_hash: str | None) -> bool:
        """True if the password matches; with no hash, spend the same time and say False."""
        try:
            matches = bcrypt.checkpw(
                _prehash(password), (password_hash or self._dummy_hash).encode()
            )
        except (ValueError, TypeError):
            return False
        return matches and password_hash is not None
