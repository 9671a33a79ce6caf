"""Envelope encryption: round trips, tampering, swapped ciphertexts, key rotation."""

from __future__ import annotations

import os

import pytest

from core.crypto import (
    DecryptionError,
    FieldCipher,
    MasterKey,
    generate_data_key,
    unwrap_data_key,
    wrap_data_key,
)

COLUMN = "journal_entries.body"
ROW = "4f0c2b1e9d8a4c6b8e7f6a5b4c3d2e1f"


def _cipher(user_id: str) -> FieldCipher:
    return FieldCipher(user_id, generate_data_key())


def test_text_round_trips_including_unicode() -> None:
    cipher = _cipher("alice")
    secret = "Heute war schwer 😔 — ça va mieux"
    assert cipher.decrypt(COLUMN, cipher.encrypt(COLUMN, secret, row_id=ROW), row_id=ROW) == secret


def test_the_same_text_encrypts_differently_each_time() -> None:
    cipher = _cipher("alice")
    assert cipher.encrypt(COLUMN, "same", row_id=ROW) != cipher.encrypt(COLUMN, "same", row_id=ROW)


def test_a_flipped_bit_is_detected() -> None:
    cipher = _cipher("alice")
    blob = bytearray(cipher.encrypt(COLUMN, "my secret", row_id=ROW))
    blob[-1] ^= 0x01
    with pytest.raises(DecryptionError):
        cipher.decrypt(COLUMN, bytes(blob), row_id=ROW)


def test_a_ciphertext_copied_to_another_user_fails_even_with_the_same_key() -> None:
    key = generate_data_key()
    blob = FieldCipher("alice", key).encrypt(COLUMN, "alice's secret", row_id=ROW)
    with pytest.raises(DecryptionError):
        FieldCipher("bob", key).decrypt(COLUMN, blob, row_id=ROW)


def test_a_ciphertext_moved_to_another_row_fails() -> None:
    cipher = _cipher("alice")
    blob = cipher.encrypt(COLUMN, "entry one's body", row_id=ROW)
    with pytest.raises(DecryptionError):
        cipher.decrypt(COLUMN, blob, row_id="another-entry-of-alice")


def test_the_old_unbound_format_is_read_only_when_migrating() -> None:
    cipher = _cipher("alice")
    old = cipher.encrypt(COLUMN, "written before rows were bound", row_id=ROW, legacy=True)
    with pytest.raises(DecryptionError):
        cipher.decrypt(COLUMN, old, row_id=ROW)
    assert cipher.decrypt(COLUMN, old, row_id="any", legacy=True).startswith("written")


def test_a_ciphertext_moved_to_another_column_fails() -> None:
    cipher = _cipher("alice")
    blob = cipher.encrypt("journal_entries.title", "title", row_id=ROW)
    with pytest.raises(DecryptionError):
        cipher.decrypt(COLUMN, blob, row_id=ROW)


@pytest.mark.parametrize("blob", [b"", b"\x01", b"\x02" + os.urandom(40), os.urandom(64)])
def test_garbage_is_a_decryption_error_not_a_crash(blob: bytes) -> None:
    with pytest.raises(DecryptionError):
        _cipher("alice").decrypt(COLUMN, blob, row_id=ROW)


def test_a_wrapped_key_only_unwraps_for_its_user_and_master_key() -> None:
    master, other = MasterKey(os.urandom(32)), MasterKey(os.urandom(32))
    data_key = generate_data_key()
    wrapped = wrap_data_key(master, "alice", data_key)
    assert unwrap_data_key(master, "alice", wrapped) == data_key
    with pytest.raises(DecryptionError):
        unwrap_data_key(master, "bob", wrapped)
    with pytest.raises(DecryptionError):
        unwrap_data_key(other, "alice", wrapped)


def test_master_key_repr_shows_only_its_fingerprint() -> None:
    secret = os.urandom(32)
    text = repr(MasterKey(secret))
    assert secret.hex() not in text and MasterKey(secret).key_id in text
