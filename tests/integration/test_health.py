"""Probes that tell the truth, and a start-up failure page that always shows help (#6 item 7).

`python -m core.health ready|live` runs as Kubernetes runs it: a fresh process, settings from the
environment, against a real SQLite file, a closed MySQL port and a server that accepts and never
answers, each within a bounded time. The start-up failure page runs in AppTest.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from core.bootstrap import bootstrap, prepare_database
from core.db import migrate
from core.health import check_ready
from tests.conftest import make_settings, new_master_key
from tests.fakes.adapters import fake_adapters

ROOT = Path(__file__).resolve().parents[2]
PYTHON_START = 6.0  # seconds a fresh interpreter may take to import core on a busy machine
READY_TIMEOUT = 1.0


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A loopback port whose server accepts connections (the kernel does) and never speaks."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        yield int(silent.getsockname()[1])


def _environment(tmp_path: Path, database_url: str, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        APP_ENV="test",
        RUNTIME_DIR=str(tmp_path / "var"),
        DATABASE_URL=database_url,
        MASTER_KEY=new_master_key(),
        COOKIE_KEY="k" + "0123456789abcdefghijklmnopqrstuvwxyzABCDEF",
        LOG_LEVEL="WARNING",
    )
    env.update(extra)
    return env


def _probe(
    env: dict[str, str], *args: str, limit: float
) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "core.health", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=limit + 30,  # a hang fails below with its own message, not pytest-timeout's
        check=False,
    )
    elapsed = time.monotonic() - started
    assert elapsed < limit, f"the probe took {elapsed:.1f} s"
    return done, elapsed


def _one_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    return lines[0]


def _migrated_sqlite(tmp_path: Path) -> str:
    settings = make_settings(tmp_path)
    app = bootstrap(settings, fake_adapters(settings))
    prepare_database(app)
    app.engine.dispose()
    return settings.database_url


# --- python -m core.health ready ------------------------------------------------------------


def test_ready_passes_on_a_migrated_sqlite_database(tmp_path: Path) -> None:
    env = _environment(tmp_path, _migrated_sqlite(tmp_path))
    done, _ = _probe(env, "ready", "--timeout", str(READY_TIMEOUT), limit=PYTHON_START + 2)
    assert done.returncode == 0, done.stderr
    assert _one_line(done.stdout).startswith("ready")


def test_ready_fails_on_a_schema_that_is_not_current(tmp_path: Path) -> None:
    url = _migrated_sqlite(tmp_path)
    settings = make_settings(tmp_path)
    app = bootstrap(settings, fake_adapters(settings))
    migrate.downgrade(app.engine, "base")
    app.engine.dispose()
    done, _ = _probe(_environment(tmp_path, url), "ready", limit=PYTHON_START + 4)
    assert done.returncode == 1
    reason = _one_line(done.stderr)
    assert "schema" in reason and "python -m core.db upgrade" in reason


def test_ready_fails_on_a_missing_sqlite_file_and_does_not_create_it(tmp_path: Path) -> None:
    missing = tmp_path / "gone.db"
    env = _environment(tmp_path, f"sqlite:///{missing}")
    done, _ = _probe(env, "ready", limit=PYTHON_START + 4)
    assert done.returncode == 1
    assert _one_line(done.stderr).startswith("database: unreachable")
    assert not missing.exists()


def test_ready_fails_fast_on_a_closed_mysql_port(tmp_path: Path) -> None:
    env = _environment(tmp_path, f"mysql+pymysql://root@127.0.0.1:{_closed_port()}/nothing")
    done, _ = _probe(env, "ready", "--timeout", str(READY_TIMEOUT), limit=PYTHON_START + 2)
    assert done.returncode == 1
    assert "Can't connect" in _one_line(done.stderr)


def test_ready_gives_up_on_a_server_that_never_answers_within_its_timeout(
    tmp_path: Path, silent_server: int
) -> None:
    env = _environment(tmp_path, f"mysql+pymysql://root@127.0.0.1:{silent_server}/nothing")
    done, _ = _probe(env, "ready", "--timeout", str(READY_TIMEOUT), limit=PYTHON_START + 2)
    assert done.returncode == 1
    reason = _one_line(done.stderr)
    assert reason.startswith("database:"), reason


def test_the_ready_check_itself_is_bounded_by_its_timeout(
    tmp_path: Path, silent_server: int
) -> None:
    settings = make_settings(
        tmp_path, database_url=f"mysql+pymysql://root@127.0.0.1:{silent_server}/nothing"
    )
    started = time.monotonic()
    check = check_ready(settings, timeout=0.5)
    assert time.monotonic() - started < 1.5
    assert not check.ok
    assert check.reason.startswith("database:")


@pytest.mark.mysql
def test_ready_passes_on_a_migrated_mysql_database(tmp_path: Path, mysql_url: str) -> None:
    settings = make_settings(tmp_path, database_url=mysql_url)
    app = bootstrap(settings, fake_adapters(settings))
    migrate.upgrade(app.engine)
    app.engine.dispose()
    done, _ = _probe(_environment(tmp_path, mysql_url), "ready", limit=PYTHON_START + 4)
    assert done.returncode == 0, done.stderr


def test_ready_fails_when_the_settings_are_broken(tmp_path: Path) -> None:
    env = _environment(tmp_path, _migrated_sqlite(tmp_path), MASTER_KEY="c2hvcnQ=")
    done, _ = _probe(env, "ready", limit=PYTHON_START + 2)
    assert done.returncode == 1
    assert _one_line(done.stderr).startswith("settings: ")


# --- python -m core.health live -------------------------------------------------------------


def test_live_passes_whatever_the_database_does(tmp_path: Path) -> None:
    env = _environment(tmp_path, f"mysql+pymysql://root@127.0.0.1:{_closed_port()}/nothing")
    done, _ = _probe(env, "live", limit=PYTHON_START)
    assert done.returncode == 0, done.stderr
    assert _one_line(done.stdout).startswith("live")


def test_live_fails_with_one_line_that_names_the_setting_but_not_its_value(
    tmp_path: Path,
) -> None:
    env = _environment(tmp_path, "sqlite://", MASTER_KEY="c2hvcnQta2V5")
    done, _ = _probe(env, "live", limit=PYTHON_START)
    assert done.returncode == 1
    reason = _one_line(done.stderr)
    assert "MASTER_KEY" in reason and "Traceback" not in done.stderr
    assert "c2hvcnQta2V5" not in done.stderr


# --- the page when the app can't start ------------------------------------------------------


@pytest.fixture
def clean_streamlit() -> Iterator[None]:
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


def _failure_page(error: str, region: str | None) -> AppTest:
    """A page that calls show_startup_failure as Home.py does when get_app() raises."""

    def page(error: str, region: str | None) -> None:
        from core.bootstrap import SchemaOutOfDate
        from core.db.engine import DatabaseMissing, DatabaseUnavailable
        from ui.startup import show_startup_failure

        errors = {
            "down": DatabaseUnavailable(
                "We can't reach the database right now. Please try again in a few minutes."
            ),
            "missing": DatabaseMissing("The database file /srv/secret/path.db is missing"),
            "schema": SchemaOutOfDate("run `python -m core.db upgrade`"),
        }
        try:
            raise errors[error]
        except Exception as exc:
            show_startup_failure(exc, region)

    return AppTest.from_function(page, args=(error, region), default_timeout=30).run()


def _everything(at: AppTest) -> str:
    parts = [el.value for el in at.error] + [el.value for el in at.warning]
    parts += [el.value for el in at.info] + [el.value for el in at.markdown]
    parts += [el.value for el in at.title]
    return "\n".join(str(part) for part in parts)


def test_a_database_outage_shows_its_kind_message_and_the_crisis_numbers(
    clean_streamlit: None,
) -> None:
    at = _failure_page("down", "US")
    assert not at.exception
    assert "We can't reach the database right now" in at.warning[0].value
    crisis = "\n".join(str(el.value) for el in at.error)
    assert "988" in crisis and "911" in crisis
    assert at.button(key="startup_retry")


def test_the_crisis_numbers_follow_the_configured_region(clean_streamlit: None) -> None:
    at = _failure_page("down", "GB")
    assert not at.exception
    assert "116 123" in _everything(at) and "999" in _everything(at)


def test_another_region_can_be_picked_on_the_failure_page(clean_streamlit: None) -> None:
    at = _failure_page("down", "US")
    at.selectbox(key="startup_region").set_value("AU").run()
    assert not at.exception
    assert "13 11 14" in _everything(at)


def test_a_missing_database_file_is_explained_without_server_paths(
    clean_streamlit: None,
) -> None:
    at = _failure_page("missing", "US")
    assert not at.exception
    assert "/srv/secret" not in _everything(at)
    assert "gone missing" in at.warning[0].value
    assert "988" in _everything(at)


def test_any_other_start_up_failure_shows_an_error_id_and_the_crisis_numbers(
    clean_streamlit: None,
) -> None:
    at = _failure_page("schema", "US")
    assert not at.exception
    assert "error id" in _everything(at)
    assert "core.db upgrade" not in _everything(at)  # operator detail stays in the log
    assert "988" in _everything(at)


def test_broken_settings_fall_back_to_the_default_region(
    clean_streamlit: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("MASTER_KEY", "")
    monkeypatch.setenv("DEFAULT_REGION", "GB")  # unreadable: the settings fail as a whole
    at = _failure_page("down", None)
    assert not at.exception
    assert "988" in _everything(at) and "116 123" not in _everything(at)


def test_the_crisis_box_failing_still_leaves_the_emergency_number(
    clean_streamlit: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("drawing failed")

    monkeypatch.setattr("ui.startup.show_crisis_resources", broken)
    at = _failure_page("down", "US")
    assert not at.exception
    assert "911" in _everything(at) and "findahelpline" in _everything(at)


def test_home_with_its_database_down_shows_help_instead_of_waiting(
    clean_streamlit: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """What Home.py does with ui.startup wired in: get_app() fails, the page still helps."""
    monkeypatch.setenv("APP_ENV", "test")
    monkeypatch.setenv("RUNTIME_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("DATABASE_URL", f"mysql+pymysql://root@127.0.0.1:{_closed_port()}/x")
    monkeypatch.setenv("DB_STARTUP_WAIT_SECONDS", "1")  # DB_CONNECT_RETRIES stays at 10
    monkeypatch.setenv("MASTER_KEY", new_master_key())
    monkeypatch.setenv("COOKIE_KEY", "k" + "0123456789abcdefghijklmnopqrstuvwxyzABCDEF")
    monkeypatch.setenv("OLLAMA_WARM_UP", "false")
    monkeypatch.setenv("KNOWLEDGE_WARM_UP", "false")
    monkeypatch.setenv("DEFAULT_REGION", "CA")

    def home() -> None:
        import streamlit as st

        from ui.runtime import get_app
        from ui.startup import show_startup_failure, startup_region

        try:
            get_app()
        except Exception as exc:
            show_startup_failure(exc, startup_region())
            st.stop()

    started = time.monotonic()
    at = AppTest.from_function(home, default_timeout=30).run()
    assert time.monotonic() - started < 4  # 10 retries took ~27 s before the bound
    assert not at.exception
    assert "We can't reach the database" in at.warning[0].value
    assert "988" in _everything(at) and "Canada" in _everything(at)


def test_the_start_up_wait_is_bounded_even_for_a_server_that_never_answers(
    tmp_path: Path, silent_server: int
) -> None:
    from core.bootstrap import start_app
    from core.db.engine import DatabaseUnavailable

    settings = make_settings(
        tmp_path,
        database_url=f"mysql+pymysql://root@127.0.0.1:{silent_server}/nothing",
        db_startup_wait_seconds=1,
    )
    started = time.monotonic()
    with pytest.raises(DatabaseUnavailable):
        start_app(settings, fake_adapters(settings), db_wait_seconds=1)
    assert time.monotonic() - started < 2


def test_the_start_up_wait_still_reaches_a_database_that_answers(tmp_path: Path) -> None:
    from core.bootstrap import start_app

    settings = make_settings(tmp_path)
    app = start_app(settings, fake_adapters(settings), db_wait_seconds=1)
    app.engine.dispose()
