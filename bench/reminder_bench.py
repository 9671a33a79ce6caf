"""Reminder worker throughput, lag and exactly-once, with several worker processes.

Usage (from the repo root):

    .venv/bin/python bench/reminder_bench.py                          # SQLite, the issue's sizes
    .venv/bin/python bench/reminder_bench.py --database-url mysql+pymysql://root@127.0.0.1/test
    .venv/bin/python bench/reminder_bench.py --reminders 1000 --users 200   # quick run

Sets up USERS accounts with verified WhatsApp numbers and REMINDERS schedules (custom text, so
each message names its delivery), then starts WORKERS real worker processes
(`python -m workers.reminder_worker`) against a loopback fake of Twilio's API that answers each
create in LATENCY seconds. Once every worker answers /healthz, the due deliveries are written
with due times spread evenly over a window sized to the configured rate (RATE per worker), so
the offered load equals what the workers are configured to send; schedules fire on whole
minutes, so materialisation is not what is timed here (tests cover it).

Lag is `sent_at - due_at`: from the moment a delivery was due to the moment the provider
accepted it (the worker records the time of the provider's answer). With the due times spread
at the configured rate, p99 <= 5 s means the workers keep up with what they are configured to
send, with at most 5 s of queueing, claiming and sending. `--burst` makes everything due at
once instead: then throughput is the most the workers send, and lag is mostly queueing.

On MySQL/MariaDB a fresh database `reminder_bench_<random>` is created on the server named by
the URL and dropped afterwards.

Prints throughput (messages/s), lag from due time to sent (p50, p99), and how many deliveries
went exactly once, twice or more, or were lost, against the goals: 0 twice, 0 lost, p99 <= 5 s,
with the machine's load average (other work running) at the start and the end.
"""

from __future__ import annotations

import argparse
import base64
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.adapters import SystemClock  # noqa: E402
from core.bootstrap import App, bootstrap, load_settings, prepare_database  # noqa: E402
from core.db.models import ReminderDelivery, ReminderSchedule, WhatsAppLink, new_id  # noqa: E402
from core.timeutil import utcnow  # noqa: E402
from tests.fakes.adapters import fake_adapters  # noqa: E402
from tests.fakes.twilio_server import FakeTwilio  # noqa: E402

GOAL_P99_SECONDS = 5.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _settings(args: argparse.Namespace, folder: Path) -> dict[str, str]:
    return {
        "APP_ENV": "test",
        "RUNTIME_DIR": str(folder / "var"),
        "DATABASE_URL": args.database_url or f"sqlite:///{folder / 'bench.db'}",
        "MASTER_KEY": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "COOKIE_KEY": secrets.token_urlsafe(48),
        "BCRYPT_ROUNDS": "4",
        "LOG_FORMAT": "text",
        "LOG_LEVEL": "ERROR",
        "OLLAMA_WARM_UP": "false",
        "KNOWLEDGE_WARM_UP": "false",
        "REMINDER_SEND_RATE": str(args.rate),
        "REMINDER_SEND_THREADS": str(args.threads),
        "REMINDER_BATCH_SIZE": str(args.batch),
        "REMINDER_GRACE_MINUTES": "60",
    }


