"""The per-user store: one unit of work for one user, through which every feature's data goes.

`store.unit(user_id)` opens a transaction and yields a `UserUnit` holding the session, that
user's cipher (fetched on first use) and scoped helpers: get one owned row or raise `NotFound`,
list owned rows by a time range (the `(user_id, time)` index of every per-user table), delete
owned rows. A feature never writes `WHERE user_id = …` itself, so it cannot forget it.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Engine, RowMapping
from sqlmodel import Session, SQLModel, col, select
from sqlmodel.sql.expression import SelectOfScalar

from core.crypto import FieldCipher
from core.db.engine import session_scope
from core.db.models import UserKey
from core.errors import NotFound
from core.keyring import KeyRing
from core.ports import Clock

Row = TypeVar("Row", bound=SQLModel)


class UserUnit:
    """One transaction for one user. Every helper is scoped to `user_id`."""

    def __init__(self, session: Session, keyring: KeyRing, user_id: str, clock: Clock) -> None:
        self.session = session
        self.user_id = user_id
        self._keyring = keyring
        self._clock = clock
        self._cipher: FieldCipher | None = None

    @property
    def cipher(self) -> FieldCipher:
        """This user's field cipher (looked up once per unit, on first use)."""
        if self._cipher is None:
            self._cipher = self._keyring.cipher_for(session=self.session, user_id=self.user_id)
        return self._cipher

    def now(self) -> datetime:
        """The injected clock's time, naive UTC."""
        return self._clock.now()

    def seal(self, row: SQLModel, field: str, text: str | None) -> None:
        """Store `text` encrypted in `row.<field>` (a `*_ct` column), bound to this user, that
        column and that row; None clears it."""
        blob = (
            None
            if text is None
            else self.cipher.encrypt(_column_name(row, field), text, row_id=_row_id(row))
        )
        setattr(row, field, blob)

    def open(self, row: SQLModel, field: str) -> str | None:
        """The text sealed in `row.<field>`; None when it is empty."""
        blob: bytes | None = getattr(row, field)
        return self.cipher.decrypt_optional(_column_name(row, field), blob, row_id=_row_id(row))

    def add(self, row: Row) -> Row:
        """Stage a row of this user (its `user_id` must be this user's)."""
        if getattr(row, "user_id", self.user_id) != self.user_id:
            raise ValueError("a unit of work only writes its own user's rows")
        self.session.add(row)
        return row

    def get(self, model: type[Row], row_id: str, *, missing: str = "That doesn't exist.") -> Row:
        """The row with this id if this user owns it; `NotFound(missing)` otherwise."""
        row = self.session.exec(self._owned(model).where(_column(model, "id") == row_id)).first()
        if row is None:
            raise NotFound(missing)
        return row

    def list(
        self,
        model: type[Row],
        *,
        time_column: str = "created_at",
        since: datetime | None = None,
        until: datetime | None = None,
        newest_first: bool = True,
        limit: int | None = None,
        where: Sequence[Any] = (),
    ) -> list[Row]:
        """This user's rows of `model` with `since <= time < until`, ordered by time (then id)."""
        moment = _column(model, time_column)
        query = self._owned(model).where(*where)
        if since is not None:
            query = query.where(moment >= since)
        if until is not None:
            query = query.where(moment < until)
        ids = _column(model, "id")
        if newest_first:
            query = query.order_by(moment.desc(), ids.desc())
        else:
            query = query.order_by(moment, ids)
        if limit is not None:
            query = query.limit(limit)
        return list(self.session.exec(query).all())

    def values(
        self,
        model: type[SQLModel],
        columns: Sequence[str],
        *,
        time_column: str = "created_at",
        since: datetime | None = None,
        until: datetime | None = None,
        newest_first: bool = True,
        limit: int | None = None,
    ) -> builtins.list[RowMapping]:
        """`list`, but only `columns` of each row, as plain mappings that skip the ORM (a chart
        reads thousands of rows). Same scoping, range and order; open sealed columns with
        `open_stored`."""
        table = model.__table__  # type: ignore[attr-defined]
        moment, ids = table.c[time_column], table.c["id"]
        query = sa.select(*(table.c[name] for name in columns))
        query = query.where(table.c["user_id"] == self.user_id)
        if since is not None:
            query = query.where(moment >= since)
        if until is not None:
            query = query.where(moment < until)
        order = (moment.desc(), ids.desc()) if newest_first else (moment, ids)
        query = query.order_by(*order).limit(limit)
        return list(self.session.connection().execute(query).mappings())

    def every(
        self, model: type[SQLModel], *, owner_column: str = "user_id", order_by: Sequence[str] = ()
    ) -> builtins.list[RowMapping]:
        """Every row of `model` this user owns (by `owner_column`) as plain column mappings,
        skipping the ORM (an export reads thousands); for tables without the id and time
        columns `list` needs too (a profile row, the account itself). Open sealed columns with
        `open_stored`."""
        table = model.__table__  # type: ignore[attr-defined]
        query = sa.select(table).where(table.c[owner_column] == self.user_id)
        query = query.order_by(*(table.c[name] for name in order_by))
        return list(self.session.connection().execute(query).mappings())

    def open_stored(
        self, model: type[SQLModel], field: str, blob: bytes | None, *, row_id: str
    ) -> str | None:
        """The text sealed in `blob`, read from `model`'s `field` (a `*_ct` column) of the row
        `row_id`: `open` for a row read by `every`."""
        if not field.endswith("_ct"):
            raise ValueError(f"{field} is not an encrypted column")
        column = f"{model.__tablename__}.{field.removesuffix('_ct')}"
        return self.cipher.decrypt_optional(column, blob, row_id=row_id)

    def delete(
        self, model: type[Row], row_id: str, *, missing: str = "That doesn't exist."
    ) -> None:
        """Delete one owned row; `NotFound` if this user has no such row."""
        self.session.delete(self.get(model, row_id, missing=missing))

    def _owned(self, model: type[Row]) -> SelectOfScalar[Row]:
        return select(model).where(_column(model, "user_id") == self.user_id)


