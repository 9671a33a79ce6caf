"""Usernames, the password policy and password hashing (bcrypt)."""

from __future__ import annotations

import base64
import hashlib
import re
import threading
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import bcrypt
from zxcvbn import zxcvbn

from core.config import PROJECT_ROOT
from core.errors import InvalidInput
from core.textinput import has_lone_surrogates

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 128
MIN_USERNAME_LENGTH = 3
MAX_USERNAME_LENGTH = 32
COMMON_PASSWORDS_FILE = PROJECT_ROOT / "data" / "common-passwords.txt"
# zxcvbn's scale is 0-4; 3 is "safely unguessable: moderate protection from offline attacks".
MIN_PASSWORD_SCORE = 3

# ASCII only: it rules out look-alike characters (a Cyrillic "а" for a Latin "a").
_USERNAME_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?$")
_AFFIXES = re.compile(r"^[\W\d_]+|[\W\d_]+$")
_WORD_SEPARATORS = re.compile(r"[\W_]+")
# zxcvbn keeps the user inputs of the call in progress in a module-level dictionary, so two
# threads checking at once (two people registering) could check against each other's names.
_ZXCVBN_LOCK = threading.Lock()


def canonical_username(raw: str) -> str:
    """Check a username's shape and return it case-folded, for comparison.

    A username must be typed in ASCII: full-width ("ａｌｉｃｅ"), mathematical ("𝐚𝐥𝐢𝐜𝐞") or
    other compatibility forms, and letters that case-fold to ASCII (the Kelvin sign "K"), are
    refused rather than folded, so one account has exactly one spelling.
    """
    if not isinstance(raw, str):
        raise InvalidInput("Please enter a username.")
    if len(raw) > 4 * MAX_USERNAME_LENGTH:
        raise InvalidInput(f"Usernames are at most {MAX_USERNAME_LENGTH} characters.")
    name = raw.strip()
    if not name:
        raise InvalidInput("Please enter a username.")
    if not name.isascii():
        raise InvalidInput(
            "Usernames use plain letters a–z, digits, dots, dashes and underscores. "
            "Please type it without accents, symbols or wide (full-width) characters."
        )
    name = name.lower()
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


def stored_username_key(raw: str) -> str:
    """The lookup key of a username this app stored itself (e.g. the one a login cookie names).

    Accounts made before usernames had to be ASCII may have been typed in full-width form;
    their canonical name is the NFKC case-fold, which is what this returns. Never use it for
    names a person types: those go through `canonical_username`.
    """
    return unicodedata.normalize("NFKC", raw).strip().casefold()


def normalise_password(password: str) -> str:
    """The form a password is checked and hashed in: NFC, so "é" typed as one code point or as
    "e" plus a combining accent is the same password."""
    return unicodedata.normalize("NFC", password)


