"""Login state of one browser session, on top of streamlit-authenticator's signed cookie.

The cookie (a JWT signed with COOKIE_KEY, written by streamlit-authenticator) only says who
logged in and when it expires. Whether that login is still valid is asked of the database on
every run (core.auth), so logout, idle timeout, password changes and "log out everywhere" hold
across browsers and app replicas.
"""

from __future__ import annotations

import logging
import secrets
import time
from typing import Any

import jwt
import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit_authenticator.controllers import CookieController

from core.auth import AuthError, AuthUser
from core.bootstrap import App
from core.errors import InvalidInput

log = logging.getLogger(__name__)

_USER = "auth_user"
_COOKIE_EXPIRY = "auth_cookie_expiry"
_SET_COOKIE = "auth_set_cookie"  # write the login cookie until the browser holds it
_ATTEMPTS = "auth_cookie_attempts"  # expiries of the cookies written so far
_LOGIN_AT = "auth_login_at"
_LOGIN_ID = "auth_login_id"
_MAX_COOKIE_ATTEMPTS = 3
_COOKIE_WINDOW_SECONDS = 10.0
_DELETE_COOKIE = "auth_delete_cookie"  # remove the login cookie until the browser did
_DELETE_SINCE = "auth_delete_since"
_NOTICE = "auth_notice"
# This session logged out: the cookie its connection sent (st.context.cookies) no longer counts.
_LOGGED_OUT = "auth_logged_out"
# streamlit-authenticator's CookieModel.set_cookie signs the name it finds under this key.
_LIB_USERNAME = "username"

SESSION_ENDED = (
    "For your privacy you've been logged out (after a period without activity, a password "
    "change, or “log out everywhere”). Please log in again."
)


def _cookies(app: App) -> CookieController:
    return CookieController(
        app.settings.cookie_name, _cookie_key(app), app.settings.cookie_expiry_days
    )


def current_user(app: App, cookie_slot: DeltaGenerator) -> AuthUser | None:
    """Who is logged in for this run, checked against the database; None shows the login.

    The cookie component is only drawn in runs that set or delete the cookie: it reruns the
    page when it mounts, and a form submitted in that instant could lose its click. It is
    drawn into `cookie_slot`, a container that sits at the same place in every run, so the
    page's own elements keep their positions whether it is drawn or not (otherwise the old
    and the new copy of a heading show side by side until the rerun ends).
    """
    cookies: CookieController | None = None  # drawn at most once a run (its key is fixed)
    with cookie_slot:
        user: AuthUser | None = st.session_state.get(_USER)
        if user is not None and st.session_state.get(_SET_COOKIE):
            cookies = _cookies(app)
            _ensure_cookie(app, cookies, user)
    user = _checked_user(app)
    if st.session_state.get(_DELETE_COOKIE):  # logged out now or in an earlier run
        with cookie_slot:
            _delete_cookie(app, cookies or _cookies(app))
    return user


def _checked_user(app: App) -> AuthUser | None:
    user: AuthUser | None = st.session_state.get(_USER) or _user_from_cookie(app)
    if user is None:
        return None
    expiry = st.session_state.get(_COOKIE_EXPIRY)
    checked = (
        None if expiry is None else app.auth.check_session(user_id=user.id, cookie_expiry=expiry)
    )
    if checked is None:
        app.journal_search.forget(user_id=user.id)
        _forget(notice=SESSION_ENDED)
        return None
    st.session_state[_USER] = checked
    return checked


def _ensure_cookie(app: App, cookies: CookieController, user: AuthUser) -> None:
    """Write the login cookie, and keep writing it until the browser reports holding it.

    The cookie component writes from the browser; a rerun can remove it before its script
    ran, so one attempt is not enough. Every attempt is a registered login, so whichever
    cookie the browser ends up with is valid.
    """
    attempts: tuple[float, ...] = st.session_state.get(_ATTEMPTS, ())
    held = (cookies.cookie_model.cookie_manager.cookies or {}).get(app.settings.cookie_name)
    held_expiry = _expiry_of(app, held)
    confirmed = held_expiry is not None and held_expiry in attempts
    # Each attempt reruns the page, which could cut into what the person does next, and a
    # browser that refuses cookies would never confirm: so only a few, right after login.
    gave_up = len(attempts) >= _MAX_COOKIE_ATTEMPTS or (
        attempts and time.time() - st.session_state.get(_LOGIN_AT, 0.0) > _COOKIE_WINDOW_SECONDS
    )
    if confirmed or gave_up:
        if confirmed:
            st.session_state[_COOKIE_EXPIRY] = held_expiry
        st.session_state.pop(_SET_COOKIE, None)
        return
    st.session_state[_LIB_USERNAME] = user.username
    cookies.set_cookie()
    expiry = float(cookies.cookie_model.exp_date)
    app.auth.start_session(
        user_id=user.id, cookie_expiry=expiry, login_id=st.session_state.get(_LOGIN_ID)
    )
    st.session_state[_ATTEMPTS] = (*attempts, expiry)
    st.session_state.setdefault(_COOKIE_EXPIRY, expiry)


