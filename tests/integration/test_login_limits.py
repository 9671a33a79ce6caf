"""The login lockout under parallel attempts from several replicas, on SQLite and MariaDB.

Each replica is an AuthService with its own engine (its own connection pool) on one database;
threads play the attackers. bcrypt is slowed to the ~250 ms it takes in production, which is
the window a check-then-count lockout leaks through.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator

import pytest

from core.auth import AccountLocked, AuthError, AuthService, InvalidCredentials
from core.bootstrap import App
from core.db.engine import create_db_engine
from core.passwords import PasswordHasher
from tests.conftest import raw_rows
from tests.factories import GOOD_PASSWORD, make_user
from tests.fakes.clock import FakeClock

THRESHOLD = 5
WRONG = "wrong password here"


class PasswordChecks:
    """Counts bcrypt checks (however the hasher calls bcrypt) and makes each one slow."""

    def __init__(self, seconds: float) -> None:
        self.count = 0
        self._seconds = seconds
        self._lock = threading.Lock()

    def wrap(self, checkpw: Callable[[bytes, bytes], bool]) -> Callable[[bytes, bytes], bool]:
        def slow_checkpw(password: bytes, hashed: bytes) -> bool:
            with self._lock:
                self.count += 1
            time.sleep(self._seconds)
            return checkpw(password, hashed)

        return slow_checkpw


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> PasswordChecks:
    """Every bcrypt check from here on is counted and takes 0.1 s."""
    import core.passwords

    counter = PasswordChecks(seconds=0.1)
    monkeypatch.setattr(
        core.passwords.bcrypt, "checkpw", counter.wrap(core.passwords.bcrypt.checkpw)
    )
    return counter


@pytest.fixture
def replicas(any_app: App) -> Iterator[Callable[[int, FakeClock], list[AuthService]]]:
    """Makes `n` AuthServices on the app's database, each with its own engine."""
    engines = []

    def make(n: int, clock: FakeClock) -> list[AuthService]:
        services = []
        for _ in range(n):
            engine = create_db_engine(any_app.settings.database_url)
            engines.append(engine)
            services.append(
                AuthService(
                    engine=engine,
                    keyring=any_app.keyring,
                    hasher=PasswordHasher(4),
                    lockout_threshold=THRESHOLD,
                    lockout_minutes=15,
                    clock=clock,
                )
            )
        return services

    yield make
    for engine in engines:
        engine.dispose()


def _attack(services: list[AuthService], username: str, *, guesses: int) -> Counter[type]:
    """Every service guesses `guesses` times in its own thread, all starting together."""
    outcomes: Counter[type] = Counter()
    lock = threading.Lock()
    start = threading.Barrier(len(services))

    def guess(service: AuthService) -> None:
        start.wait()
        for _ in range(guesses):
            try:
                service.login(username=username, password=WRONG)
            except AuthError as exc:
                with lock:
                    outcomes[type(exc)] += 1

    threads = [threading.Thread(target=guess, args=(service,)) for service in services]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


@pytest.mark.parametrize("username", ["maria", "nobody"])
def test_parallel_guesses_on_many_replicas_get_at_most_the_threshold_of_checks(
    any_app: App,
    replicas: Callable[[int, FakeClock], list[AuthService]],
    checks: PasswordChecks,
    username: str,
) -> None:
    make_user(any_app, "maria")
    clock = FakeClock()
    services = replicas(8, clock)
    checks.count = 0

    outcomes = _attack(services, username, guesses=3)

    assert checks.count == THRESHOLD  # 8 x 3 guesses, one lock window: five passwords checked
    assert outcomes == {InvalidCredentials: THRESHOLD - 1, AccountLocked: 24 - (THRESHOLD - 1)}
    with pytest.raises(AccountLocked):  # the right password too, and without a check
        services[0].login(username=username, password=GOOD_PASSWORD)
    assert checks.count == THRESHOLD


def test_a_known_and_an_unknown_name_answer_exactly_alike(
    any_app: App, replicas: Callable[[int, FakeClock], list[AuthService]]
) -> None:
    make_user(any_app, "maria")
    clock = FakeClock()
    (auth,) = replicas(1, clock)

    def answers(username: str) -> list[tuple[type, str]]:
        seen = []
        for minutes in [0, 0, 0, 0, 0, 0, 14, 1.1]:  # six tries, then during and after the lock
            clock.advance(minutes=minutes)
            with pytest.raises(AuthError) as refused:
                auth.login(username=username, password=WRONG)
            seen.append((type(refused.value), str(refused.value)))
        return seen

    start = clock.now()
    known = answers("maria")
    clock.set(start)
    unknown = answers("nobody")

    assert known == unknown
    assert [kind for kind, _ in known] == [InvalidCredentials] * 4 + [AccountLocked] * 3 + [
        InvalidCredentials
    ]


def test_the_count_is_per_name_and_stores_no_typed_name(
    any_app: App, replicas: Callable[[int, FakeClock], list[AuthService]]
) -> None:
    make_user(any_app, "maria")
    make_user(any_app, "bob")
    (auth,) = replicas(1, FakeClock())
    for _ in range(THRESHOLD):
        with pytest.raises(AuthError):
            auth.login(username="MARIA", password=WRONG)  # any letter case is one count
    with pytest.raises(AccountLocked):
        auth.login(username="maria", password=GOOD_PASSWORD)
    assert auth.login(username="bob", password=GOOD_PASSWORD).username == "bob"
    with pytest.raises(InvalidCredentials):
        auth.login(username="someone typed this", password=WRONG)
    stored = repr(raw_rows(any_app, "login_throttle")).lower()
    assert "maria" not in stored and "someone" not in stored


def test_counts_that_ended_are_purged(
    any_app: App, replicas: Callable[[int, FakeClock], list[AuthService]]
) -> None:
    clock = FakeClock()
    (auth,) = replicas(1, clock)
    for name in ["ghost1", "ghost2"]:
        with pytest.raises(InvalidCredentials):
            auth.login(username=name, password=WRONG)
    assert len(raw_rows(any_app, "login_throttle")) == 2
    clock.advance(minutes=16)
    with pytest.raises(InvalidCredentials):
        auth.login(username="ghost3", password=WRONG)
    assert len(raw_rows(any_app, "login_throttle")) == 1
