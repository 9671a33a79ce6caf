"""Accounts: registration, login with a database-backed lockout, and server-side revocation.

streamlit-authenticator's own failed-login counter lives in one browser session and is only
checked after a correct password, and its cookie stays valid after logout. So the counter, the
lock and the revocation list live here, in the database, and hold across app replicas.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, delete, select, update

from core.audit import AuditAction, record
from core.db.engine import session_scope
from core.db.models import USER_OWNED_TABLES, LoginSession, User, UserPreferences
from core.errors import InvalidInput
from core.keyring import KeyRing
from core.passwords import (
    MAX_PASSWORD_LENGTH,
    PasswordHasher,
    canonical_username,
    check_password_policy,
)
from core.ports import Clock
from core.timeutil import from_timestamp

log = logging.getLogger(__name__)

_MAX_DISPLAY_NAME = 80
# last_seen_at is written at most this often, so a busy session is not a write per rerun.
_LAST_SEEN_GRANULARITY = timedelta(seconds=60)


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

    # --- registration and login -------------------------------------------------------------

    def register(self, *, username: str, password: str, display_name: str = "") -> AuthUser:
        """Create an account with its data key; raise InvalidInput or UsernameTaken."""
        canonical = canonical_username(username)
        check_password_policy(password, username=canonical)
        name = clean_display_name(display_name) or username.strip()
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
        """Check a password, counting failures in the database; raise AuthError on refusal."""
        try:
            canonical = canonical_username(username)
        except InvalidInput:
            canonical = None
        if not isinstance(password, str) or len(password) > MAX_PASSWORD_LENGTH:
            password = ""
        now = self._clock.now()
        with session_scope(self._engine) as session:
            user = _find_user(session, canonical) if canonical else None
            if user is not None and user.locked_until is not None and user.locked_until > now:
                raise AccountLocked(user.locked_until, now)
            if not self._hasher.verify(password, user.password_hash if user else None):
                if user is not None:
                    self._count_failure(session, user, now)
                else:
                    record(session, AuditAction.LOGIN_FAILED, user_id=None, detail="unknown user")
                session.commit()
                if user is not None and user.locked_until is not None and user.locked_until > now:
                    raise AccountLocked(user.locked_until, now)
                raise InvalidCredentials(
                    "That username and password don't match. Please try again."
                )
            assert user is not None
            user.failed_login_count = 0
            user.locked_until = None
            user.last_login_at = now
            session.add(user)
            record(session, AuditAction.LOGIN, user_id=user.id)
            return self._auth_user(session, user)

    def _count_failure(self, session: Session, user: User, now: datetime) -> None:
        # An atomic increment, so two replicas counting at once can't lose a failure.
        session.exec(
            update(User)
            .where(col(User.id) == user.id)
            .values(failed_login_count=User.failed_login_count + 1)
        )
        session.refresh(user)
        record(session, AuditAction.LOGIN_FAILED, user_id=user.id)
        if user.failed_login_count >= self._threshold:
            user.locked_until = now + self._lock_for
            user.failed_login_count = 0
            session.add(user)
            record(session, AuditAction.LOCKOUT, user_id=user.id)

    # --- sessions -----------------------------------------------------------------------------

    def start_session(self, *, user_id: str, cookie_expiry: float) -> None:
        """Register a login whose cookie expires at `cookie_expiry` (POSIX seconds)."""
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
            for expiry in set(cookie_expiries):
                login = session.get(LoginSession, session_fingerprint(user_id, expiry))
                if login is not None and login.user_id == user_id and login.revoked_at is None:
                    login.revoked_at, login.revoke_reason = now, "logout"
                    session.add(login)
            record(session, AuditAction.LOGOUT, user_id=user_id)

    def user_for_username(self, username: str) -> AuthUser | None:
        """Look a user up by name (a login cookie names the user)."""
        try:
            canonical = canonical_username(username)
        except InvalidInput:
            return None
        with session_scope(self._engine) as session:
            user = _find_user(session, canonical)
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

    def change_password(self, *, user_id: str, current_password: str, new_password: str) -> None:
        """Set a new password and log out every earlier login, this one included."""
        with session_scope(self._engine) as session:
            user = session.get(User, user_id)
            if user is None or not self._hasher.verify(current_password, user.password_hash):
                raise InvalidCredentials("Your current password isn't right.")
            check_password_policy(new_password, username=user.username_canonical)
            if self._hasher.verify(new_password, user.password_hash):
                raise InvalidInput("Please choose a password different from your current one.")
            user.password_hash = self._hasher.hash(new_password)
            user.password_changed_at = self._clock.now()
            session.add(user)
            session.flush()
            self._revoke_all(session, user_id, "password")
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


def _find_user(session: Session, canonical: str) -> User | None:
    return session.exec(select(User).where(User.username_canonical == canonical)).first()


def clean_display_name(raw: str) -> str:
    """Trim a display name and drop control characters; it is shown, never interpreted."""
    if not isinstance(raw, str):
        return ""
    printable = "".join(ch for ch in raw if ch.isprintable())
    return " ".join(printable.split())[:_MAX_DISPLAY_NAME]
