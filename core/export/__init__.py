"""Everything a person has stored, as one zip: a CSV per table and a README.txt.

Built generically: every table of `USER_OWNED_TABLES` (so each later feature's table is in it
the day it is added there), read through the per-user store, each `*_ct` column decrypted for
its owner into a column without the suffix. Secrets are left out (`SKIPPED_TABLES`,
`SECRET_COLUMNS`), and so are derived search vectors (`DERIVED_COLUMNS`). A table whose
stored form needs unpacking has a hook (`ROW_HOOKS`). Every export, of everything or of one
table, is written to the audit log in the same transaction.
`python -m core.export USERNAME --out FILE.zip` writes the same zip for an operator.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import SQLModel

from core.audit import AuditAction, record
from core.db.models import USER_OWNED_TABLES, UserPreferences
from core.errors import InvalidInput
from core.export.csvcells import cell, csv_bytes
from core.export.docs import FileDoc, about, describe, readme
from core.journal_forms import unpack_body
from core.store import UserStore, UserUnit

SKIPPED_TABLES: Final = frozenset({"user_keys"})  # wrapped data keys
SECRET_COLUMNS: Final[dict[str, frozenset[str]]] = {
    "users": frozenset({"password_hash"}),
    "login_sessions": frozenset({"id", "login_id"}),  # the cookie's fingerprint
    # The keyed lookup hash of the number and the one-time code's hash: server secrets' output.
    "whatsapp_links": frozenset({"phone_lookup", "code_hash"}),
}
# Derived data that means nothing outside the app, left out (README.txt says so): an entry's
# search vector is 384 numbers computed from its title and body, which the export holds in full.
DERIVED_COLUMNS: Final[dict[str, frozenset[str]]] = {
    "journal_entries": frozenset({"embedding_ct"}),
}
README_NAME: Final = "README.txt"

RowHook = Callable[[dict[str, Any]], dict[str, Any]]


def _journal_row(row: dict[str, Any]) -> dict[str, Any]:
    """The body without its kind line, the kind in its own column, the score as a number."""
    kind, body = unpack_body(row.get("body") or "")
    out: dict[str, Any] = {}
    for name, value in row.items():
        if name == "body":
            out["kind"], out["body"] = kind, body
        elif name == "sentiment" and value is not None:
            out[name] = float(value)
        else:
            out[name] = value
    return out


ROW_HOOKS: Final[dict[str, tuple[RowHook, tuple[str, ...]]]] = {
    # table: (hook, columns the hook adds, each documented in core.export.docs)
    "journal_entries": (_journal_row, ("kind",)),
}


@dataclass(frozen=True, slots=True)
class ExportedTable:
    """How one table is exported: its model, owner column, and (field, CSV name) columns."""

    model: type[SQLModel]
    owner: str
    fields: tuple[tuple[str, str], ...]
    order_by: tuple[str, ...]

    @property
    def name(self) -> str:
        """The table's name, which is also the CSV's name without ".csv"."""
        return str(self.model.__tablename__)

    @property
    def header(self) -> tuple[str, ...]:
        """The CSV's columns, hook-added ones included, in order."""
        names = [exported for _, exported in self.fields]
        if self.name in ROW_HOOKS:
            names = list(ROW_HOOKS[self.name][0](dict.fromkeys(names)))
        return tuple(names)


def _order_by(model: type[SQLModel], owner: str) -> tuple[str, ...]:
    """The time column of the table's (owner, time) index, then the primary key."""
    table = model.__table__  # type: ignore[attr-defined]
    keys = tuple(str(column.name) for column in table.primary_key.columns)
    for index in sorted(table.indexes, key=lambda found: str(found.name)):
        names = [str(column.name) for column in index.columns]
        if len(names) == 2 and names[0] == owner:
            return (names[1], *keys)
    return keys


def exported_tables() -> tuple[ExportedTable, ...]:
    """Every user-owned table the export writes, secrets left out."""
    tables = []
    for model, owner in USER_OWNED_TABLES:
        name = str(model.__tablename__)
        if name in SKIPPED_TABLES:
            continue
        secret = SECRET_COLUMNS.get(name, frozenset()) | DERIVED_COLUMNS.get(name, frozenset())
        fields = tuple(
            (str(column.name), str(column.name).removesuffix("_ct"))
            for column in model.__table__.columns  # type: ignore[attr-defined]
            if column.name not in secret
        )
        tables.append(ExportedTable(model, owner, fields, _order_by(model, owner)))
    return tuple(tables)


def file_docs() -> list[FileDoc]:
    """What README.txt says about each file and column ("" where nothing is known)."""
    docs = []
    for table in exported_tables():
        fields = {exported: field for field, exported in table.fields}
        columns = tuple(
            (name, describe(table.model, fields.get(name, name), name) or "")
            for name in table.header
        )
        docs.append(FileDoc(f"{table.name}.csv", about(table.model), columns))
    return docs


def archive_name(now: datetime) -> str:
    """The download's file name."""
    return f"companion-export-{now:%Y-%m-%d}.zip"


class ExportService:
    """One user's data as CSV: all of it in a zip, or one table."""

    def __init__(self, *, store: UserStore) -> None:
        self._store = store
        self._tables = {table.name: table for table in exported_tables()}

    def archive(self, *, user_id: str, via: str = "app") -> bytes:
        """The zip: one CSV per table and README.txt; audit-logged."""
        buffer = io.BytesIO()
        with self._store.unit(user_id) as unit:
            zone = _zone(unit)
            with zipfile.ZipFile(
                buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1
            ) as archive:
                archive.writestr(README_NAME, readme(file_docs()))
                for table in self._tables.values():
                    archive.writestr(f"{table.name}.csv", _table_csv(unit, table, zone))
            record(unit.session, AuditAction.EXPORT, user_id=user_id, detail=f"all via {via}")
        return buffer.getvalue()

    def table_csv(self, *, user_id: str, table: str, via: str = "app") -> bytes:
        """One table as CSV (the per-page download); audit-logged."""
        found = self._tables.get(table)
        if found is None:
            raise InvalidInput("There is no such kind of data to download.")
        with self._store.unit(user_id) as unit:
            data = _table_csv(unit, found, _zone(unit))
            record(unit.session, AuditAction.EXPORT, user_id=user_id, detail=f"{table} via {via}")
        return data


def _zone(unit: UserUnit) -> ZoneInfo:
    """The person's time zone (UTC if unset or unknown)."""
    prefs = unit.every(UserPreferences)
    try:
        return ZoneInfo(str(prefs[0]["timezone"]) if prefs else "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _table_csv(unit: UserUnit, table: ExportedTable, zone: ZoneInfo) -> bytes:
    rows = unit.every(table.model, owner_column=table.owner, order_by=table.order_by)
    hook = ROW_HOOKS.get(table.name, (None, ()))[0]
    row_key = "id" if "id" in table.model.__table__.columns else table.owner  # type: ignore[attr-defined]
    lines = []
    for row in rows:
        values = {
            exported: (
                unit.open_stored(table.model, field, row[field], row_id=str(row[row_key]))
                if field.endswith("_ct")
                else row[field]
            )
            for field, exported in table.fields
        }
        if hook is not None:
            values = hook(values)
        lines.append([cell(value, zone) for value in values.values()])
    return csv_bytes(table.header, lines)
