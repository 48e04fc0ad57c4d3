"""Which copy of a partner's record counts when a run reads the same identifier twice.

OAI-PMH gives every record one datestamp: the moment it was created, changed or
deleted.  A partner's list may still carry an identifier twice (an index rebuilt while
it is paged, a record in two collections), and the copy read last is not always the
newest.  The newest copy wins wherever it stands in the list; a deletion newer than a
live copy deletes, a live copy newer than a deletion restores.  On equal datestamps the
copy read last wins, as the list's own order is all there is to go by.

What the run has read so far is kept in ``harvest_seen`` (one row a record), committed
with each page: a resumed run judges its next pages against the pages stored before the
crash, and the records whose newest copy is a deletion are the run's deletions, decided
together at its end (``harvester.deletions``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from catalogue.tables import SeenCopy
from harvester.pages import RawRecord
from protocol import dates

#: Identifiers asked for in one statement.
CHUNK = 500


@dataclass(frozen=True)
class Copy:
    """One copy of a record as the list carried it."""

    #: The catalogue's identifier (``harvester.mapping.local_identifier``).
    identifier: str
    datestamp: datetime | None
    deleted: bool
    raw: RawRecord


def datestamp_of(raw: RawRecord) -> datetime | None:
    """The copy's datestamp, or None where the partner wrote none that can be read."""
    try:
        return dates.parse_lenient(raw.datestamp or "")
    except ValueError:
        return None


def _newer_or_same(copy: Copy | SeenCopy, than: Copy | SeenCopy) -> bool:
    if copy.datestamp is None or than.datestamp is None:
        return True
    return copy.datestamp >= than.datestamp


def newest_of_page(copies: Iterable[Copy]) -> tuple[dict[str, Copy], int]:
    """The newest copy of each identifier on a page, and how many older copies it held."""
    chosen: dict[str, Copy] = {}
    older = 0
    for copy in copies:
        held = chosen.get(copy.identifier)
        if held is not None:
            older += 1
            if not _newer_or_same(copy, held):
                continue
        chosen[copy.identifier] = copy
    return chosen, older


def keep_newest(session: Session, source: str, copies: dict[str, Copy]) -> dict[str, Copy]:
    """Those of ``copies`` at least as new as any copy the run read before, recorded as
    the newest now; the others are stale and left out."""
    identifiers = list(copies)
    earlier: dict[str, SeenCopy] = {}
    for start in range(0, len(identifiers), CHUNK):
        chunk = identifiers[start : start + CHUNK]
        earlier.update(
            (row.identifier, row)
            for row in session.scalars(
                select(SeenCopy).where(SeenCopy.source == source, SeenCopy.identifier.in_(chunk))
            )
        )
    kept = {
        identifier: copy
        for identifier, copy in copies.items()
        if identifier not in earlier or _newer_or_same(copy, earlier[identifier])
    }
    if not kept:
        return kept
    replaced = [identifier for identifier in kept if identifier in earlier]
    for start in range(0, len(replaced), CHUNK):
        session.execute(
            delete(SeenCopy).where(
                SeenCopy.source == source, SeenCopy.identifier.in_(replaced[start : start + CHUNK])
            )
        )
    session.execute(
        insert(SeenCopy),
        [
            {
                "source": source,
                "identifier": identifier,
                "datestamp": copy.datestamp,
                "deleted": copy.deleted,
            }
            for identifier, copy in kept.items()
        ],
    )
    return kept


def deleted_in_run(session: Session, source: str) -> list[str]:
    """The records whose newest copy in this run is a deletion."""
    return list(
        session.scalars(
            select(SeenCopy.identifier)
            .where(SeenCopy.source == source, SeenCopy.deleted.is_(True))
            .order_by(SeenCopy.identifier)
        )
    )


def forget(session: Session, source: str) -> None:
    """The run is over (or a new one starts): what it read is no longer needed."""
    session.execute(delete(SeenCopy).where(SeenCopy.source == source))
