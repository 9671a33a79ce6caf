"""The worker as a process, on SQLite and (in CI, required) MariaDB: kill -9 mid-batch, another
takes over, each reminder goes once; SIGTERM stops it cleanly; /healthz answers."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from core.adapters.twilio import TwilioWhatsAppSender
from core.bootstrap import App
from core.config import PROJECT_ROOT
from core.db.models import ReminderSchedule
from core.reminders.schedules import ReminderSpec
from tests.conftest import build_app, make_settings
from tests.factories import make_user
from tests.fakes.adapters import fake_adapters
from tests.fakes.twilio_server import FakeTwilio

pytestmark = pytest.mark.slow
USERS = 30


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _link(app: App, twilio: FakeTwilio, user_id: str, phone: str) -> None:
    app.whatsapp.start(user_id, phone)
    code = (twilio.sent_to(phone)[-1].body or "").split("code is ")[1][:6]
    app.whatsapp.confirm(user_id, code)


def _env(app: App, twilio: FakeTwilio, health_port: int) -> dict[str, str]:
    s = app.settings
    assert s.master_key is not None and s.cookie_key is not None
    return os.environ | {
        "APP_ENV": "test",
        "DATABASE_URL": s.database_url,
        "RUNTIME_DIR": str(s.runtime_dir),
        "MASTER_KEY": s.master_key.get_secret_value(),
        "COOKIE_KEY": s.cookie_key.get_secret_value(),
        "TWILIO_ACCOUNT_SID": twilio.account_sid,
        "TWILIO_AUTH_TOKEN": twilio.auth_token,
        "TWILIO_WHATSAPP_FROM": "+14155238886",
        "TWILIO_API_BASE_URL": twilio.url,
        "TWILIO_TIMEOUT_SECONDS": "2",
        "REMINDER_LEASE_SECONDS": "5",
        "REMINDER_BATCH_SIZE": "10",
        "REMINDER_SEND_RATE": "1000",
        "WORKER_HEALTH_PORT": str(health_port),
        "LOG_FORMAT": "text",
        "LOG_LEVEL": "WARNING",
        "BCRYPT_ROUNDS": "4",
    }


def _start(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "workers.reminder_worker"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _wait(condition: object, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.1)
    return False


def _due_now(app: App, users: list[str]) -> None:
    """Schedules whose occurrence was a minute ago (inside the grace period)."""
    now = datetime.now(UTC).replace(tzinfo=None, second=0, microsecond=0) - timedelta(minutes=1)
    for user in users:
        app.reminders.create(
            user,
            ReminderSpec("mood", "whatsapp", now.strftime("%H:%M"), "0123456", "UTC"),
        )
    with app.engine.begin() as connection:  # typed, so SQLite stores it as the ORM does
        connection.execute(sa.update(ReminderSchedule).values(next_run_at=now))


@pytest.fixture(params=["sqlite", pytest.param("mysql", marks=pytest.mark.mysql)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh SQLite file, then a fresh MySQL/MariaDB database (a failure in CI if absent)."""
    if request.param == "mysql":
        return str(request.getfixturevalue("mysql_url"))
    return f"sqlite:///{tmp_path / 'worker.db'}"


def test_a_worker_killed_mid_batch_leaves_nothing_lost_or_doubled(
    tmp_path: Path, database_url: str
) -> None:
    twilio = FakeTwilio(delay=0.1).start()
    settings = make_settings(tmp_path, database_url=database_url)
    sender = TwilioWhatsAppSender(
        account_sid=twilio.account_sid,
        auth_token=twilio.auth_token,
        from_number="+14155238886",
        base_url=twilio.url,
    )
    app = build_app(settings, fake_adapters(settings, sender=sender))
    phones = [f"+4479111235{n:02d}" for n in range(USERS)]
    users = [make_user(app).id for _ in phones]
    for user, phone in zip(users, phones, strict=True):
        _link(app, twilio, user, phone)
    _due_now(app, users)

    def reminders_sent() -> int:
        return sum(1 for m in twilio.messages if "verification" not in (m.body or ""))

    first = _start(_env(app, twilio, _free_port()))
    try:
        if not _wait(lambda: reminders_sent() >= 5, 60):
            first.kill()
            pytest.fail(f"the worker sent nothing: {first.communicate()[1].decode()[-3000:]}")
        first.send_signal(signal.SIGKILL)  # mid-batch: a claim of 10, some sent
        first.wait(10)
        assert reminders_sent() < USERS
        port = _free_port()
        second = _start(_env(app, twilio, port))

        def all_settled() -> bool:
            with app.engine.connect() as connection:
                open_rows = connection.execute(
                    sa.text("SELECT COUNT(*) FROM reminder_deliveries WHERE status <> 'sent'")
                ).scalar()
            return open_rows == 0

        assert _wait(all_settled, 90)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as answer:
            assert answer.status == 200
            assert json.loads(answer.read())["ok"] is True
        second.send_signal(signal.SIGTERM)
        assert second.wait(15) == 0
    finally:
        for process in (first, locals().get("second")):
            if process is not None and process.poll() is None:
                process.kill()
        twilio.stop()
        app.engine.dispose()
    counts = [len(twilio.sent_to(p)) - 1 for p in phones]  # minus the linking code
    assert counts == [1] * USERS
