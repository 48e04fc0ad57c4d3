"""Whether anything was committed to the store between two moments.

Something kept from an earlier read (a list page read ahead) may be served only if
the store is still as it was when it was read.  Each database says so cheaply and
without fail, on a connection kept only for asking: SQLite's ``PRAGMA data_version``
changes whenever any other connection commits (or checkpoints); PostgreSQL's
``pg_current_snapshot()`` stays the same only while no transaction that writes has
begun or ended.  Either may also change when nothing a list shows did: that costs a
page read again, never a stale one.  A mark taken before a read covers all the read
saw, whatever connection the read used.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Hashable

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError

log = logging.getLogger(__name__)


def can_watch(engine: Engine) -> bool:
    """SQLite in a file, or PostgreSQL: an in-memory SQLite has no other connection."""
    if engine.dialect.name == "postgresql":
        return True
    return engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:")


class CommitWatch:
    """``mark()`` now and later: equal marks, nothing committed in between."""

    def __init__(self, engine: Engine) -> None:
        if not can_watch(engine):
            raise ValueError(f"the commits of {engine.url!r} cannot be watched")
        self._engine = engine
        self._lock = threading.Lock()
        self._sqlite: sqlite3.Connection | None = None
        self._postgresql: Connection | None = None

    def mark(self) -> Hashable:
        with self._lock:
            if self._engine.dialect.name == "sqlite":
                try:
                    return self._sqlite_version()
                except sqlite3.Error:
                    log.warning("the commit watch could not read the store", exc_info=True)
                    self._sqlite = None
                    return object()
            try:
                return self._snapshot()
            except DBAPIError:
                # The server restarted or dropped the connection: ask once more on a
                # new one; if that fails too, a mark equal to no other.
                log.warning("the commit watch lost its connection; reconnecting")
                self._postgresql = None
                try:
                    return self._snapshot()
                except DBAPIError:
                    self._postgresql = None
                    return object()

    def close(self) -> None:
        """Close the connection kept for asking (an app closed, a test's end)."""
        with self._lock:
            if self._sqlite is not None:
                self._sqlite.close()
                self._sqlite = None
            if self._postgresql is not None:
                self._postgresql.close()
                self._postgresql = None

    def _sqlite_version(self) -> int:
        if self._sqlite is None:
            self._sqlite = sqlite3.connect(
                self._engine.url.database, check_same_thread=False, isolation_level=None
            )
        return self._sqlite.execute("PRAGMA data_version").fetchone()[0]

    def _snapshot(self) -> str:
        if self._postgresql is None:
            self._postgresql = self._engine.connect().execution_options(
                isolation_level="AUTOCOMMIT"
            )
        return self._postgresql.exec_driver_sql("SELECT pg_current_snapshot()::text").scalar()
