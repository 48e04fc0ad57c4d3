"""Slowing down password guessing: per client address and per user name, in the store.

Kept in the database rather than in a process, so that every worker of the web server
(and every machine behind the proxy) counts the same failures.  The first few failures
cost nothing; then each one locks the key for twice as long as the last, up to a cap.
While locked, no password is even checked, the right one included.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from catalogue.tables import LoginAttempts

#: Failures allowed before the first lock.
FREE_FAILURES = 5
FIRST_LOCK = timedelta(seconds=30)
LONGEST_LOCK = timedelta(minutes=15)
#: A key with no failure for this long starts afresh.
FORGET_AFTER = timedelta(hours=1)

log = logging.getLogger("navette.admin")


def keys(address: str | None, user: str) -> list[str]:
    return [f"address:{address or '-'}", f"user:{user.strip().lower()[:200]}"]


def locked_for(session: Session, login_keys: list[str], now: datetime) -> float:
    """Seconds before any of the keys may try again (0: not locked)."""
    waits = [
        (row.locked_until - now).total_seconds()
        for key in login_keys
        if (row := session.get(LoginAttempts, key)) is not None and row.locked_until
    ]
    return max([0.0, *waits])


def _lock(failures: int) -> timedelta | None:
    if failures < FREE_FAILURES:
        return None
    return min(LONGEST_LOCK, FIRST_LOCK * 2 ** (failures - FREE_FAILURES))


def failed(sessions: sessionmaker[Session], login_keys: list[str], now: datetime) -> None:
    """Count a failed login against each key, locking those that earned it."""
    try:
        with sessions.begin() as session:
            for key in login_keys:
                row = session.get(LoginAttempts, key)
                if row is None or now - row.last_failure > FORGET_AFTER:
                    row = session.merge(LoginAttempts(key=key, failures=0, last_failure=now))
                row.failures += 1
                row.last_failure = now
                lock = _lock(row.failures)
                row.locked_until = now + lock if lock else None
                if lock:
                    log.warning(
                        "admin login: %s locked for %d s after %d failures",
                        key,
                        lock.total_seconds(),
                        row.failures,
                    )
    except IntegrityError:
        # Two failures at once for a new key: one is not counted; the next one will be.
        log.warning("admin login: concurrent failures for %s", login_keys)


def succeeded(sessions: sessionmaker[Session], login_keys: list[str]) -> None:
    with sessions.begin() as session:
        session.execute(delete(LoginAttempts).where(LoginAttempts.key.in_(login_keys)))
