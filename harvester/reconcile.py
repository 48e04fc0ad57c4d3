"""Finding what a partner no longer lists, for partners that do not keep deletions.

The lists the source harvests (its prefix, in each of its sets, or the whole repository
when it names none) are read whole with ListIdentifiers, on the same list iterator as
the harvest with its loop guards.  Every live record of the source that none of them
names has been deleted at the partner, or has left the harvested sets: both are
deletions, decided with the run's others under the same threshold
(``harvester.deletions``).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from catalogue.tables import RecordRow
from harvester.listing import walk
from harvester.mapping import local_identifier
from harvester.partner import Partner


def listed_identifiers(
    partner: Partner, prefix: str, source: str, sets: list[str | None]
) -> set[str]:
    """The local identifiers of every record the source's lists name as present."""
    present: set[str] = set()
    for set_spec in sets:
        first = {"verb": "ListIdentifiers", "metadataPrefix": prefix}
        if set_spec:
            first["set"] = set_spec
        for listed in walk(partner.page, partner.base_url, first):
            present.update(
                local_identifier(source, header.identifier)
                for header in listed.page.headers
                if header.identifier and not header.deleted
            )
    return present


def missing(
    sessions: sessionmaker[Session],
    partner: Partner,
    prefix: str,
    source: str,
    sets: list[str | None],
) -> set[str]:
    """The source's live records that its lists no longer name."""
    present = listed_identifiers(partner, prefix, source, sets)
    with sessions() as session:
        ours = session.scalars(
            select(RecordRow.identifier).where(
                RecordRow.source == source, RecordRow.deleted.is_(False)
            )
        )
        return set(ours) - present
