"""The reminder worker: `python -m workers.reminder_worker` (or `make worker`).

Each tick (the `schedule` library, every REMINDER_TICK_SECONDS) it materialises due
occurrences, claims a batch with a lease and sends it at a steady rate. Everything it must
remember is in the database, so any number of workers can run and a restart loses nothing.
SIGTERM (or SIGINT) stops it after the send in progress; claims not yet started are handed
back. /healthz on WORKER_HEALTH_PORT answers 200 while ticks keep coming.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from types import FrameType
from typing import Any

import schedule
import sqlalchemy as sa

from core.bootstrap import App, load_settings, start_app
from core.reminders.dispatch import Dispatcher, DispatchPolicy
from core.reminders.outbox import Claim
from core.reminders.pacing import Pacer
from workers.health import HealthServer

log = logging.getLogger(__name__)

TRIGGER_MINUTES = 15  # gentle nudges need no precision; at most one a day per person


class ReminderWorker:
    """One worker process's loop, built on one app."""

    def __init__(self, app: App, *, worker_id: str | None = None) -> None:
        settings = app.settings
        self.app = app
        self.worker_id = worker_id or f"{socket.gethostname()}:{os.getpid()}"
        self.batch_size = settings.reminder_batch_size
        self.threads = settings.reminder_send_threads
        self._count_lock = threading.Lock()
        self._busy = False
        self.stopping = threading.Event()
        self.counts: Counter[str] = Counter()
        self.last_tick: datetime | None = None
        self.dispatcher = Dispatcher(
            outbox=app.outbox,
            store=app.store,
            links=app.whatsapp,
            sender=app.sender,
            mailer=app.mailer,
            clock=app.clock,
            pacer=Pacer(settings.reminder_send_rate),
            settings=DispatchPolicy(
                reminder_content_sid=settings.twilio_reminder_content_sid,
                recheck_after=timedelta(seconds=settings.twilio_timeout_seconds + 20),
            ),
        )

    def tick(self) -> int:
        """One round: materialise, claim a batch, send it. Returns the rows handled."""
        self.app.outbox.materialise()
        claims = self.app.outbox.claim(self.worker_id, limit=self.batch_size)
        if self.threads > 1 and len(claims) > 1:
            with ThreadPoolExecutor(self.threads, thread_name_prefix="send") as pool:
                handled = sum(pool.map(self._handle, claims))
        else:
            handled = sum(self._handle(claim) for claim in claims)
        self.last_tick = self.app.clock.now()
        return handled

    def _handle(self, claim: Claim) -> int:
        if self.stopping.is_set():
            self.app.outbox.release(claim)
            return 0
        try:
            outcome = self.dispatcher.handle(claim)
        except Exception:  # one bad row must not stop the others; its lease expires
            log.exception("delivery failed", extra={"delivery": claim.delivery_id})
            outcome = "error"
        with self._count_lock:
            self.counts[outcome] += 1
        return 1

    def drain(self) -> None:
        """Tick until nothing is claimable (tests and the benchmark)."""
        while self.tick() and not self.stopping.is_set():
            pass

    def run(self, tick_seconds: int) -> None:
        """Tick on a schedule until `stopping` is set."""
        scheduler = schedule.Scheduler()
        scheduler.every(tick_seconds).seconds.do(self._safe_tick)
        scheduler.every(TRIGGER_MINUTES).minutes.do(self._safe_triggers)
        self._safe_tick()
        while not self.stopping.is_set():
            if self._busy:  # a full batch: more may be waiting, take it now
                self._safe_tick()
                continue
            scheduler.run_pending()
            idle = scheduler.idle_seconds
            self.stopping.wait(max(0.0, idle if idle is not None else tick_seconds))
        log.info("reminder worker stopped", extra={"counts": dict(self.counts)})

    def health(self) -> tuple[bool, dict[str, Any]]:
        """Healthy when a tick ended recently and the database answers."""
        with self.app.engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
        stale = timedelta(seconds=max(30.0, self.app.settings.reminder_tick_seconds * 10))
        recent = self.last_tick is not None and self.app.clock.now() - self.last_tick < stale
        return recent, {"worker": self.worker_id, "last_tick": self.last_tick, **self.counts}

    def _safe_triggers(self) -> None:
        try:
            self.counts["nudge"] += self.app.triggers.run()
        except Exception:
            log.exception("trigger run failed")

    def _safe_tick(self) -> None:
        try:
            self._busy = self.tick() >= self.batch_size
        except Exception:  # the database may be away for a moment; the next tick retries
            self._busy = False
            log.exception("reminder tick failed")


def main() -> None:
    """Start the worker: app through core.bootstrap, health port, SIGTERM handling."""
    # The worker never talks to the language model or the knowledge index: don't warm them.
    app = start_app(
        load_settings(ollama_warm_up=False, knowledge_warm_up=False, emotion_warm_up=False)
    )
    worker = ReminderWorker(app)

    def stop(signum: int, _frame: FrameType | None) -> None:
        log.info("stopping on signal", extra={"signal": signum})
        worker.stopping.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    health = HealthServer(worker.health, port=app.settings.worker_health_port).start()
    log.info("reminder worker started", extra={"worker": worker.worker_id, "port": health.port})
    try:
        worker.run(app.settings.reminder_tick_seconds)
    finally:
        health.stop()
        app.engine.dispose()


if __name__ == "__main__":
    main()