class UserStore:
    """Opens units of work, each for one user."""

    def __init__(self, *, engine: Engine, keyring: KeyRing, clock: Clock) -> None:
        self._engine = engine
        self._keyring = keyring
        self._clock = clock

    @property
    def clock(self) -> Clock:
        """The clock every unit uses."""
        return self._clock

    @contextmanager
    def unit(self, user_id: str) -> Iterator[UserUnit]:
        """A transaction for `user_id`: commits when the block ends, rolls back on error."""
        with session_scope(self._engine) as session:
            yield UserUnit(session, self._keyring, user_id, self._clock)

    @contextmanager
    def units(self, user_ids: Iterable[str]) -> Iterator[dict[str, UserUnit]]:
        """One transaction holding a unit for each of `user_ids` (a worker's batch): each unit
        is still scoped to its own user; the users' keys are read in one query."""
        ids = sorted(set(user_ids))
        with session_scope(self._engine) as session:
            # Held here, the keys stay in the session's identity map (it keeps weak references
            # only), so no unit needs a key query of its own.
            keys = session.exec(select(UserKey).where(col(UserKey.user_id).in_(ids))).all()
            yield {
                user_id: UserUnit(session, self._keyring, user_id, self._clock) for user_id in ids
            }
            del keys


def _column(model: type[SQLModel], name: str) -> Any:
    return col(getattr(model, name))


def _column_name(row: SQLModel, field: str) -> str:
    """What a ciphertext is bound to: "messages.content" for the field `content_ct` of a Message."""
    if not field.endswith("_ct"):
        raise ValueError(f"{field} is not an encrypted column")
    return f"{row.__tablename__}.{field.removesuffix('_ct')}"


def _row_id(row: SQLModel) -> str:
    row_id = getattr(row, "id", None) or getattr(row, "user_id", None)
    if not isinstance(row_id, str) or not row_id:
        raise ValueError("a sealed value needs its row's id")
    return row_id
