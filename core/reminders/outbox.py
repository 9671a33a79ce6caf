"""The delivery outbox: due occurrences become rows, claimed with leases, moved through states.

Shared by every worker process, so every step is one short transaction whose outcome the
database decides:
- `materialise` advances a schedule's `next_run_at` by a conditional UPDATE (only the worker
  whose UPDATE matched the old value inserts the rows) and the unique key (schedule,
  occurrence) makes a second row impossible anyway;
- `claim` takes rows by a conditional UPDATE that stamps a fresh token into `claimed_by`; the
  rows now carrying that token are this worker's, and every later change is conditional on the
  token too, so a worker whose lease expired cannot overwrite the worker that took over. No
  `SELECT ... FOR UPDATE SKIP LOCKED` (TiDB accepts it but does not honour it);
- a row claimed while `in_flight` (its worker died mid-send) or `unknown` (the provider's answer
  was lost) comes back as `unknown`: it is reconciled against the provider before any resend.

These rows hold states and times only; the text of a reminder stays sealed in its schedule and
is opened through the per-user store when it is sent.
"""

from __future__ import annotations

import logging
import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from core.db.engine import session_scope
from core.db.models import ReminderDelivery, ReminderSchedule
from core.errors import InvalidInput
from core.ports import Clock
from core.reminders.dbretry import db_retry
from core.reminders.occurrences import Recurrence

log = logging.getLogger(__name__)

D = ReminderDelivery
_CLAIMABLE_NOW = ("pending", "unknown")  # when next_attempt_at has come
_CLAIMABLE_EXPIRED = ("claimed", "in_flight")  # when their lease has run out
_MAX_BACKLOG = 50  # occurrences materialised per schedule after a long outage (older: dropped)
FINAL_STATES = frozenset({"sent", "delivered", "read", "failed", "dead", "missed", "skipped"})


@dataclass(frozen=True, slots=True)
class OutboxPolicy:
    """How long a claim lasts, how late a reminder may still go, how often it is tried."""

    lease: timedelta = timedelta(minutes=2)
    grace: timedelta = timedelta(hours=1)
    max_attempts: int = 5


@dataclass(frozen=True, slots=True)
class Claim:
    """A delivery this worker owns until `lease_expires_at`; `token` fences every change."""

    token: str
    delivery_id: str
    user_id: str
    schedule_id: str
    channel: str
    occurrence_at: datetime
    due_at: datetime
    attempts: int
    in_flight_at: datetime | None
    reconcile: bool  # it may already have been sent: ask the provider first


@dataclass(frozen=True, slots=True)
class Sent:
    """A send the provider accepted: its id, its first status, and when it answered."""

    claim: Claim
    provider_id: str | None
    provider_status: str | None
    at: datetime


