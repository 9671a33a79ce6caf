"""Retrying the transactions TiDB and MySQL may abort, with backoff (tenacity).

TiDB's optimistic transactions fail at commit on a write conflict (9007) and MySQL/MariaDB
abort one side of a deadlock (1213) or give up on a lock wait (1205); SQLite says "database is
locked" when another process holds the write lock past the busy timeout. Each of these is safe
to run again from the start, which is what the decorated function must do (open its own
transaction).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import sqlalchemy.exc
from tenacity import (
    before_sleep_log,
    retry,
    retry_if_exception,
    stop_after_attempt,
    wait_random_exponential,
)

log = logging.getLogger(__name__)

# MySQL: 1205 lock wait timeout, 1213 deadlock. TiDB: 9007 write conflict, 8002 "can not retry
# select for update", 8022 transaction retry failed, 8028 schema changed during the transaction.
RETRYABLE_MYSQL_CODES = frozenset({1205, 1213, 8002, 8022, 8028, 9007})
_ATTEMPTS = 8

P = ParamSpec("P")
T = TypeVar("T")


def is_retryable(error: BaseException) -> bool:
    """True for an aborted transaction that can simply be run again."""
    if not isinstance(error, sqlalchemy.exc.DBAPIError) or error.orig is None:
        return False
    args = getattr(error.orig, "args", ())
    if args and isinstance(args[0], int):
        return args[0] in RETRYABLE_MYSQL_CODES
    return "database is locked" in str(error.orig)


def db_retry(function: Callable[P, T]) -> Callable[P, T]:
    """Run `function` again (jittered exponential backoff) when its transaction is aborted."""
    retried: Callable[P, T] = retry(
        retry=retry_if_exception(is_retryable),
        wait=wait_random_exponential(multiplier=0.05, max=2.0),
        stop=stop_after_attempt(_ATTEMPTS),
        before_sleep=before_sleep_log(log, logging.INFO),
        reraise=True,
    )(function)
    return retried
