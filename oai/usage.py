"""Who harvests us, counted as requests are answered: each answer adds to a tally in
memory (a lock and a dictionary: nothing a harvester waits for), written to the store
(``catalogue.usage``) every few seconds, when a page asks for it, and at exit.

A failed write costs the counts of those seconds, never an answer.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from catalogue import usage
from oai.arguments import VERBS
from protocol.failures import in_words

log = logging.getLogger("navette.oai")

#: Keys held in memory before a write is forced, whatever the time.
MAX_KEYS = 2000


def records_in(body: Iterable[str | bytes]) -> int:
    """The records (or headers, for ListIdentifiers) an answer's body carries: each is
    one part of it, starting with its element."""
    return sum(1 for part in body if part[:8] in (b"<record>", "<header>", "<header "))


def verb_of(sent: str | None) -> str:
    """The verb as counted: one of the six, or "other" (a client's typo is no new row)."""
    return sent if sent in VERBS else "other"


class Counter:
    """This process's tally, written every ``every`` seconds (0: at each answer)."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        every: float,
        keep_days: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.sessions = sessions
        self.every = every
        self.keep_days = keep_days
        self.clock = clock
        self._lock = threading.Lock()
        self._tally: dict[usage.Key, usage.Tally] = {}
        self._written = clock()
        atexit.register(self.write)

    def count(
        self, now: datetime, address: str, agent: str, verb: str | None, outcome: str, records: int
    ) -> None:
        key = usage.Key(now.date(), address[:64], agent[:200], verb_of(verb), outcome[:40])
        with self._lock:
            tally = self._tally.setdefault(key, usage.Tally())
            tally.requests += 1
            tally.records += records
            due = self.clock() - self._written >= self.every or len(self._tally) >= MAX_KEYS
        if due:
            self.write()

    def write(self) -> None:
        """Add what was counted since the last write to the store."""
        with self._lock:
            tally, self._tally = self._tally, {}
            self._written = self.clock()
        try:
            usage.add(self.sessions, tally, self.keep_days)
        except SQLAlchemyError as error:
            log.warning(
                "the count of %d kinds of OAI request was lost: %s", len(tally), in_words(error)
            )
