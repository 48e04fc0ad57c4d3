"""Whether anything was committed to the store between two moments.

Something kept from an earlier read (a list page read ahead) may be served only if
the store is still as it was when it was read.  Each database says so cheaply and
without fail: SQLite's ``PRAGMA data_version`` changes, on a connection that only
watches, whenever any other connection commits (or checkpoints); PostgreSQL's
``pg_current_snapshot()`` stays the same only while no transaction that writes has
begun or ended.  Either may also change when nothing a list shows did: that costs a
page read again, never a stale one.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Hashable

from sqlalchemy import Engine
from sqlalchemy.orm import Session


class CommitWatch:
    """``mark(session)`` now and later: equal marks, nothing committed in between."""

    def __init__(self, engine: Engine) -> None:
        self._dialect = engine.dialect.name
        self._lock = threading.Lock()
        self._watcher: sqlite3.Connection | None = None
        if self._dialect == "sqlite":
            self._watcher = sqlite3.connect(
                _sqlite_file(engine), check_same_thread=False, isolation_level=None
            )

    def mark(self, session: Session) -> Hashable:
        """Taken before a read, it covers all the read saw; ``session`` is the reader's."""
        if self._watcher is not None:
            with self._lock:
                return self._watcher.execute("PRAGMA data_version").fetchone()[0]
        connection = session.connection()
        return connection.exec_driver_sql("SELECT pg_current_snapshot()::text").scalar()

    def close(self) -> None:
        if self._watcher is not None:
            self._watcher.close()


class CannotWatch(ValueError):
    """A store whose commits cannot be watched from another connection."""


def can_watch(engine: Engine) -> bool:
    """SQLite in a file or PostgreSQL: an in-memory SQLite has no other connection."""
    if engine.dialect.name == "postgresql":
        return True
    return engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:")


def _sqlite_file(engine: Engine) -> str:
    if not can_watch(engine):
        raise CannotWatch(f"cannot watch the commits of {engine.url!r}")
    return engine.url.database