def _fresh_mysql_database(url: str) -> tuple[str, Callable[[], None]]:
    """A new empty database on the server of `url`, and how to drop it."""
    server = sa.engine.make_url(url)
    name = f"reminder_bench_{secrets.token_hex(6)}"
    admin = sa.create_engine(server.set(database=""))
    with admin.begin() as connection:
        connection.execute(sa.text(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4"))

    def drop() -> None:
        with admin.begin() as connection:
            connection.execute(sa.text(f"DROP DATABASE IF EXISTS `{name}`"))
        admin.dispose()

    return server.set(database=name).render_as_string(hide_password=False), drop


def _build(env: dict[str, str]) -> App:
    os.environ.update(env)
    settings = load_settings()
    app = bootstrap(settings, fake_adapters(settings, clock=SystemClock()))
    prepare_database(app)
    return app


def _populate(app: App, users: int, reminders: int) -> list[str]:
    """Accounts, verified links and schedules; returns the schedule ids."""
    now = utcnow()
    schedule_ids: list[str] = []
    for n in range(users):
        user = app.auth.register(username=f"bench{n}", password="quiet river lantern 42")
        with app.store.unit(user.id) as unit:
            phone = f"+4479{n:08d}"
            link = WhatsAppLink(
                user_id=user.id, phone_lookup=app.whatsapp.lookup(phone), verified_at=now
            )
            unit.seal(link, "phone_ct", phone)
            unit.add(link)
            for k in range(reminders // users + (1 if n < reminders % users else 0)):
                row = ReminderSchedule(
                    user_id=user.id, kind="custom", channel="whatsapp", time_of_day="03:00",
                    days_of_week="0123456", timezone="UTC", active=True, next_run_at=None,
                )  # fmt: skip
                unit.seal(row, "message_ct", f"bench reminder {row.id} ({k})")
                unit.add(row)
                schedule_ids.append(row.id)
        if n and n % 500 == 0:
            print(f"  {n} users set up", flush=True)  # noqa: T201
    return schedule_ids


def _make_due(app: App, window: float) -> int:
    """One delivery per schedule, due times spread evenly over `window` seconds from now."""
    start = utcnow() + timedelta(seconds=1)
    with app.engine.begin() as connection:
        schedules = connection.execute(
            sa.select(ReminderSchedule.id, ReminderSchedule.user_id)  # type: ignore[call-overload]
        ).all()
        step = window / max(1, len(schedules))
        rows = []
        for index, (schedule_id, user_id) in enumerate(schedules):
            due = start + timedelta(seconds=index * step)
            rows.append(
                {
                    "id": new_id(),
                    "user_id": user_id,
                    "schedule_id": schedule_id,
                    "channel": "whatsapp",
                    "occurrence_at": due,
                    "due_at": due,
                    "next_attempt_at": due,
                    "status": "pending",
                    "attempts": 0,
                    "created_at": start,
                    "updated_at": start,
                }
            )
        for chunk in range(0, len(rows), 1000):
            connection.execute(sa.insert(ReminderDelivery), rows[chunk : chunk + 1000])
    return len(rows)


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
            return bool(answer.status == 200)
    except OSError:
        return False


def _settled(app: App) -> int:
    with app.engine.connect() as connection:
        return int(
            connection.execute(
                sa.text(
                    "SELECT COUNT(*) FROM reminder_deliveries WHERE status NOT IN "
                    "('sent', 'failed', 'dead', 'missed', 'skipped')"
                )
            ).scalar_one()
        )


def _lags(app: App) -> list[float]:
    with app.engine.connect() as connection:
        rows = connection.execute(
            sa.text("SELECT due_at, sent_at FROM reminder_deliveries WHERE status = 'sent'")
        ).all()
    return [(_as_dt(sent) - _as_dt(due)).total_seconds() for due, sent in rows]


def _as_dt(value: object) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def run(args: argparse.Namespace) -> None:
    """Set up, run the workers, print the figures."""
    folder = Path(tempfile.mkdtemp(prefix="reminder-bench-"))
    drop: Callable[[], None] = lambda: None  # noqa: E731
    if args.database_url.startswith("mysql"):
        args.database_url, drop = _fresh_mysql_database(args.database_url)
    load_before = os.getloadavg()
    twilio = FakeTwilio(delay=args.latency).start()
    env = _settings(args, folder) | {
        "TWILIO_ACCOUNT_SID": twilio.account_sid,
        "TWILIO_AUTH_TOKEN": twilio.auth_token,
        "TWILIO_WHATSAPP_FROM": "+14155238886",
        "TWILIO_API_BASE_URL": twilio.url,
    }
    app = _build(env)
    backend = app.engine.dialect.name
    print(
        f"backend {backend}: setting up {args.users} users, {args.reminders} reminders", flush=True
    )  # noqa: T201,E501
    _populate(app, args.users, args.reminders)
    ports = [_free_port() for _ in range(args.workers)]
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "workers.reminder_worker"],
            cwd=ROOT,
            env=os.environ | env | {"WORKER_HEALTH_PORT": str(port)},
        )
        for port in ports
    ]
    try:
        deadline = time.monotonic() + 300
        while not all(_healthy(p) for p in ports):
            if time.monotonic() > deadline:
                raise SystemExit("workers did not start")
            time.sleep(0.5)
        window = 0.0 if args.burst else args.reminders / (args.rate * args.workers)
        total = _make_due(app, window)
        started = time.monotonic()
        while _settled(app) and time.monotonic() - started < window + args.timeout:
            time.sleep(0.5)
        elapsed = time.monotonic() - started
    finally:
        for process in workers:
            process.terminate()
        for process in workers:
            process.wait(30)
        twilio.stop()
    bodies = Counter(m.body for m in twilio.messages)
    with app.engine.connect() as connection:
        statuses = Counter(
            status
            for (status,) in connection.execute(
                sa.text("SELECT status FROM reminder_deliveries")
            ).all()
        )
    once = sum(1 for count in bodies.values() if count == 1)
    twice = sum(1 for count in bodies.values() if count > 1)
    lost = total - len(bodies)
    lags = sorted(_lags(app))
    p50 = statistics.median(lags) if lags else float("nan")
    p99 = lags[int(0.99 * (len(lags) - 1))] if lags else float("nan")
    throughput = len(twilio.messages) / elapsed
    configured = args.rate * args.workers
    load_after = os.getloadavg()
    spread = (
        "all at once (--burst)"
        if args.burst
        else f"spread evenly over {window:.0f} s (the configured rate)"
    )
    print(  # noqa: T201
        f"\n{backend}: {total} reminders, {args.users} users, {args.workers} workers, "
        f"fake Twilio {args.latency * 1000:.0f} ms, rate {args.rate:g}/s per worker "
        f"({configured:g}/s in all), {args.threads} send threads each\n"
        f"  due times       {spread}\n"
        f"  throughput      {throughput:8.1f} messages/s "
        f"(ratio to the configured {configured:g}/s: {throughput / configured:.2f})\n"
        f"  lag p50 / p99   {p50:8.2f} s / {p99:.2f} s   (due -> accepted by the provider; "
        f"goal p99 <= {GOAL_P99_SECONDS:g} s: {'met' if p99 <= GOAL_P99_SECONDS else 'NOT met'}, "
        f"ratio {p99 / GOAL_P99_SECONDS:.2f})\n"
        f"  sent once       {once}\n"
        f"  sent twice+     {twice}   (goal 0)\n"
        f"  lost            {lost}   (goal 0)\n"
        f"  row states      {dict(statuses)}\n"
        f"  load average    {load_before[0]:.2f} before, {load_after[0]:.2f} after "
        f"({os.cpu_count()} cores; other work on the machine included)"
    )
    app.engine.dispose()
    drop()


def main() -> None:
    """Parse the arguments and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument("--reminders", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--latency", type=float, default=0.05, help="fake Twilio answer time (s)")
    parser.add_argument(
        "--rate", type=float, default=20.0, help="sends/s per worker (REMINDER_SEND_RATE's default)"
    )
    parser.add_argument("--burst", action="store_true", help="everything due at once")
    parser.add_argument("--threads", type=int, default=8, help="sends in flight per worker")
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--timeout", type=float, default=120.0, help="extra seconds to wait")
    parser.add_argument("--database-url", default="", help="default: a fresh SQLite file")
    run(parser.parse_args())


if __name__ == "__main__":
    main()
