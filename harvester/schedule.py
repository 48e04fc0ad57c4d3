"""The worker loop: scheduled harvests run as they fall due, one source at a time per
worker, any number of workers (each source's lease keeps two from harvesting it at once).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from harvester import controls, lease, state
from harvester.fetch import Fetcher
from harvester.reports import log_run
from harvester.sync import Harvest, SourceBusy
from mappings.publication import DEFAULT, Publication
from protocol.dates import utc_now

log = logging.getLogger("navette.harvest")


def work(
    sessions: sessionmaker[Session],
    once: bool = False,
    interval: float = 30.0,
    clock: Callable[[], datetime] = utc_now,
    owner: str | None = None,
    fetcher: Callable[[], Fetcher] = Fetcher,
    publication: Publication = DEFAULT,
    workers: int | None = None,
    idle: Callable[[], None] | None = None,
) -> int:
    """Run scheduled harvests as they fall due; with ``once``, until none is due.

    ``idle`` runs whenever no harvest is due (the service's own upkeep, such as its
    Resource Dumps), never while one is."""
    owner = owner or lease.owner_name()
    done = 0
    while True:
        with sessions.begin() as session:
            started = clock()
            name = state.due_source(session, started)
            claimed = name is not None and lease.claim(session, name, owner, started)
            if claimed and not state.still_due(session, name, started):
                lease.release(session, name, owner)
                continue
        if claimed:
            try:
                run = Harvest(
                    sessions,
                    name,
                    fetcher(),
                    owner=owner,
                    clock=clock,
                    publication=publication,
                    workers=workers,
                ).run()
                log_run(run)
                done += 1
            except SourceBusy:
                pass
            except Exception:
                # One source's failure must not stop the others: its run is stored as
                # failed, and the error goes to the worker's log.
                log.exception("harvest of %s crashed", name)
            with sessions.begin() as session:
                controls.clear_request(session, name, started)
            continue
        if idle is not None:
            idle()
        if once:
            return done
        time.sleep(interval)
