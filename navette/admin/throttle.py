"""Slowing down password guessing: per client address and per user name, in the store.

Kept in the database rather than in a process, so that every worker of the web server
(and every machine behind the proxy) counts the same failures.  The first few failures
cost nothing; then each one locks the key for twice as long as the last, up to a cap.
While locked, no password is even checked, the right one included.  An attempt is
counted before its password is checked, in one statement, so a burst of simultaneous
attempts gets no more checks than attempts made one by one.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import case, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
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


def _count(session: Session, key: str, now: datetime) -> int | None:
    """Count one attempt against ``key`` in a single statement; None if the key is locked.

    An upsert takes the row's write lock (PostgreSQL) or the database's (SQLite) until
    the transaction ends, so concurrent attempts are counted one after another, each
    seeing the count and the lock the one before it left.
    """
    table = LoginAttempts.__table__
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(table)
        .values(key=key, failures=1, last_failure=now, locked_until=None)
        .on_conflict_do_update(
            index_elements=[table.c.key],
            set_={
                "failures": case(
                    (table.c.last_failure < now - FORGET_AFTER, 1), else_=table.c.failures + 1
                ),
                "last_failure": now,
            },
            where=or_(table.c.locked_until.is_(None), table.c.locked_until <= now),
        )
    )
    if session.get_bind().dialect.insert_returning:
        return session.scalar(statement.returning(table.c.failures))
    # SQLite before 3.35: no RETURNING, but its row count says whether the row was written.
    if session.execute(statement).rowcount == 0:
        return None
    return session.scalar(select(LoginAttempts.failures).where(LoginAttempts.key == key))


def attempt(sessions: sessionmaker[Session], login_keys: list[str], now: datetime) -> float:
    """Count a login attempt before its password is checked; seconds to wait if refused.

    The attempt is counted as a failure at once (a right password then clears the
    count), and the attempt that uses up the free ones locks the key as it is counted:
    so however many attempts arrive together, no more passwords are checked than the
    throttle allows, where counting failures after the check let a burst through.
    """
    try:
        with sessions.begin() as session:
            for key in login_keys:
                _counted(session, key, now)
    except _Locked:
        with sessions() as reading:
            return max(locked_for(reading, login_keys, now), 1.0)
    return 0.0


class _Locked(Exception):
    """A key is locked: the attempt is not counted (its transaction is rolled back)."""


def _counted(session: Session, key: str, now: datetime) -> None:
    failures = _count(session, key, now)
    if failures is None:
        raise _Locked(key)
    lock = _lock(failures)
    if lock:
        session.execute(
            update(LoginAttempts).where(LoginAttempts.key == key).values(locked_until=now + lock)
        )
        log.warning(
            "admin login: %s locked for %d s after %d attempts",
            key,
            lock.total_seconds(),
            failures,
        )


def succeeded(sessions: sessionmaker[Session], login_keys: list[str]) -> None:
    with sessions.begin() as session:
        session.execute(delete(LoginAttempts).where(LoginAttempts.key.in_(login_keys)))
