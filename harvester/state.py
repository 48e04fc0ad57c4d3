"""The harvester's own records in the store: sources, leases, run reports, quarantine,
held deletions."""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urlsplit, urlunsplit

from croniter import croniter
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from catalogue.model import IDENTIFIER_LENGTH
from catalogue.tables import (
    HarvestRun,
    HeldDeletion,
    QuarantinedRecord,
    RecordRow,
    SourceRow,
)

#: The protocols a source may be harvested over.
PROTOCOLS = ("oai-pmh", "resourcesync")


class SourceError(ValueError):
    """A source that does not exist, already exists, or is described wrongly."""


#: What a source's name may hold.  Not ':', which joins a source's name to its partner's
#: identifiers in the catalogue's own (``harvester.mapping.local_identifier``): with it,
#: sources ``ina`` and ``ina:oai`` could give two partners' records one identifier.
SOURCE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


def check_name(session: Session, name: str) -> None:
    """Refuse a name that is taken or could make two sources' identifiers collide."""
    if session.get(SourceRow, name) is not None:
        raise SourceError(f"there is already a source named {name!r}")
    if not SOURCE_NAME.fullmatch(name):
        raise SourceError(
            f"{name!r} cannot name a source: use up to 100 letters, digits, '.', '_' and '-', "
            "starting with a letter or digit (':' would let two sources' records share "
            "identifiers)"
        )
    for other in session.scalars(select(SourceRow.name).where(SourceRow.name.contains(":"))):
        # Names from before the rule: 'ina:oai' and a new 'ina' would collide.
        if other.startswith(f"{name}:"):
            raise SourceError(
                f"{name!r} cannot name a source: the records of source {other!r} would share "
                "identifiers with it; choose another name"
            )


def same_endpoint(url: str) -> str:
    """A base URL as compared for sameness: scheme and host in lower case, no final '/'."""
    parts = urlsplit(url.strip())
    path = parts.path.rstrip("/")
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))


def source_for(session: Session, base_url: str, prefixes: list[str], sets: list[str]) -> str | None:
    """The source already harvesting this endpoint with these sets and prefixes, if any
    (no prefix asked: any source of the endpoint and sets)."""
    wanted = same_endpoint(base_url)
    for row in list_sources(session):
        if same_endpoint(row.base_url) != wanted or sorted(row.sets) != sorted(sets):
            continue
        if not prefixes or list(row.prefixes) == list(prefixes):
            return row.name
    return None


def check_schedule(schedule: str | None) -> None:
    if schedule is not None and not croniter.is_valid(schedule):
        raise SourceError(f"{schedule!r} is not a cron expression (e.g. '0 3 * * *')")


def next_run(schedule: str | None, after: datetime) -> datetime | None:
    if schedule is None:
        return None
    return croniter(schedule, after).get_next(datetime)


def add_source(
    session: Session,
    name: str,
    base_url: str,
    prefixes: list[str],
    sets: list[str],
    schedule: str | None,
    now: datetime,
    delete_threshold: float = 0.2,
    protocol: str = "oai-pmh",
) -> SourceRow:
    check_name(session, name)
    if not base_url.startswith(("http://", "https://")):
        raise SourceError(f"{base_url!r} is not an http(s) URL")
    if protocol not in PROTOCOLS:
        known = ", ".join(PROTOCOLS)
        raise SourceError(f"{protocol!r} is not a protocol Navette harvests ({known})")
    check_schedule(schedule)
    if not 0 < delete_threshold <= 1:
        raise SourceError("the delete threshold is a share between 0 and 1")
    row = SourceRow(
        name=name,
        base_url=base_url,
        protocol=protocol,
        prefixes=list(prefixes),
        sets=list(sets),
        schedule=schedule,
        status="idle",
        delete_threshold=delete_threshold,
        next_run=next_run(schedule, now),
    )
    session.add(row)
    return row


def get_source(session: Session, name: str) -> SourceRow:
    row = session.get(SourceRow, name)
    if row is None:
        raise SourceError(f"there is no source named {name!r} (see `navette sources list`)")
    return row


def list_sources(session: Session) -> list[SourceRow]:
    return list(session.scalars(select(SourceRow).order_by(SourceRow.name)))


