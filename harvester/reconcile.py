"""Deleting what a partner no longer lists, for partners that do not keep deletions.

Their ListIdentifiers is read whole (on the same list iterator as the harvest, with its
loop guards) and every record of the source it no longer names is deleted, under the
same threshold as the deletions a harvest is told of.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from catalogue.tables import RecordRow
from harvester.deletions import DeletionGuard
from harvester.listing import walk
from harvester.mapping import local_identifier
from harvester.partner import Partner


def listed_identifiers(partner: Partner, prefix: str, source: str) -> set[str]:
    """The local identifiers of every record the partner lists as present."""
    present: set[str] = set()
    first = {"verb": "ListIdentifiers", "metadataPrefix": prefix}
    for listed in walk(partner.page, partner.base_url, first):
        present.update(
            local_identifier(source, header.identifier)
            for header in listed.page.headers
            if header.identifier and not header.deleted
        )
    return present


def reconcile(
    sessions: sessionmaker[Session],
    partner: Partner,
    prefix: str,
    source: str,
    guard: DeletionGuard,
    counts: Counter[str],
    clock: Callable[[], datetime],
) -> None:
    present = listed_identifiers(partner, prefix, source)
    with sessions.begin() as session:
        ours = session.scalars(
            select(RecordRow.identifier).where(
                RecordRow.source == source, RecordRow.deleted.is_(False)
            )
        )
        guard.apply(session, sorted(set(ours) - present), clock(), counts)
