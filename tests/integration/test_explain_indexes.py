"""On MariaDB (the MySQL/TiDB stand-in), the range queries of mood, journal and screenings use
each table's (user_id, time) index: EXPLAIN of the exact SQL the per-user store sends."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import SQLModel

from core.bootstrap import App
from core.db.models import JournalEntry, MoodEntry, ScreeningResult, new_id
from tests.conftest import build_app, make_settings
from tests.factories import make_user

START = datetime(2025, 1, 1, 8, 0)


@pytest.fixture
def maria(mysql_url: str, tmp_path: Path) -> Iterator[App]:
    built = build_app(make_settings(tmp_path, database_url=mysql_url))
    yield built
    built.engine.dispose()


def _fill(app: App, user_ids: list[str]) -> None:
    """Several people with a year of rows each, so the optimiser has a real choice."""
    moods, entries, screenings = [], [], []
    for user_id in user_ids:
        for day in range(365):
            moment = START + timedelta(days=day)
            moods.append(
                {
                    "id": new_id(),
                    "user_id": user_id,
                    "score": 5,
                    "emotions": "",
                    "tags": "",
                    "logged_at": moment,
                }
            )
            entries.append(
                {"id": new_id(), "user_id": user_id, "created_at": moment, "updated_at": moment}
            )
            if day % 14 == 0:
                screenings.append(
                    {
                        "id": new_id(),
                        "user_id": user_id,
                        "instrument": "PHQ-9",
                        "total_score": 3,
                        "severity": "minimal",
                        "taken_at": moment,
                    }
                )
    with app.engine.begin() as connection:
        connection.execute(sa.insert(MoodEntry), moods)
        connection.execute(sa.insert(JournalEntry), entries)
        connection.execute(sa.insert(ScreeningResult), screenings)
        for table in ("mood_entries", "journal_entries", "screening_results"):
            connection.execute(sa.text(f"ANALYZE TABLE {table}"))


def _sent_sql(app: App, run: Any) -> tuple[str, Any]:
    """The one SELECT on a per-user table that `run` sends, with its parameters."""
    seen: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, parameters: Any, *args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "user_keys" not in statement:
            seen.append((statement, parameters))

    sa.event.listen(app.engine, "before_cursor_execute", capture)
    try:
        run()
    finally:
        sa.event.remove(app.engine, "before_cursor_execute", capture)
    assert len(seen) == 1, seen
    return seen[0]


@pytest.mark.mysql
@pytest.mark.parametrize(
    ("model", "time_column", "index"),
    [
        (MoodEntry, "logged_at", "ix_mood_entries_user_time"),
        (JournalEntry, "created_at", "ix_journal_entries_user_time"),
        (ScreeningResult, "taken_at", "ix_screening_results_user_time"),
    ],
)
def test_range_queries_use_the_user_time_index(
    maria: App, model: type[SQLModel], time_column: str, index: str
) -> None:
    users = [make_user(maria).id for _ in range(4)]
    _fill(maria, users)
    since, until = START + timedelta(days=30), START + timedelta(days=120)

    def run() -> None:
        with maria.store.unit(users[1]) as unit:
            found = unit.list(model, time_column=time_column, since=since, until=until)
            assert found

    statement, parameters = _sent_sql(maria, run)
    assert "user_id" in statement and time_column in statement
    with maria.engine.connect() as connection:
        cursor = connection.connection.cursor()
        cursor.execute("EXPLAIN " + statement, parameters)
        columns = [d[0] for d in cursor.description]
        plan = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    assert [row["key"] for row in plan] == [index], plan
    assert plan[0]["type"] in {"range", "ref"}, plan