@lru_cache(maxsize=1)
def _common_passwords(path: Path = COMMON_PASSWORDS_FILE) -> frozenset[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def check_password_policy(password: str, *, username: str, display_name: str = "") -> None:
    """Raise InvalidInput with a kind explanation if the password is not acceptable."""
    if not isinstance(password, str) or not password:
        raise InvalidInput("Please enter a password.")
    if has_lone_surrogates(password):
        raise InvalidInput("Your password has a character that can't be typed again reliably.")
    password = normalise_password(password)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"Please use at least {MIN_PASSWORD_LENGTH} characters. "
            "A few unrelated words make a strong password that is easy to remember."
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(f"Passwords are at most {MAX_PASSWORD_LENGTH} characters.")
    folded = unicodedata.normalize("NFKC", password).casefold()
    user = unicodedata.normalize("NFKC", username).strip().casefold()
    if user and _is_only_username(folded, user):
        raise InvalidInput(
            "Your password can't be made of your username. "
            "A few unrelated words make a strong password that is easy to remember."
        )
    if folded in _common_passwords() or _AFFIXES.sub("", folded) in _common_passwords():
        raise InvalidInput("That password is too common and easy to guess. Please choose another.")
    if len(set(folded)) <= 3:
        raise InvalidInput("That password repeats too few characters. Please choose another.")
    _check_strength(password, _personal_words(username, display_name))


def _is_only_username(folded: str, user: str) -> bool:
    # "maria.garcia", "Maria.Garcia2024!", "mariagarcia.mariagarcia", "garcia.maria.garcia":
    # take the name out (whole, without its dots and dashes, and its parts) and see whether any
    # letters are left.
    forms = {user, _WORD_SEPARATORS.sub("", user)}
    forms.update(part for part in _WORD_SEPARATORS.split(user) if len(part) >= 3)
    rest = folded
    for form in sorted(forms, key=len, reverse=True):
        if form:
            rest = rest.replace(form, " ")
    return not any(ch.isalpha() for ch in rest)


def _personal_words(*names: str) -> list[str]:
    words: list[str] = []
    for name in names:
        if isinstance(name, str) and name.strip():
            words.append(name.strip())
            words.append(_WORD_SEPARATORS.sub("", name))  # "maria.garcia" typed "mariagarcia"
            words.extend(part for part in _WORD_SEPARATORS.split(name) if len(part) >= 3)
    return words


def _check_strength(password: str, personal: Iterable[str]) -> None:
    with _ZXCVBN_LOCK:
        estimate = zxcvbn(password, user_inputs=list(personal), max_length=MAX_PASSWORD_LENGTH)
    if estimate["score"] >= MIN_PASSWORD_SCORE:
        return
    feedback = estimate["feedback"]
    advice = " ".join([feedback["warning"], *feedback["suggestions"]]).strip()
    raise InvalidInput(
        "That password would be too easy for someone to guess. "
        + (advice or "A few unrelated words make a strong password that is easy to remember.")
    )


def _prehash(password: str) -> bytes:
    # bcrypt reads only 72 bytes (and bcrypt 5 refuses more); a 128-character password can be
    # 512 bytes of UTF-8. Pre-hashing keeps every character significant.
    # "surrogatepass": a login attempt with a lone surrogate is just a wrong password, not a crash.
    digest = hashlib.sha256(password.encode("utf-8", "surrogatepass")).digest()
    return base64.b64encode(digest)


class PasswordHasher:
    """bcrypt with a configurable cost (12 in production; tests use the minimum, 4).

    Passwords are hashed in NFC. Hashes made before that were of the password as typed, so a
    password typed in another form is also tried as typed, and such a hash is replaced on the
    next login (`verify_and_update`).
    """

    def __init__(self, rounds: int = 12) -> None:
        self._rounds = rounds
        # Checked when a username is unknown, so timing doesn't reveal which names exist.
        self._dummy_hash = self.hash("not-a-real-password-used-for-timing")

    def hash(self, password: str) -> str:
        """A bcrypt hash of the password (in NFC)."""
        prehashed = _prehash(normalise_password(password))
        return bcrypt.hashpw(prehashed, bcrypt.gensalt(rounds=self._rounds)).decode()

    def verify(self, password: str, password_hash: str | None) -> bool:
        """True if the password matches; with no hash, spend the same time and say False."""
        matches, _ = self.verify_and_update(password, password_hash)
        return matches

    def verify_and_update(
        self, password: str, password_hash: str | None
    ) -> tuple[bool, str | None]:
        """Whether the password matches, and a new hash to store when the old one was made of a
        non-NFC form of it (None when the stored hash is fine as it is)."""
        if not isinstance(password, str):
            return False, None
        normal = normalise_password(password)
        if self._check(normal, password_hash):
            return password_hash is not None, None
        # A hash made before passwords were normalised: of the password exactly as typed.
        if normal != password and self._check(password, password_hash):
            return password_hash is not None, self.hash(normal)
        return False, None

    def _check(self, password: str, password_hash: str | None) -> bool:
        try:
            return bcrypt.checkpw(_prehash(password), (password_hash or self._dummy_hash).encode())
        except (ValueError, TypeError):
            return False
