"""Encryption at rest: a random AES-256-GCM data key per user, wrapped by the master key.

A ciphertext carries associated data naming its user, column and row, so a value copied into
another user's row, another column or another row fails to decrypt. Deleting a user's wrapped
key makes every ciphertext of theirs left in the live database unreadable. It does not reach
copies: a backup taken before the deletion still holds the wrapped key, and opens with the same
master key, until the master key is rotated and the old one destroyed (see "Deleting an
account" in the README).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_NONCE_BYTES = 12
_DATA_KEY_BYTES = 32
_FORMAT_V1 = b"\x01"  # wrapped keys; fields bound to user and column (read while migrating)
_FORMAT_V2 = b"\x02"  # bound to user, column and row
_WRAP_CONTEXT = b"companion/user-key/v1|"
_FIELD_CONTEXT = "companion/field/v1|"
_FIELD_CONTEXT_V2 = "companion/field/v2|"


class DecryptionError(ValueError):
    """A ciphertext was tampered with, swapped between rows, or the key is wrong."""


class KeyMismatchError(ValueError):
    """A wrapped key was made with another master key than the one configured."""


@dataclass(frozen=True, slots=True)
class MasterKey:
    """The key-encryption key, from the environment (MASTER_KEY) or the dev key file."""

    secret: bytes

    def __post_init__(self) -> None:
        if len(self.secret) != _DATA_KEY_BYTES:
            raise ValueError("a master key is 32 bytes")

    def __repr__(self) -> str:
        return f"MasterKey(id={self.key_id})"

    @property
    def key_id(self) -> str:
        """A short public fingerprint, stored beside each wrapped key."""
        return hashlib.sha256(b"companion/key-id|" + self.secret).hexdigest()[:16]


def generate_data_key() -> bytes:
    """A fresh random AES-256 key."""
    return AESGCM.generate_key(bit_length=256)


def wrap_data_key(master: MasterKey, user_id: str, data_key: bytes) -> bytes:
    """Encrypt a user's data key under the master key, bound to the user id."""
    nonce = os.urandom(_NONCE_BYTES)
    sealed = AESGCM(master.secret).encrypt(nonce, data_key, _WRAP_CONTEXT + user_id.encode())
    return _FORMAT_V1 + nonce + sealed


def unwrap_data_key(master: MasterKey, user_id: str, wrapped: bytes) -> bytes:
    """Decrypt a wrapped data key; raise DecryptionError if it is not this user's or key's."""
    if not wrapped.startswith(_FORMAT_V1) or len(wrapped) < 1 + _NONCE_BYTES + 16:
        raise DecryptionError("unknown wrapped-key format")
    nonce, sealed = wrapped[1 : 1 + _NONCE_BYTES], wrapped[1 + _NONCE_BYTES :]
    try:
        return AESGCM(master.secret).decrypt(nonce, sealed, _WRAP_CONTEXT + user_id.encode())
    except InvalidTag as exc:
        raise DecryptionError("the data key could not be unwrapped") from exc


class FieldCipher:
    """Encrypts and decrypts one user's free-text fields.

    Format 2 (what `encrypt` writes) binds a value to its user, its column and its row, so a
    database writer can't move a message into another conversation or a journal body into
    another entry. Format 1 (user and column only) is read only where `legacy=True` is asked
    for: by the migration that re-encrypts it.
    """

    __slots__ = ("_aead", "_user_id")

    def __init__(self, user_id: str, data_key: bytes) -> None:
        self._user_id = user_id
        self._aead = AESGCM(data_key)

    def __repr__(self) -> str:
        return f"FieldCipher(user_id={self._user_id!r})"

    def _context(self, column: str, row_id: str | None) -> bytes:
        if row_id is None:
            return f"{_FIELD_CONTEXT}{self._user_id}|{column}".encode()
        return f"{_FIELD_CONTEXT_V2}{self._user_id}|{column}|{row_id}".encode()

    def encrypt(self, column: str, plaintext: str, *, row_id: str, legacy: bool = False) -> bytes:
        """Encrypt text for `column` (e.g. "journal_entries.body") of the row `row_id`.

        `legacy` writes format 1 (not bound to the row): only for taking the migration back.
        """
        nonce = os.urandom(_NONCE_BYTES)
        context = self._context(column, None if legacy else row_id)
        sealed = self._aead.encrypt(nonce, plaintext.encode("utf-8"), context)
        return (_FORMAT_V1 if legacy else _FORMAT_V2) + nonce + sealed

    def decrypt(self, column: str, blob: bytes, *, row_id: str, legacy: bool = False) -> str:
        """Decrypt a value of `column` in row `row_id`; DecryptionError if tampered or moved."""
        version = blob[:1]
        if version not in (_FORMAT_V2, *((_FORMAT_V1,) if legacy else ())):
            raise DecryptionError("unknown ciphertext format")
        if len(blob) < 1 + _NONCE_BYTES + 16:
            raise DecryptionError("ciphertext too short")
        nonce, sealed = blob[1 : 1 + _NONCE_BYTES], blob[1 + _NONCE_BYTES :]
        context = self._context(column, row_id if version == _FORMAT_V2 else None)
        try:
            plain = self._aead.decrypt(nonce, sealed, context)
        except InvalidTag as exc:
            raise DecryptionError("this value could not be decrypted") from exc
        return plain.decode("utf-8")

    def decrypt_optional(
        self, column: str, blob: bytes | None, *, row_id: str, legacy: bool = False
    ) -> str | None:
        """Decrypt, passing None through."""
        return None if blob is None else self.decrypt(column, blob, row_id=row_id, legacy=legacy)
