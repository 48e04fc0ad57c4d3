"""Who harvests a source now: a claim that lives while its holder works and lapses soon
after it dies.

A harvest renews its claim with every page it stores and, between pages, from a
heartbeat thread (a page may wait minutes on a slow partner).  A claim not renewed
for ``LEASE`` lapses, which is how a harvest on another machine learns that the
holder is gone; on the same machine it learns at once, because the claim names the
holder's host and process.  ``unlock`` releases a claim by hand.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from catalogue.tables import HarvestRun, SourceRow
from harvester.state import get_source

#: A claim not renewed for this long lapses.
LEASE = timedelta(seconds=60)
#: How often the heartbeat renews a claim: several times within one LEASE.
RENEW_EVERY = 15.0

log = logging.getLogger("navette.harvest")


def owner_name() -> str:
    """This process as a claim's holder: host, process id, and a token for this harvest."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def holder_gone(owner: str) -> bool:
    """True when ``owner`` ran on this machine and its process no longer exists."""
    host, _, rest = owner.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def claim(session: Session, name: str, owner: str, now: datetime) -> bool:
    """Take or renew the claim on source ``name``: False while someone alive holds it."""
    result = session.execute(
        update(SourceRow)
        .where(
            SourceRow.name == name,
            or_(
                SourceRow.lease_until.is_(None),
                SourceRow.lease_until < now,
                SourceRow.lease_owner == owner,
            ),
        )
        .values(lease_owner=owner, lease_until=now + LEASE)
    )
    if result.rowcount == 1:
        return True
    holder = session.scalar(select(SourceRow.lease_owner).where(SourceRow.name == name))
    if holder is None or not holder_gone(holder):
        return False
    taken = session.execute(
        update(SourceRow)
        .where(SourceRow.name == name, SourceRow.lease_owner == holder)
        .values(lease_owner=owner, lease_until=now + LEASE)
    )
    if taken.rowcount == 1:
        log.warning("%s: took over the claim of %s, whose process is gone", name, holder)
    return taken.rowcount == 1


def release(session: Session, name: str, owner: str) -> None:
    session.execute(
        update(SourceRow)
        .where(SourceRow.name == name, SourceRow.lease_owner == owner)
        .values(lease_owner=None, lease_until=None)
    )


def close_interrupted_runs(session: Session, name: str, now: datetime, reason: str) -> int:
    """Mark the source's runs still shown as running as failed: nobody runs them now."""
    result = session.execute(
        update(HarvestRun)
        .where(HarvestRun.source == name, HarvestRun.status == "running")
        .values(status="failed", finished=now, message=reason)
    )
    return result.rowcount


def unlock(session: Session, name: str, now: datetime) -> str | None:
    """Release whatever claim the source has, by hand; who held it, if anyone."""
    source = get_source(session, name)
    holder = source.lease_owner
    source.lease_owner = source.lease_until = None
    if source.status == "running":
        source.status = "idle"
        source.message = f"unlocked by hand at {now:%Y-%m-%d %H:%M:%S}Z (was held by {holder})"
    close_interrupted_runs(session, name, now, "interrupted: its claim was released by hand")
    return holder


class Heartbeat:
    """Renews a claim every RENEW_EVERY seconds until stopped; notices if it was lost."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        name: str,
        owner: str,
        clock: Callable[[], datetime],
        every: float = RENEW_EVERY,
    ) -> None:
        self.sessions = sessions
        self.name = name
        self.owner = owner
        self.clock = clock
        self.every = every
        self.lost = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"lease-{name}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _beat(self) -> None:
        while not self._stop.wait(self.every):
            try:
                with self.sessions.begin() as session:
                    if not claim(session, self.name, self.owner, self.clock()):
                        self.lost = True
                        return
            except SQLAlchemyError:
                # A database hiccup: the next beat tries again before the claim lapses.
                log.exception("%s: could not renew the harvest's claim", self.name)
