"""The reminder worker: `python -m workers.reminder_worker` (or `make worker`).

Each tick (the `schedule` library, every REMINDER_TICK_SECONDS; continuously while sends are
under way) it materialises due occurrences, claims a batch with a lease, records it as in
flight and sends it through a small thread pool at a steady rate (REMINDER_SEND_RATE per
worker), recording the results a batch at a time. Everything it must
remember is in the database, so any number of workers can run and a restart loses nothing.
SIGTERM (or SIGINT) stops it after the send in progress; claims not yet started are handed
back. /healthz on WORKER_HEALTH_PORT answers 200 while ticks keep coming.
"""

from __future__ import annotations

import logging
import math
import os
import signal
import socket
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from types import FrameType
from typing import Any

import schedule
import sqlalchemy as sa

from core.bootstrap import App, load_settings, start_app
from core.reminders.dispatch import Dispatcher, DispatchPolicy, SendJob, SendResult
from core.reminders.pacing import Pacer
from workers.health import HealthServer

log = logging.getLogger(__name__)

TRIGGER_MINUTES = 15  # gentle nudges need no precision; at most one a day per person
LOOKAHEAD = 1.0  # seconds of sends (at the configured rate) a worker claims ahead
FLUSH_SECONDS = 0.5  # longest a finished send waits to be recorded (its sent_at is exact)
POLL_SECONDS = 0.05  # while sends are under way


class ReminderWorker:
    """One worker process's loop, built on one app.

    Sends go through a small pool of threads, each waiting for its slot at the configured
    rate; the worker claims only what it can send in about LOOKAHEAD seconds, so a claimed
    row waits little and a stopped worker holds little. Results are recorded a batch at a
    time (a commit per batch, not per message)."""

    def __init__(self, app: App, *, worker_id: str | None = None) -> None:
        settings = app.settings
        self.app = app
        self.worker_id = worker_id or f"{socket.gethostname()}:{os.getpid()}"
        self.batch_size = settings.reminder_batch_size
        self.threads = settings.reminder_send_threads
        self.capacity = max(self.threads, math.ceil(settings.reminder_send_rate * LOOKAHEAD))
        self._lock = threading.Lock()
        self._pending = 0  # jobs handed to the pool, not yet finished
        self._results: list[SendResult] = []
        self._oldest_result = 0.0
        self._pool: ThreadPoolExecutor | None = None
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

    @property
    def limit(self) -> int:
        """The most rows held at once: a batch, or what the rate sends in LOOKAHEAD seconds."""
        return max(1, min(self.batch_size, self.capacity))

    def tick(self) -> int:
        """One round: record finished sends; when the pool runs low, materialise, claim and
        start a batch. Returns the rows claimed."""
        self._flush()
        with self._lock:
            pending = self._pending
        if pending > self.limit // 2 or self.stopping.is_set():
            return 0
        self.app.outbox.materialise()
        claims = self.app.outbox.claim(self.worker_id, limit=self.limit - pending)
        if claims:
            jobs, outcomes = self.dispatcher.start(claims)
            self._count(outcomes)
            for job in jobs:
                self._submit(job)
        self.last_tick = self.app.clock.now()
        return len(claims)

    def _submit(self, job: SendJob) -> None:
        if self.threads <= 1:
            self._collect(self.dispatcher.send(job, self.stopping))
            return
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="send")
        with self._lock:
            self._pending += 1
        self._pool.submit(self._send, job)

    def _send(self, job: SendJob) -> None:
        try:
            result = self.dispatcher.send(job, self.stopping)
        except Exception:  # not a delivery error: leave the row in flight (reconciled later)
            log.exception("send failed", extra={"delivery": job.claim.delivery_id})
            result = None
        with self._lock:
            self._pending -= 1
        if result is not None:
            self._collect(result)

    def _collect(self, result: SendResult) -> None:
        with self._lock:
            if not self._results:
                self._oldest_result = time.monotonic()
            self._results.append(result)

    def _flush(self, *, force: bool = False) -> None:
        """Record finished sends: when half a batch is waiting, one waited FLUSH_SECONDS, or
        nothing is left in the pool."""
        with self._lock:
            due = (
                force
                or self._pending == 0
                or len(self._results) >= self.limit // 2
                or time.monotonic() - self._oldest_result >= FLUSH_SECONDS
            )
            if not due or not self._results:
                return
            results, self._results = self._results, []
        self._count(self.dispatcher.finish(results))

    def _count(self, outcomes: Counter[str]) -> None:
        with self._lock:
            self.counts.update(outcomes)

    @property
    def pending(self) -> int:
        """Sends handed to the pool and not yet finished."""
        with self._lock:
            return self._pending

    def wait_idle(self) -> None:
        """Let every send in the pool finish and record it."""
        while self.pending:
            time.sleep(0.005)
        self._flush(force=True)

    def drain(self) -> None:
        """Tick until nothing is claimable and nothing is in flight (tests, the benchmark)."""
        while not self.stopping.is_set():
            claimed = self.tick()
            if claimed:
                continue
            if self.pending:
                time.sleep(0.005)
                continue
            self._flush(force=True)
            if not self.tick():
                break
        self.wait_idle()

    def run(self, tick_seconds: int) -> None:
        """Tick on a schedule until `stopping` is set; then finish what is in the pool."""
        scheduler = schedule.Scheduler()
        scheduler.every(tick_seconds).seconds.do(self._safe_tick)
        scheduler.every(TRIGGER_MINUTES).minutes.do(self._safe_triggers)
        self._safe_tick()
        while not self.stopping.is_set():
            if self._busy or self.pending:  # sends under way or more waiting: keep up
                self._safe_tick()
                self.stopping.wait(POLL_SECONDS)
                continue
            scheduler.run_pending()
            idle = scheduler.idle_seconds
            self.stopping.wait(max(0.0, idle if idle is not None else tick_seconds))
        try:
            self.wait_idle()  # unsent jobs come back `unsent` and are handed back
        finally:
            if self._pool is not None:
                self._pool.shutdown(wait=True)
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
            self._busy = self.tick() >= self.limit // 2
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
