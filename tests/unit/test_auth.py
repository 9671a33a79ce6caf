"""Registration, lockout timing, and server-side session revocation (on a temporary SQLite)."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import bcrypt
import pytest
import sqlalchemy as sa

from core.auth import AccountLocked, AuthService, InvalidCredentials, UsernameTaken
from core.bootstrap import App
from core.db.models import USER_OWNED_TABLES
from core.errors import InvalidInput
from core.passwords import PasswordHasher, _prehash
from tests.factories import GOOD_PASSWORD, make_user
from tests.fakes.clock import FakeClock as Clock

EXPIRY = 2_000_000_000.123456  # a cookie's exp_date, as streamlit-authenticator writes it


def _service(app: App, clock: Clock, idle_minutes: float = 30) -> AuthService:
    return AuthService(
        engine=app.engine,
        keyring=app.keyring,
        hasher=PasswordHasher(4),
        lockout_threshold=5,
        lockout_minutes=15,
        idle_minutes=idle_minutes,
        clock=clock,
    )


def test_a_registered_user_can_log_in_with_any_letter_case(app: App) -> None:
    make_user(app, "Maria")
    assert app.auth.login(username="MARIA", password=GOOD_PASSWORD).username == "Maria"


def test_a_duplicate_username_differing_only_in_case_is_refused(app: App) -> None:
    make_user(app, "maria")
    with pytest.raises(UsernameTaken):
        make_user(app, "MaRiA")


def test_registration_checks_the_password_policy(app: App) -> None:
    with pytest.raises(InvalidInput):
        app.auth.register(username="maria", password="password1234")


def test_registration_refuses_a_password_made_of_the_names(app: App) -> None:
    with pytest.raises(InvalidInput, match="username"):
        app.auth.register(username="alice", password="alicealice12")
    with pytest.raises(InvalidInput, match="too easy"):
        app.auth.register(
            username="rk7", password="Rosalind Kowalczyk 7", display_name="Rosalind Kowalczyk"
        )


def test_a_new_password_is_checked_against_the_display_name_too(app: App) -> None:
    user = app.auth.register(
        username="rk7", password=GOOD_PASSWORD, display_name="Rosalind Kowalczyk"
    )
    with pytest.raises(InvalidInput, match="too easy"):
        app.auth.change_password(
            user_id=user.id, current_password=GOOD_PASSWORD, new_password="Rosalind Kowalczyk 7"
        )


@pytest.mark.parametrize("typed", ["ａｌｉｃｅ", "𝐚𝐥𝐢𝐜𝐞", "ＡＬＩＣＥ"])
def test_a_name_not_typed_in_ascii_does_not_log_in(app: App, typed: str) -> None:
    make_user(app, "alice")
    with pytest.raises(InvalidCredentials):
        app.auth.login(username=typed, password=GOOD_PASSWORD)
    assert app.auth.login(username="Alice", password=GOOD_PASSWORD).username == "alice"


def test_registration_wants_an_ascii_name_but_a_display_name_may_be_any_script(app: App) -> None:
    with pytest.raises(InvalidInput) as refused:
        app.auth.register(username="ａｌｉｃｅ", password=GOOD_PASSWORD)
    assert "plain letters a–z" in str(refused.value)
    user = app.auth.register(username="alice", password=GOOD_PASSWORD, display_name="Ａｌｉｃｅ 🌿")
    assert (user.username, user.display_name) == ("alice", "Ａｌｉｃｅ 🌿")


def test_an_account_from_before_the_ascii_rule_keeps_its_login_cookie(app: App) -> None:
    user = make_user(app, "anna")
    with app.engine.begin() as connection:  # registered as "ＡＮＮＡ" by an older release
        connection.execute(
            sa.text("UPDATE users SET username = :typed WHERE id = :id"),
            {"typed": "ＡＮＮＡ", "id": user.id},
        )
    found = app.auth.user_for_username("ＡＮＮＡ")  # the cookie names the user as stored
    assert found is not None and found.id == user.id
    assert app.auth.login(username="anna", password=GOOD_PASSWORD).id == user.id


PASSWORD_NFC = unicodedata.normalize("NFC", "café crème lantern 42")
PASSWORD_NFD = unicodedata.normalize("NFD", PASSWORD_NFC)


def test_a_password_logs_in_in_either_unicode_form(app: App) -> None:
    assert PASSWORD_NFC != PASSWORD_NFD
    make_user(app, "maria", password=PASSWORD_NFC)
    assert app.auth.login(username="maria", password=PASSWORD_NFD).username == "maria"
    make_user(app, "bruno", password=PASSWORD_NFD)
    assert app.auth.login(username="bruno", password=PASSWORD_NFC).username == "bruno"


def test_a_hash_from_before_normalisation_logs_in_and_is_upgraded(app: App) -> None:
    user = make_user(app, "maria")
    legacy = bcrypt.hashpw(_prehash(PASSWORD_NFD), bcrypt.gensalt(rounds=4)).decode()
    with app.engine.begin() as connection:  # what an older release stored: the NFD as typed
        connection.execute(
            sa.text("UPDATE users SET password_hash = :hash WHERE id = :id"),
            {"hash": legacy, "id": user.id},
        )
    assert app.auth.login(username="maria", password=PASSWORD_NFD).id == user.id
    assert app.auth.login(username="maria", password=PASSWORD_NFC).id == user.id


def test_unknown_user_and_wrong_password_get_the_same_message(app: App) -> None:
    make_user(app, "maria")
    with pytest.raises(InvalidCredentials) as wrong:
        app.auth.login(username="maria", password="wrong password here")
    with pytest.raises(InvalidCredentials) as unknown:
        app.auth.login(username="nobody", password="wrong password here")
    assert str(wrong.value) == str(unknown.value)


@pytest.mark.parametrize(
    ("username", "password"), [("", ""), ("x" * 100_000, "y" * 100_000), ("maria", "\x00" * 10)]
)
def test_absurd_login_input_is_just_a_failed_login(app: App, username: str, password: str) -> None:
    make_user(app, "maria")
    with pytest.raises(InvalidCredentials):
        app.auth.login(username=username, password=password)


def _fail_logins(auth: AuthService, username: str, *, times: int) -> None:
    for _ in range(times):
        with pytest.raises(InvalidCredentials):
            auth.login(username=username, password="wrong password here")


def test_five_failures_lock_the_account_for_fifteen_minutes(app: App) -> None:
    clock = Clock()
    auth = _service(app, clock)
    make_user(app, "maria")
    _fail_logins(auth, "maria", times=4)
    with pytest.raises(AccountLocked):
        auth.login(username="maria", password="wrong password here")
    clock.advance(minutes=14, seconds=59)
    with pytest.raises(AccountLocked):  # even the right password is refused while locked
        auth.login(username="maria", password=GOOD_PASSWORD)
    clock.advance(seconds=2)
    assert auth.login(username="maria", password=GOOD_PASSWORD).username == "maria"


def test_the_lockout_counter_is_shared_by_replicas(app: App) -> None:
    clock = Clock()
    replicas = [_service(app, clock) for _ in range(5)]
    make_user(app, "maria")
    for replica in replicas[:4]:
        with pytest.raises(InvalidCredentials):
            replica.login(username="maria", password="wrong password here")
    with pytest.raises(AccountLocked):
        replicas[4].login(username="maria", password="wrong password here")


def test_an_unknown_name_locks_like_a_known_one(app: App) -> None:
    clock = Clock()
    auth = _service(app, clock)
    _fail_logins(auth, "nobody", times=4)
    with pytest.raises(AccountLocked):
        auth.login(username="nobody", password="wrong password here")
    with pytest.raises(AccountLocked):
        auth.login(username="nobody", password="wrong password here")
    clock.advance(minutes=15, seconds=1)
    _fail_logins(auth, "nobody", times=1)


class _ChangesPasswordWhileChecking(PasswordHasher):
    """A hasher during whose check someone else changes the password."""

    def __init__(self, meanwhile: Callable[[], None]) -> None:
        super().__init__(4)
        self._meanwhile: Callable[[], None] | None = meanwhile

    def verify(self, password: str, password_hash: str | None) -> bool:
        matches = super().verify(password, password_hash)
        self._run_meanwhile()
        return matches

    def verify_and_update(
        self, password: str, password_hash: str | None
    ) -> tuple[bool, str | None]:
        result = super().verify_and_update(password, password_hash)
        self._run_meanwhile()
        return result

    def _run_meanwhile(self) -> None:
        meanwhile, self._meanwhile = self._meanwhile, None
        if meanwhile is not None:
            meanwhile()


def test_a_password_changed_while_a_login_is_checked_wins(app: App) -> None:
    user = make_user(app, "maria")
    hasher = _ChangesPasswordWhileChecking(
        lambda: app.auth.change_password(
            user_id=user.id, current_password=GOOD_PASSWORD, new_password="new calm harbour 77"
        )
    )
    auth = AuthService(
        engine=app.engine,
        keyring=app.keyring,
        hasher=hasher,
        lockout_threshold=5,
        lockout_minutes=15,
        clock=Clock(),
    )
    with pytest.raises(InvalidCredentials):
        auth.login(username="maria", password=GOOD_PASSWORD)
    assert auth.login(username="maria", password="new calm harbour 77").id == user.id


def test_a_successful_login_resets_the_failure_count(app: App) -> None:
    clock = Clock()
    auth = _service(app, clock)
    make_user(app, "maria")
    _fail_logins(auth, "maria", times=4)
    auth.login(username="maria", password=GOOD_PASSWORD)
    _fail_logins(auth, "maria", times=4)


def test_a_started_session_is_valid_and_an_unknown_one_is_not(app: App) -> None:
    user = make_user(app)
    app.auth.start_session(user_id=user.id, cookie_expiry=EXPIRY)
    assert app.auth.check_session(user_id=user.id, cookie_expiry=EXPIRY) == user
    # A correctly signed cookie this server never issued (e.g. an old key) is refused.
    assert app.auth.check_session(user_id=user.id, cookie_expiry=EXPIRY + 1) is None


def test_changing_the_password_revokes_every_earlier_cookie(app: App) -> None:
    user = make_user(app)
    app.auth.start_session(user_id=user.id, cookie_expiry=EXPIRY)
    app.auth.start_session(user_id=user.id, cookie_expiry=EXPIRY + 5)
    app.auth.change_password(
        user_id=user.id, current_password=GOOD_PASSWORD, new_password="new calm harbour 77"
    )
    assert app.auth.check_session(user_id=user.id, cookie_expiry=EXPIRY) is None
    assert app.auth.check_session(user_id=user.id, cookie_expiry=EXPIRY + 5) is None
    app.auth.start_session(user_id=user.id, cookie_expiry=EXPIRY + 10)
    assert app.auth.check_session(user_id=user.id, cookie_expiry=EXPIRY + 10) == user
    with pytest.raises(InvalidCredentials):
        app.auth.login(username=user.username, password=GOOD_PASSWORD)


def test_change_password_needs_the_current_one_and_a_good_new_one(app: App) -> None:
    user = make_user(app)
    with pytest.raises(InvalidCredentials):
        app.auth.change_password(
            user_id=user.id, current_password="not it at all", new_password="new calm harbour 77"
        )
    with pytest.raises(InvalidInput):
        app.auth.change_password(
            user_id=user.id, current_password=GOOD_PASSWORD, new_password="short"
        )


def test_logging_out_everywhere_revokes_all_sessions(app: App) -> None:
    user = make_user(app)
    app.auth.start_session(user_id=user.id, cookie_expiry=EXPIRY)
    app.auth.logout_everywhere(user_id=user.id)
    assert app.auth.check_session(user_id=user.id, cookie_expiry=EXPIRY) is None


def test_logging_out_ends_only_that_session(app: App) -> None:
    user = make_user(app)
    app.auth.start_session(user_id=user.id, cookie_expiry=EXPIRY)
    app.auth.start_session(user_id=user.id, cookie_expiry=EXPIRY + 1)
    app.auth.end_session(user_id=user.id, cookie_expiries=[EXPIRY])
    assert app.auth.check_session(user_id=user.id, cookie_expiry=EXPIRY) is None
    assert app.auth.check_session(user_id=user.id, cookie_expiry=EXPIRY + 1) == user


def test_a_session_idle_for_thirty_minutes_is_logged_out(app: App) -> None:
    user = make_user(app)
    clock = Clock()  # after registration: a login can't predate the account
    auth = _service(app, clock)
    auth.start_session(user_id=user.id, cookie_expiry=EXPIRY)
    for _ in range(3):  # activity every 20 minutes keeps it alive
        clock.advance(minutes=20)
        assert auth.check_session(user_id=user.id, cookie_expiry=EXPIRY) == user
    clock.advance(minutes=31)
    assert auth.check_session(user_id=user.id, cookie_expiry=EXPIRY) is None
    clock.advance(seconds=1)  # and it stays logged out
    assert auth.check_session(user_id=user.id, cookie_expiry=EXPIRY) is None


def test_another_users_cookie_fingerprint_is_useless(app: App) -> None:
    alice, bob = make_user(app), make_user(app)
    app.auth.start_session(user_id=alice.id, cookie_expiry=EXPIRY)
    assert app.auth.check_session(user_id=bob.id, cookie_expiry=EXPIRY) is None


def test_deleting_an_account_removes_every_row_and_its_key(app: App) -> None:
    user = make_user(app)
    other = make_user(app)
    app.journal.add(user_id=user.id, title="t", body="private words")
    app.auth.start_session(user_id=user.id, cookie_expiry=EXPIRY)
    app.auth.delete_account(user_id=user.id, password=GOOD_PASSWORD)
    with app.engine.connect() as connection:
        for table, column in USER_OWNED_TABLES:
            name = table.__tablename__
            count = connection.execute(
                sa.text(f"SELECT COUNT(*) FROM {name} WHERE {column} = :uid"), {"uid": user.id}
            ).scalar_one()
            assert count == 0, name
    assert app.auth.user_for_username(other.username) == other
    with pytest.raises(InvalidCredentials):
        app.auth.login(username=user.username, password=GOOD_PASSWORD)


def test_deleting_an_account_needs_the_password(app: App) -> None:
    user = make_user(app)
    with pytest.raises(InvalidCredentials):
        app.auth.delete_account(user_id=user.id, password="wrong password here")
    assert app.auth.login(username=user.username, password=GOOD_PASSWORD) == user


def test_logging_out_ends_every_cookie_of_that_browser_login(app: App) -> None:
    user = make_user(app)
    # Writing the cookie took three attempts; the browser kept the last one, an attacker
    # copied the first. A later visit (a new tab) knows only the cookie it was sent.
    for attempt in range(3):
        app.auth.start_session(user_id=user.id, cookie_expiry=EXPIRY + attempt, login_id="b1")
    app.auth.start_session(user_id=user.id, cookie_expiry=EXPIRY + 10, login_id="phone")
    app.auth.end_session(user_id=user.id, cookie_expiries=[EXPIRY + 2])
    for attempt in range(3):  # replaying any copied cookie of that login fails
        assert app.auth.check_session(user_id=user.id, cookie_expiry=EXPIRY + attempt) is None
    assert app.auth.check_session(user_id=user.id, cookie_expiry=EXPIRY + 10) == user


def test_a_password_change_keeps_this_device_logged_in_and_ends_the_others(app: App) -> None:
    user = make_user(app)
    app.auth.start_session(user_id=user.id, cookie_expiry=EXPIRY, login_id="here")
    app.auth.start_session(user_id=user.id, cookie_expiry=EXPIRY + 1, login_id="laptop")
    app.auth.change_password(
        user_id=user.id,
        current_password=GOOD_PASSWORD,
        new_password="new calm harbour 77",
        keep_cookie_expiry=EXPIRY,
    )
    # A reload right after the change sends the same cookie: still logged in here.
    assert app.auth.check_session(user_id=user.id, cookie_expiry=EXPIRY) == user
    assert app.auth.check_session(user_id=user.id, cookie_expiry=EXPIRY + 1) is None
