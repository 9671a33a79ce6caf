"""Per-user data keys in the database: create, load, destroy, and re-wrap on master-key rotation."""

from __future__ import annotations

from sqlmodel import Session, col, select

from core.crypto import (
    FieldCipher,
    KeyMismatchError,
    MasterKey,
    generate_data_key,
    unwrap_data_key,
    wrap_data_key,
)
from core.db.models import UserKey
from core.timeutil import utcnow


class KeyRing:
    """Gives each user a FieldCipher backed by their wrapped data key."""

    def __init__(self, master: MasterKey) -> None:
        self._master = master

    @property
    def master_key_id(self) -> str:
        """Fingerprint of the configured master key."""
        return self._master.key_id

    def create_user_key(self, *, session: Session, user_id: str) -> None:
        """Make and store a new wrapped data key for a new user."""
        wrapped = wrap_data_key(self._master, user_id, generate_data_key())
        session.add(UserKey(user_id=user_id, wrapped_key=wrapped, master_key_id=self.master_key_id))

    def cipher_for(self, *, session: Session, user_id: str) -> FieldCipher:
        """The cipher for a user's fields; raises KeyError if the user has no key."""
        row = session.get(UserKey, user_id)
        if row is None:
            raise KeyError("no data key for this user")
        return self.cipher_from_wrapped(user_id, row.wrapped_key, row.master_key_id)

    def cipher_from_wrapped(
        self, user_id: str, wrapped_key: bytes, master_key_id: str
    ) -> FieldCipher:
        """The cipher for a wrapped key read by other means (a migration's raw SQL)."""
        if master_key_id != self.master_key_id:
            raise KeyMismatchError(
                "this user's data key was wrapped by another master key "
                f"({master_key_id}); is MASTER_KEY right, or a rotation unfinished?"
            )
        return FieldCipher(user_id, unwrap_data_key(self._master, user_id, wrapped_key))


class RotationRefused(ValueError):
    """The rotation would do harm (same key twice, or MASTER_KEY is not the key in use)."""


def rotate_master_key(
    *, session: Session, old: MasterKey, new: MasterKey, batch_size: int = 500
) -> int:
    """Re-wrap every data key from `old` to `new` without touching encrypted data.

    Idempotent: keys already under `new` are skipped, so an interrupted rotation can be rerun.
    Refuses (`RotationRefused`, nothing changed) when `new` is `old`, or when any data key is
    wrapped by a third key: then MASTER_KEY is not the key in use, and switching to `new` would
    lock those users out. Returns how many keys were re-wrapped.
    """
    if old.key_id == new.key_id:
        raise RotationRefused("NEW_MASTER_KEY is the same key as MASTER_KEY; nothing to rotate.")
    foreign = session.exec(
        select(UserKey.master_key_id)
        .where(col(UserKey.master_key_id).not_in([old.key_id, new.key_id]))
        .limit(1)
    ).first()
    if foreign is not None:
        raise RotationRefused(
            f"MASTER_KEY (key id {old.key_id}) is not the key the data keys are wrapped with "
            f"(found key id {foreign}); set MASTER_KEY to the key in use. Nothing was changed."
        )
    pending = len(
        session.exec(select(UserKey.user_id).where(UserKey.master_key_id == old.key_id)).all()
    )
    rotated = 0
    for _ in range(pending // batch_size + 1):  # bounded: each batch moves keys off `old`
        rows = session.exec(
            select(UserKey).where(UserKey.master_key_id == old.key_id).limit(batch_size)
        ).all()
        if not rows:
            break
        for row in rows:
            data_key = unwrap_data_key(old, row.user_id, row.wrapped_key)
            row.wrapped_key = wrap_data_key(new, row.user_id, data_key)
            row.master_key_id = new.key_id
            row.rotated_at = utcnow()
            session.add(row)
        session.commit()
        rotated += len(rows)
    return rotated