def save_checkpoint(session: Session, name: str, checkpoint: dict) -> None:
    """One statement, not an ORM load and flush: a harvest saves one every page."""
    session.execute(
        update(SourceRow).where(SourceRow.name == name).values(checkpoint=dict(checkpoint))
    )


def _wanted(now: datetime):
    """Asked for now, or its scheduled time has come, and not paused."""
    scheduled = and_(
        SourceRow.schedule.is_not(None),
        or_(SourceRow.next_run.is_(None), SourceRow.next_run <= now),
    )
    return and_(SourceRow.paused.is_(False), or_(SourceRow.requested_at.is_not(None), scheduled))


def due_source(session: Session, now: datetime) -> str | None:
    """The next source asked for (``controls.request_harvest``) or whose scheduled time
    has come, not paused, that nobody harvests now.

    On PostgreSQL the row is locked with SKIP LOCKED, so concurrent workers each
    get a different one; the lease taken next keeps it theirs for the harvest.
    """
    query = (
        select(SourceRow.name)
        .where(_wanted(now), or_(SourceRow.lease_until.is_(None), SourceRow.lease_until < now))
        # A harvest an admin asked for goes first, then the longest overdue.
        .order_by(SourceRow.requested_at.is_(None), SourceRow.requested_at, SourceRow.next_run)
        .limit(1)
    )
    if session.bind.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return session.scalar(query)


def still_due(session: Session, name: str, now: datetime) -> bool:
    """Whether ``name`` is still wanted, asked once its claim is held.

    On SQLite ``due_source`` reads before the transaction takes the write lock, so a
    worker that finished this source in between (next run moved on, lease released)
    would otherwise see it claimed a second time.
    """
    wanted = select(SourceRow.name).where(SourceRow.name == name, _wanted(now))
    return session.scalar(wanted) is not None


def live_count(session: Session, source: str) -> int:
    return session.scalar(
        select(func.count()).where(RecordRow.source == source, RecordRow.deleted.is_(False))
    )


def quarantine(
    session: Session,
    source: str,
    identifier: str | None,
    prefix: str | None,
    reason: str,
    raw_xml: str,
    page: str,
    now: datetime,
) -> None:
    """Hold a refused record; an entry it earned before is replaced (one per record)."""
    identifier = identifier[:IDENTIFIER_LENGTH] if identifier else identifier
    if identifier:
        _close_held(session, source, [identifier], "replaced")
    session.add(
        QuarantinedRecord(
            source=source,
            # Cut to what the column holds: the whole identifier stays in the raw XML.
            identifier=identifier,
            metadata_prefix=prefix,
            reason=reason,
            raw_xml=raw_xml,
            page=page,
            created=now,
            status="held",
        )
    )


def resolve_quarantined(session: Session, source: str, identifiers: list[str]) -> None:
    """The partner sent these records again and they went in: their entries are closed."""
    _close_held(session, source, [i[:IDENTIFIER_LENGTH] for i in identifiers], "resolved")


def _close_held(session: Session, source: str, identifiers: list[str], status: str) -> None:
    for start in range(0, len(identifiers), 500):
        session.execute(
            update(QuarantinedRecord)
            .where(
                QuarantinedRecord.source == source,
                QuarantinedRecord.status == "held",
                QuarantinedRecord.identifier.in_(identifiers[start : start + 500]),
            )
            .values(status=status)
        )


def quarantined(session: Session, source: str | None = None, status: str = "held"):
    query = select(QuarantinedRecord).where(QuarantinedRecord.status == status)
    if source is not None:
        query = query.where(QuarantinedRecord.source == source)
    return list(session.scalars(query.order_by(QuarantinedRecord.id)))


def runs(session: Session, source: str | None = None, limit: int = 20) -> list[HarvestRun]:
    query = select(HarvestRun).order_by(HarvestRun.id.desc()).limit(limit)
    if source is not None:
        query = query.where(HarvestRun.source == source)
    return list(session.scalars(query))


def held_deletions(session: Session, status: str = "held") -> list[HeldDeletion]:
    return list(
        session.scalars(
            select(HeldDeletion).where(HeldDeletion.status == status).order_by(HeldDeletion.id)
        )
    )
