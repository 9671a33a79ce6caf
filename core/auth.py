"""Accounts: registration, login with a database-backed lockout, and server-side revocation.

streamlit-authenticator's own failed-login counter lives in one browser session and is only
checked after a correct password, and its cookie stays valid after logout. So the counter, the
lock and the revocation list live here, in the database, and hold across app replicas.

The lockout counts every login attempt per username typed, known or not, *before* the password
is checked (bcrypt takes about 250 ms), with one conditional UPDATE: however many replicas and
threads try at once, a name gets at most `lockout_threshold` password checks per lock, and an
unknown name answers exactly like a known one. There is no per-client (IP) limit here: core does
not see the client's address; a reverse proxy in front of the app is the place for one.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.dialects.mysql import insert as mysql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, SQLModel, col, delete, select, update

from core.audit import AuditAction, record
from core.db.engine import session_scope
from core.db.models import (
    USER_OWNED_TABLES,
    LoginSession,
    LoginThrottle,
    User,
    UserPreferences,
)
from core.errors import InvalidInput
from core.keyring import KeyRing
from core.passwords import (
    MAX_PASSWORD_LENGTH,
    MAX_USERNAME_LENGTH,
    PasswordHasher,
    canonical_username,
    check_password_policy,
    stored_username_key,
)
from core.ports import Clock
from core.timeutil import from_timestamp

log = logging.getLogger(__name__)

_MAX_DISPLAY_NAME = 80
# last_seen_at is written at most this often, so a busy session is not a write per rerun.
_LAST_SEEN_GRANULARITY = timedelta(seconds=60)
_THROTTLE = SQLModel.metadata.tables[str(LoginThrottle.__tablename__)]  # for Core statements


class AuthError(Exception):
    """A login or account problem; `str(error)` is a kind message for the person."""


class InvalidCredentials(AuthError):
    """Wrong username or password (deliberately not saying which)."""


class AccountLocked(AuthError):
    """Too many failed logins; carries when the lock ends."""

    def __init__(self, until: datetime, now: datetime) -> None:
        minutes = max(1, round((until - now).total_seconds() / 60))
        super().__init__(
            "For your safety this account is locked after several failed logins. "
            f"Please try again in about {minutes} minute{'s' if minutes != 1 else ''}."
        )
        self.until = until


class UsernameTaken(AuthError):
    """Registration with a name that exists (compared case-insensitively)."""


@dataclass(frozen=True, slots=True)
class AuthUser:
    """Who is logged in."""

    id: str
    username: str
    display_name: str


def session_fingerprint(user_id: str, cookie_expiry: float) -> str:
    """A stable id for one login, derived from what its cookie carries (user, expiry)."""
    return hashlib.sha256(f"companion/session|{user_id}|{cookie_expiry:.6f}".encode()).hexdigest()


class AuthService:
    """Every account operation; all state is in the database."""

    def __init__(
        self,
        *,
        engine: Engine,
        keyring: KeyRing,
        hasher: PasswordHasher,
        lockout_threshold: int,
        lockout_minutes: float,
        idle_minutes: float = 30.0,
        default_region: str = "US",
        clock: Clock,
    ) -> None:
        self._engine = engine
        self._keyring = keyring
        self._hasher = hasher
        self._threshold = lockout_threshold
        self._lock_for = timedelta(minutes=lockout_minutes)
        self._idle_for = timedelta(minutes=idle_minutes)
        self._default_region = default_region
        self._clock = clock
        self._next_purge: datetime | None = None

    # --- registration and login -------------------------------------------------------------

    def register(self, *, username: str, password: str, display_name: str = "") -> AuthUser:
        """Create an account with its data key; raise InvalidInput or UsernameTaken."""
        canonical = canonical_username(username)
        name = clean_display_name(display_name) or username.strip()
        check_password_policy(password, username=canonical, display_name=name)
        user = User(
            username=username.strip(),
            username_canonical=canonical,
            password_hash=self._hasher.hash(password),
        )
        try:
            with session_scope(self._engine) as session:
                if _find_user(session, canonical) is not None:
                    raise UsernameTaken("That username is taken. Please choose another.")
                session.add(user)
                session.flush()
                session.add(
                    UserPreferences(user_id=user.id, display_name=name, region=self._default_region)
                )
                self._keyring.create_user_key(session=session, user_id=user.id)
                record(session, AuditAction.REGISTERED, user_id=user.id)
        except sa.exc.IntegrityError as exc:  # a concurrent registration won the race
            raise UsernameTaken("That username is taken. Please choose another.") from exc
        return AuthUser(id=user.id, username=user.username, display_name=name)

    def login(self, *, username: str, password: str) -> AuthUser:
        """Check a password, counting the attempt first; raise AuthError on refusal.

        Known and unknown names are answered alike: the same messages, the same lockout.
        """
        try:
            canonical: str | None = canonical_username(username)
        except InvalidInput:  # a name that can't exist (e.g. full-width) just doesn't match
            canonical = None
        if not isinstance(password, str) or len(password) > MAX_PASSWORD_LENGTH:
            password = ""
        now = self._clock.now()
        self._purge_old_counts(now)
        key = _throttle_key(canonical, username)
        with session_scope(self._engine) as session:
            # Committed before the password is checked, so parallel attempts see this one.
            locks_at = self._count_attempt(session.connection(), key, now)
            user = _find_user(session, canonical) if canonical else None
        matches, new_hash = self._hasher.verify_and_update(
            password, user.password_hash if user else None
        )
        if matches and user is not None:
            logged_in = self._logged_in(user, key=key, new_hash=new_hash, now=now)
            if logged_in is not None:
                return logged_in
        with session_scope(self._engine) as session:
            user_id, detail = (user.id, "") if user else (None, "unknown user")
            record(session, AuditAction.LOGIN_FAILED, user_id=user_id, detail=detail)
            if locks_at is not None:
                record(session, AuditAction.LOCKOUT, user_id=user_id, detail=detail)
        if locks_at is not None:  # this failure was the last one allowed
            raise AccountLocked(locks_at, now)
        raise InvalidCredentials("That username and password don't match. Please try again.")

    def _count_attempt(self, connection: Connection, key: str, now: datetime) -> datetime | None:
        """Count one attempt on `key`; raise AccountLocked if it's over the threshold.

        Returns when the lock will end if this attempt is the last one allowed (it still gets its
        password check; a success lifts the lock), else None.
        """
        row = _THROTTLE.c
        connection.execute(_insert_if_missing(connection, key, now))
        # A lock that has ended, or failures older than a lock's length, start a new count.
        connection.execute(
            sa.update(_THROTTLE)
            .where(
                row.name_hash == key,
                sa.or_(
                    row.locked_until <= now,
                    sa.and_(
                        row.locked_until.is_(None), row.window_started_at <= now - self._lock_for
                    ),
                ),
            )
            .values(attempts=0, window_started_at=now, locked_until=None)
        )
        # The count: atomic, and only while unlocked. MySQL evaluates SET from left to right with
        # the new values, so `locked_until` goes first to read the old `attempts` (as SQLite does).
        counted = connection.execute(
            sa.update(_THROTTLE)
            .where(row.name_hash == key, row.locked_until.is_(None))
            .ordered_values(
                (
                    row.locked_until,
                    sa.case(
                        (
                            row.attempts + 1 >= self._threshold,
                            sa.literal(now + self._lock_for, row.locked_until.type),
                        ),
                        else_=sa.null(),
                    ),
                ),
                (row.attempts, row.attempts + 1),
            )
        )
        locked_until = connection.execute(
            sa.select(row.locked_until).where(row.name_hash == key)
        ).scalar_one()
        if counted.rowcount == 0:
            raise AccountLocked(locked_until, now)
        return cast(datetime | None, locked_until)

    def _logged_in(
        self, user: User, *, key: str, new_hash: str | None, now: datetime
    ) -> AuthUser | None:
        """Record a login whose password matched; None if the password (or the account) changed
        while it was being checked."""
        with session_scope(self._engine) as session:
            values: dict[str, Any] = {"last_login_at": now}
            if new_hash is not None:  # a hash from before passwords were normalised: replace it
                values["password_hash"] = new_hash
            # Only if the hash checked is still the account's: a password changed meanwhile is
            # neither undone nor bypassed.
            still = session.connection().execute(
                sa.update(User)
                .where(col(User.id) == user.id, col(User.password_hash) == user.password_hash)
                .values(**values)
            )
            if still.rowcount == 0:
                return None
            session.execute(sa.delete(_THROTTLE).where(_THROTTLE.c.name_hash == key))
            record(session, AuditAction.LOGIN, user_id=user.id)
            return self._auth_user(session, user)

    def _purge_old_counts(self, now: datetime) -> None:
        # Counts whose window and lock are over mean nothing; dropping them keeps the table small
        # however many names are tried. At most once per lock length per process; best effort.
        if self._next_purge is not None and now < self._next_purge:
            return
        self._next_purge = now + self._lock_for
        row = _THROTTLE.c
        try:
            with session_scope(self._engine) as session:
                if self._engine.dialect.name in ("mysql", "mariadb"):
                    # No gap locks on the range scanned, so it can't deadlock with a count.
                    session.connection(execution_options={"isolation_level": "READ COMMITTED"})
                session.execute(
                    sa.delete(_THROTTLE).where(
                        row.window_started_at <= now - self._lock_for,
                        sa.or_(row.locked_until.is_(None), row.locked_until <= now),
                    )
                )
        except sa.exc.DBAPIError:
            log.warning("old login counts not purged this time", exc_info=True)

    # --- sessions -----------------------------------------------------------------------------

    def start_session(
        self, *, user_id: str, cookie_expiry: float, login_id: str | None = None
    ) -> None:
        """Register a login whose cookie expires at `cookie_expiry` (POSIX seconds).

        Every cookie written for one browser login carries the same `login_id`, so logging
        out ends them all, even the ones this browser no longer holds.
        """
        now = self._clock.now()
        with session_scope(self._engine) as session:
            session.exec(
                delete(LoginSession).where(
                    col(LoginSession.user_id) == user_id, col(LoginSession.expires_at) < now
                )
            )
            fingerprint = session_fingerprint(user_id, cookie_expiry)
            if session.get(LoginSession, fingerprint) is None:
                session.add(
                    LoginSession(
                        id=fingerprint,
                        user_id=user_id,
                        login_id=login_id,
                        issued_at=now,
                        last_seen_at=now,
                        expires_at=from_timestamp(cookie_expiry),
                    )
                )

    def check_session(self, *, user_id: str, cookie_expiry: float) -> AuthUser | None:
        """The user if this login is still valid: known, not revoked, not idle, not expired,
        and not older than the last password change or "log out everywhere"."""
        now = self._clock.now()
        with session_scope(self._engine) as session:
            login = session.get(LoginSession, session_fingerprint(user_id, cookie_expiry))
            user = session.get(User, user_id)
            if login is None or user is None or login.user_id != user_id:
                return None
            if login.revoked_at is not None or login.expires_at <= now:
                return None
            if login.issued_at < user.sessions_valid_after:
                return None
            if now - login.last_seen_at > self._idle_for:
                login.revoked_at, login.revoke_reason = now, "idle"
                session.add(login)
                record(session, AuditAction.IDLE_LOGOUT, user_id=user_id)
                return None
            if now - login.last_seen_at > _LAST_SEEN_GRANULARITY:
                login.last_seen_at = now
                session.add(login)
            return self._auth_user(session, user)

    def end_session(self, *, user_id: str, cookie_expiries: Iterable[float]) -> None:
        """Log one browser's login out for good: its cookies are refused from now on.

        A browser may have been sent more than one cookie while logging in; all of them end.
        """
        now = self._clock.now()
        with session_scope(self._engine) as session:
            fingerprints = {session_fingerprint(user_id, expiry) for expiry in cookie_expiries}
            logins = [
                login
                for fingerprint in fingerprints
                if (login := session.get(LoginSession, fingerprint)) is not None
                and login.user_id == user_id
            ]
            families = {login.login_id for login in logins if login.login_id}
            siblings = session.exec(
                select(LoginSession).where(
                    col(LoginSession.user_id) == user_id,
                    col(LoginSession.login_id).in_(families),
                )
            ).all()
            for login in [*logins, *siblings]:
                if login.revoked_at is None:
                    login.revoked_at, login.revoke_reason = now, "logout"
                    session.add(login)
            record(session, AuditAction.LOGOUT, user_id=user_id)

    def user_for_username(self, username: str) -> AuthUser | None:
        """Look a user up by name (a login cookie names the user)."""
        # The name comes from a cookie this app signed, so it is the name stored at registration,
        # which for accounts older than the ASCII rule may be full-width: look it up as stored.
        if not isinstance(username, str) or len(username) > 4 * MAX_USERNAME_LENGTH:
            return None
        with session_scope(self._engine) as session:
            user = _find_user(session, stored_username_key(username))
            return None if user is None else self._auth_user(session, user)

    def logout_everywhere(self, *, user_id: str) -> None:
        """Invalidate every login of this user issued until now."""
        with session_scope(self._engine) as session:
            self._revoke_all(session, user_id, "everywhere")
            record(session, AuditAction.SESSIONS_REVOKED, user_id=user_id)

    def _revoke_all(self, session: Session, user_id: str, reason: str) -> None:
        now = self._clock.now()
        session.exec(update(User).where(col(User.id) == user_id).values(sessions_valid_after=now))
        session.exec(
            update(LoginSession)
            .where(col(LoginSession.user_id) == user_id, col(LoginSession.revoked_at).is_(None))
            .values(revoked_at=now, revoke_reason=reason)
        )

    def change_password(
        self,
        *,
        user_id: str,
        current_password: str,
        new_password: str,
        keep_cookie_expiry: float | None = None,
    ) -> None:
        """Set a new password and log out every other login.

        `keep_cookie_expiry` is this browser's cookie: its login stays valid (issued anew), so a
        reload right after the change doesn't log the person out here.
        """
        with session_scope(self._engine) as session:
            user = session.get(User, user_id)
            if user is None or not self._hasher.verify(current_password, user.password_hash):
                raise InvalidCredentials("Your current password isn't right.")
            prefs = session.get(UserPreferences, user_id)
            check_password_policy(
                new_password,
                username=user.username_canonical,
                display_name=prefs.display_name if prefs else "",
            )
            if self._hasher.verify(new_password, user.password_hash):
                raise InvalidInput("Please choose a password different from your current one.")
            user.password_hash = self._hasher.hash(new_password)
            user.password_changed_at = self._clock.now()
            session.add(user)
            session.flush()
            self._revoke_all(session, user_id, "password")
            if keep_cookie_expiry is not None:
                here = session_fingerprint(user_id, keep_cookie_expiry)
                kept = session.get(LoginSession, here)
                revoked_now = kept is not None and kept.revoke_reason == "password"
                if kept is not None and kept.user_id == user_id and revoked_now:
                    kept.revoked_at, kept.revoke_reason = None, None
                    kept.issued_at = self._clock.now()
                    session.add(kept)
            record(session, AuditAction.PASSWORD_CHANGED, user_id=user_id)

    def delete_account(self, *, user_id: str, password: str) -> None:
        """Delete every row the user owns, their data key first; needs their password."""
        with session_scope(self._engine) as session:
            user = session.get(User, user_id)
            if user is None or not self._hasher.verify(password, user.password_hash):
                raise InvalidCredentials("That password isn't right, so nothing was deleted.")
            erase_user(session, user_id)
            record(session, AuditAction.ACCOUNT_DELETED, user_id=user_id)
        log.info("account deleted", extra={"user_id": user_id})

    def _auth_user(self, session: Session, user: User) -> AuthUser:
        prefs = session.get(UserPreferences, user.id)
        name = prefs.display_name if prefs and prefs.display_name else user.username
        return AuthUser(id=user.id, username=user.username, display_name=name)


def erase_user(session: Session, user_id: str) -> None:
    """Delete every row the user owns, data key included (so nothing left can be decrypted)."""
    for table, owner_column in USER_OWNED_TABLES:
        session.exec(delete(table).where(getattr(table, owner_column) == user_id))


def _throttle_key(canonical: str | None, typed: object) -> str:
    # A valid name is counted as compared (any letter case is one count); a name that can't
    # exist by what was typed, so it, too, answers like any unknown name. Hashed: the table never
    # holds what someone typed (it may be a password typed in the wrong box).
    material = (
        f"name|{canonical}" if canonical else f"typed|{typed if isinstance(typed, str) else ''}"
    )
    return hashlib.sha256(
        f"companion/login-throttle|{material}".encode("utf-8", "surrogatepass")
    ).hexdigest()


def _insert_if_missing(connection: Connection, key: str, now: datetime) -> sa.Executable:
    values = {"name_hash": key, "attempts": 0, "window_started_at": now, "locked_until": None}
    if connection.dialect.name in ("mysql", "mariadb"):
        insert = mysql_insert(_THROTTLE).values(**values)
        # A no-op ON DUPLICATE KEY UPDATE write-locks an existing row at once; INSERT IGNORE
        # would share-lock it first, and two attempts upgrading that lock deadlock.
        return insert.on_duplicate_key_update(name_hash=insert.inserted.name_hash)
    return sqlite_insert(_THROTTLE).values(**values).on_conflict_do_nothing()


def _find_user(session: Session, canonical: str) -> User | None:
    return session.exec(select(User).where(User.username_canonical == canonical)).first()


def clean_display_name(raw: str) -> str:
    """Trim a display name and drop control characters; it is shown, never interpreted."""
    if not isinstance(raw, str):
        return ""
    printable = "".join(ch for ch in raw if ch.isprintable())
    return " ".join(printable.split())[:_MAX_DISPLAY_NAME]