def _delete_cookie(app: App, cookies: CookieController) -> None:
    """Remove the login cookie, drawing the delete in every run until the browser reports it
    done: a rerun started by another component would otherwise unmount it before it ran."""
    manager = cookies.cookie_model.cookie_manager
    # The component itself, not CookieController.delete_cookie: only it returns the browser's
    # "done" (True), and it doesn't print a KeyError before the first cookie listing arrives.
    done = manager.cookie_manager(
        method="delete", cookie=app.settings.cookie_name, key="delete", default=False
    )
    started: float = st.session_state.setdefault(_DELETE_SINCE, time.time())
    if done or time.time() - started > _COOKIE_WINDOW_SECONDS:
        st.session_state.pop(_DELETE_COOKIE, None)
        st.session_state.pop(_DELETE_SINCE, None)


def _expiry_of(app: App, token: object) -> float | None:
    claims = valid_login_claims(token, key=_cookie_key(app))
    return None if claims is None else float(claims["exp_date"])


def _cookie_key(app: App) -> str:
    key = app.settings.cookie_key
    assert key is not None, "with_dev_secrets() guarantees a cookie key"
    return key.get_secret_value()


def valid_login_claims(token: object, *, key: str) -> dict[str, Any] | None:
    """The claims of a login cookie signed with `key` and not yet expired, else None.

    The same checks as streamlit-authenticator's CookieModel.get_cookie, without drawing the
    cookie component (the token is the one the browser sent with this connection).
    """
    if not isinstance(token, str):
        return None
    try:
        claims = jwt.decode(token, key, algorithms=["HS256"])
        expiry = float(claims["exp_date"])
    except (jwt.InvalidTokenError, KeyError, TypeError, ValueError):
        return None
    username = claims.get("username")
    if not isinstance(username, str) or not username or expiry <= time.time():
        return None
    return dict(claims)


def _user_from_cookie(app: App) -> AuthUser | None:
    if st.session_state.get(_LOGGED_OUT):
        return None
    token = st.context.cookies.get(app.settings.cookie_name)
    claims = valid_login_claims(token, key=_cookie_key(app))
    if claims is None:  # none, forged, foreign or expired: just "not logged in"
        if token is not None:
            log.info("unusable login cookie ignored")
        return None
    user = app.auth.user_for_username(claims["username"])
    if user is not None:
        st.session_state[_USER] = user
        st.session_state[_COOKIE_EXPIRY] = float(claims["exp_date"])
    return user


def log_in(app: App, *, username: str, password: str) -> str | None:
    """Try a password login; on success reruns into the app, otherwise returns a message."""
    try:
        user = app.auth.login(username=username, password=password)
    except AuthError as exc:
        return str(exc)
    _start(user)
    st.rerun()
    return None  # unreachable: st.rerun() raises


def register(
    app: App, *, username: str, display_name: str, password: str, confirm: str
) -> str | None:
    """Create an account and log it in; returns a message if something needs fixing."""
    if password != confirm:
        return "The two passwords don't match. Please type them again."
    try:
        user = app.auth.register(username=username, password=password, display_name=display_name)
    except (InvalidInput, AuthError) as exc:
        return str(exc)
    _start(user)
    st.rerun()
    return None


def current_cookie_expiry() -> float | None:
    """The expiry of the login cookie this browser holds (what identifies its login)."""
    expiry: float | None = st.session_state.get(_COOKIE_EXPIRY)
    return expiry


def _start(user: AuthUser) -> None:
    st.session_state[_USER] = user
    st.session_state[_SET_COOKIE] = True
    st.session_state[_LOGIN_AT] = time.time()
    st.session_state[_LOGIN_ID] = secrets.token_hex(16)  # shared by this login's cookies
    # A new login never reuses an old cookie, and must not have its new one deleted.
    for stale in (_COOKIE_EXPIRY, _ATTEMPTS, _DELETE_COOKIE, _DELETE_SINCE):
        st.session_state.pop(stale, None)
    st.session_state[_LOGGED_OUT] = False
    st.session_state.pop(_NOTICE, None)


def log_out(app: App, user: AuthUser, *, notice: str = "You've logged out. Take care.") -> None:
    """End this login in the database and in the browser, then show the login page."""
    expiries = [*st.session_state.get(_ATTEMPTS, ()), st.session_state.get(_COOKIE_EXPIRY)]
    app.auth.end_session(user_id=user.id, cookie_expiries=[e for e in expiries if e is not None])
    # The journal search keeps this person's decrypted vectors in the process's memory.
    app.journal_search.forget(user_id=user.id)
    _forget(notice=notice)
    st.rerun()


def _forget(*, notice: str) -> None:
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    st.session_state[_NOTICE] = notice
    st.session_state[_DELETE_COOKIE] = True
    st.session_state[_LOGGED_OUT] = True


def notice() -> str | None:
    """A message for the login page (logged out, session ended); kept until the next login."""
    message: str | None = st.session_state.get(_NOTICE)
    return message