class Outbox:
    """Materialise, claim and move deliveries; safe with any number of workers."""

    def __init__(self, *, engine: Engine, clock: Clock, policy: OutboxPolicy) -> None:
        self._engine = engine
        self._clock = clock
        self.policy = policy

    # --- materialise ----------------------------------------------------------------------

    def materialise(self, *, limit: int = 200) -> int:
        """Turn every occurrence now due into a delivery row; the number of rows written."""
        now = self._clock.now()
        with session_scope(self._engine) as session:
            due = session.exec(
                select(ReminderSchedule.id)
                .where(col(ReminderSchedule.active).is_(True))
                .where(col(ReminderSchedule.next_run_at) <= now)
                .limit(limit)
            ).all()
        return sum(self._materialise_one(schedule_id, now) for schedule_id in due)

    @db_retry
    def _materialise_one(self, schedule_id: str, now: datetime) -> int:
        with session_scope(self._engine) as session:
            schedule = session.get(ReminderSchedule, schedule_id)
            if schedule is None or not schedule.active or schedule.next_run_at is None:
                return 0
            start = schedule.next_run_at
            try:
                rule = recurrence_of(schedule)
            except InvalidInput:
                log.warning("schedule has an unreadable rule", extra={"schedule": schedule_id})
                return 0
            moments = list(rule.occurrences(start - timedelta(microseconds=1), now))
            advanced = session.connection().execute(
                sa.update(ReminderSchedule)
                .where(col(ReminderSchedule.id) == schedule_id)
                .where(col(ReminderSchedule.next_run_at) == start)
                .values(next_run_at=rule.next_after(now), updated_at=now)
            )
            if advanced.rowcount != 1:
                return 0  # another worker advanced it first
            for moment in moments[-_MAX_BACKLOG:]:
                session.add(self._row(schedule, rule, moment, now))
            return len(moments[-_MAX_BACKLOG:])

    def _row(
        self, schedule: ReminderSchedule, rule: Recurrence, moment: datetime, now: datetime
    ) -> ReminderDelivery:
        due = rule.due_at(moment)
        late = now - due > self.policy.grace
        return ReminderDelivery(
            user_id=schedule.user_id,
            schedule_id=schedule.id,
            channel=schedule.channel,
            occurrence_at=moment,
            due_at=due,
            next_attempt_at=due,
            status="missed" if late else "pending",
            error_code="past grace period" if late else None,
            created_at=now,
            updated_at=now,
        )

    # --- claim ----------------------------------------------------------------------------

    @db_retry
    def claim(self, worker_id: str, *, limit: int) -> list[Claim]:
        """Take up to `limit` due rows for this worker; the conditional UPDATE decides."""
        now = self._clock.now()
        token = f"{worker_id[:40]}:{uuid.uuid4().hex[:16]}"
        with session_scope(self._engine) as session:
            candidates = self._candidates(session, now, limit * 3)
            if not candidates:
                return []
            chosen = random.sample(candidates, min(limit, len(candidates)))  # fewer collisions
            session.connection().execute(
                sa.update(D)
                .where(col(D.id).in_(chosen), _claimable(now))
                .values(
                    claimed_by=token,
                    lease_expires_at=now + self.policy.lease,
                    status=sa.case(
                        (col(D.status).in_(("in_flight", "unknown")), "unknown"),
                        else_="claimed",
                    ),
                    updated_at=now,
                )
            )
        with session_scope(self._engine) as session:
            rows = session.exec(select(D).where(col(D.claimed_by) == token)).all()
        return [_claim_of(row, token) for row in rows]

    def _candidates(self, session: Session, now: datetime, limit: int) -> list[str]:
        ready = session.exec(
            select(D.id)
            .where(col(D.status).in_(_CLAIMABLE_NOW), col(D.next_attempt_at) <= now)
            .order_by(col(D.next_attempt_at))
            .limit(limit)
        ).all()
        expired = session.exec(
            select(D.id)
            .where(col(D.status).in_(_CLAIMABLE_EXPIRED), col(D.lease_expires_at) < now)
            .limit(limit)
        ).all()
        return [*ready, *expired]

    # --- transitions (each conditional on the claim's token) ------------------------------

    def release(self, claim: Claim) -> bool:
        """Hand back a claim not yet started (a worker stopping cleanly)."""
        return self._move(
            claim, ("claimed",), status="pending", claimed_by=None, lease_expires_at=None
        )

    def begin_send(self, claim: Claim) -> bool:
        """Record the send as in flight (before calling the provider); False if the claim is
        lost."""
        now = self._clock.now()
        return self._move(
            claim,
            ("claimed", "unknown"),
            status="in_flight",
            in_flight_at=now,
            attempts=D.attempts + 1,
            lease_expires_at=now + self.policy.lease,
        )

    @db_retry
    def begin_many(self, claims: Sequence[Claim]) -> list[Claim]:
        """`begin_send` for a whole batch in one transaction: every row is recorded as in
        flight (committed) before any of them is sent. Returns the claims still owned."""
        if not claims:
            return []
        now = self._clock.now()
        ids = [claim.delivery_id for claim in claims]
        tokens = {claim.token for claim in claims}
        with session_scope(self._engine) as session:
            connection = session.connection()
            connection.execute(
                sa.update(D)
                .where(col(D.id).in_(ids), col(D.claimed_by).in_(tokens))
                .where(col(D.status).in_(("claimed", "unknown")))
                .values(
                    status="in_flight",
                    in_flight_at=now,
                    attempts=D.attempts + 1,
                    lease_expires_at=now + self.policy.lease,
                    updated_at=now,
                )
            )
            owned = {
                (row_id, token)
                for row_id, token in connection.execute(
                    sa.select(D.id, D.claimed_by).where(  # type: ignore[call-overload]
                        col(D.id).in_(ids),
                        col(D.claimed_by).in_(tokens),
                        col(D.status) == "in_flight",  # a fresh claim: only this call began it
                    )
                ).all()
            }
        return [
            replace(claim, in_flight_at=now)
            for claim in claims
            if (claim.delivery_id, claim.token) in owned
        ]

    @db_retry
    def mark_sent_many(self, sent: Sequence[Sent]) -> list[bool]:
        """Record a batch of sends the provider accepted in one statement and one commit;
        each row still moves only while its claim's token holds it."""
        if not sent:
            return []
        now = self._clock.now()
        by_id = {item.claim.delivery_id: item for item in sent}

        def each(field: str) -> Any:
            return sa.case(
                {row_id: getattr(item, field) for row_id, item in by_id.items()}, value=col(D.id)
            )

        owned = sa.tuple_(col(D.id), col(D.claimed_by)).in_(
            [(item.claim.delivery_id, item.claim.token) for item in sent]
        )
        with session_scope(self._engine) as session:
            connection = session.connection()
            done = connection.execute(
                sa.update(D)
                .where(owned, col(D.status).in_(("in_flight", "unknown", "claimed")))
                .values(
                    status="sent",
                    provider_message_id=each("provider_id"),
                    provider_status=each("provider_status"),
                    sent_at=each("at"),
                    lease_expires_at=None,
                    error_code=None,
                    updated_at=now,
                )
            )
            if done.rowcount == len(by_id):
                return [True] * len(sent)
            moved = {  # some claims were lost (their lease ran out): which ones moved
                row_id
                for row_id, provider_id in connection.execute(
                    sa.select(D.id, D.provider_message_id).where(  # type: ignore[call-overload]
                        owned, col(D.status) == "sent"
                    )
                ).all()
                if provider_id == by_id[row_id].provider_id
            }
        return [item.claim.delivery_id in moved for item in sent]

    def release_unsent(self, claim: Claim) -> bool:
        """Hand back a row marked in flight whose send was never attempted (the worker is
        stopping): it is known not to be at the provider, so it needs no reconciliation."""
        return self._move(
            claim,
            ("in_flight",),
            status="pending",
            attempts=D.attempts - 1,
            in_flight_at=None,
            claimed_by=None,
            lease_expires_at=None,
        )

    def mark_sent(
        self,
        claim: Claim,
        provider_id: str | None,
        *,
        provider_status: str | None = None,
        session: Session | None = None,
    ) -> bool:
        """The provider has the message (or the in-app row is written in `session`)."""
        now = self._clock.now()
        return self._move(
            claim,
            ("in_flight", "unknown", "claimed"),
            session=session,
            status="sent",
            provider_message_id=provider_id,
            provider_status=provider_status,
            sent_at=now,
            lease_expires_at=None,
            error_code=None,
        )

    def mark_unknown(self, claim: Claim, error_code: str, *, recheck_after: timedelta) -> bool:
        """The answer was lost: look for the message at the provider after `recheck_after`."""
        now = self._clock.now()
        return self._move(
            claim,
            ("in_flight", "unknown"),
            status="unknown",
            error_code=error_code,
            next_attempt_at=now + recheck_after,
            lease_expires_at=None,
        )

    def mark_retry(self, claim: Claim, error_code: str, *, delay: timedelta) -> str:
        """Try again after `delay`, or dead-letter once `max_attempts` sends have begun.

        Returns the new state ("pending" or "dead"; "" if the claim was lost).
        """
        now = self._clock.now()
        moved = self._move(
            claim,
            ("in_flight", "unknown", "claimed"),
            status=sa.case((col(D.attempts) >= self.policy.max_attempts, "dead"), else_="pending"),
            error_code=error_code[:64],
            next_attempt_at=now + delay,
            lease_expires_at=None,
        )
        if not moved:
            return ""
        with session_scope(self._engine) as session:
            row = session.get(D, claim.delivery_id)
            return "" if row is None else row.status

    def mark_final(
        self, claim: Claim, state: str, reason: str | None = None, session: Session | None = None
    ) -> bool:
        """End the row: failed (permanent error), dead, missed or skipped."""
        if state not in FINAL_STATES:
            raise ValueError(f"not a final state: {state}")
        return self._move(
            claim,
            ("claimed", "in_flight", "unknown"),
            session=session,
            status=state,
            error_code=reason,
            lease_expires_at=None,
        )

    @db_retry
    def _move(
        self,
        claim: Claim,
        states: Sequence[str],
        *,
        session: Session | None = None,
        **values: Any,
    ) -> bool:
        statement = (
            sa.update(D)
            .where(col(D.id) == claim.delivery_id)
            .where(col(D.claimed_by) == claim.token)
            .where(col(D.status).in_(states))
            .values(updated_at=self._clock.now(), **values)
        )
        if session is not None:
            return session.connection().execute(statement).rowcount == 1
        with session_scope(self._engine) as own:
            return own.connection().execute(statement).rowcount == 1

    def owned_provider_ids(self, provider_ids: Sequence[str], *, besides: str) -> set[str]:
        """Which of `provider_ids` a delivery other than `besides` already records as its own
        (a reconciliation must not take another reminder's message for this one)."""
        with session_scope(self._engine) as session:
            rows = session.exec(
                select(D.provider_message_id).where(
                    col(D.provider_message_id).in_(list(provider_ids)), col(D.id) != besides
                )
            ).all()
        return {str(sid) for sid in rows if sid}

    # --- provider status callbacks --------------------------------------------------------

    @db_retry
    def record_provider_status(
        self, provider_id: str, status: str, error_code: str | None = None
    ) -> bool:
        """Apply a status callback to the delivery with this provider message id."""
        values: dict[str, Any] = {"provider_status": status[:16], "updated_at": self._clock.now()}
        if status in ("delivered", "read"):
            values["status"] = status
        elif status in ("failed", "undelivered"):
            values["status"] = "failed"
            values["error_code"] = (error_code or status)[:64]
        with session_scope(self._engine) as session:
            done = session.connection().execute(
                sa.update(D)
                .where(col(D.provider_message_id) == provider_id)
                .where(col(D.status).in_(("sent", "delivered", "read", "failed")))
                .values(**values)
            )
            return done.rowcount > 0


def _claimable(now: datetime) -> sa.ColumnElement[bool]:
    return sa.or_(
        sa.and_(col(D.status).in_(_CLAIMABLE_NOW), col(D.next_attempt_at) <= now),
        sa.and_(col(D.status).in_(_CLAIMABLE_EXPIRED), col(D.lease_expires_at) < now),
    )


def _claim_of(row: ReminderDelivery, token: str) -> Claim:
    return Claim(
        token=token,
        delivery_id=row.id,
        user_id=row.user_id,
        schedule_id=row.schedule_id,
        channel=row.channel,
        occurrence_at=row.occurrence_at,
        due_at=row.due_at,
        attempts=row.attempts,
        in_flight_at=row.in_flight_at,
        reconcile=row.status == "unknown",
    )


def recurrence_of(schedule: ReminderSchedule) -> Recurrence:
    """The parsed timing of a stored schedule."""
    return Recurrence.parse(
        time_of_day=schedule.time_of_day,
        days_of_week=schedule.days_of_week,
        timezone=schedule.timezone,
        quiet_start=schedule.quiet_start,
        quiet_end=schedule.quiet_end,
    )
