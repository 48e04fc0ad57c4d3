"""What an admin does to a source once it is added: edit it, pause and resume it, ask
for a harvest now and follow it (``progress``), remove it.  One set of functions for the
admin pages and the command line, each saying in a sentence what it did, so that both
report and log the same.

A source being harvested is not edited nor removed under the harvest's feet: the admin
is told to wait for it to end (or to release its claim if it is gone).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from catalogue import store
from catalogue.tables import (
    HarvestRun,
    HeldDeletion,
    QuarantinedRecord,
    RecordRow,
    SeenCopy,
    SourceRow,
)
from harvester.state import (
    SourceError,
    check_schedule,
    get_source,
    next_run,
    same_endpoint,
    source_for,
)

#: What becomes of a removed source's records.
KEEP, DELETE = "keep", "delete"


@dataclass(frozen=True)
class Changes:
    """An edit: each field None when it is left as it is (schedule "" removes it)."""

    url: str | None = None
    prefixes: list[str] | None = None
    sets: list[str] | None = None
    schedule: str | None = None
    threshold: float | None = None


def _idle(row: SourceRow, now: datetime, doing: str) -> None:
    if row.lease_owner and row.lease_until and row.lease_until > now:
        raise SourceError(
            f"{row.name} is being harvested ({row.lease_owner}): it cannot be {doing} "
            "until that harvest ends (or its claim is released, if it is gone)"
        )


def edit(session: Session, name: str, changes: Changes, now: datetime) -> list[str]:
    """Apply ``changes``; what changed, in sentences (empty: nothing did)."""
    row = get_source(session, name)
    _idle(row, now, "edited")
    said: list[str] = []
    endpoint = (row.base_url, list(row.prefixes), list(row.sets))
    if changes.url is not None and changes.url != row.base_url:
        if not changes.url.startswith(("http://", "https://")):
            raise SourceError(f"{changes.url!r} is not an http(s) URL")
        said.append(f"URL {row.base_url} -> {changes.url}")
        row.base_url = changes.url
    for field, value in (("prefixes", changes.prefixes), ("sets", changes.sets)):
        if value is not None and list(value) != list(getattr(row, field)):
            said.append(f"{field} {', '.join(getattr(row, field)) or 'none'} -> "
                        f"{', '.join(value) or 'none'}")  # fmt: skip
            setattr(row, field, list(value))
    if (row.base_url, list(row.prefixes), list(row.sets)) != endpoint:
        other = source_for(session, row.base_url, list(row.prefixes), list(row.sets))
        if other is not None and other != name:
            raise SourceError(f"source {other} already harvests {same_endpoint(row.base_url)}")
        row.harvested_until, row.checkpoint = None, None
        said.append("the next harvest reads the whole list again")
    if changes.schedule is not None and (changes.schedule or None) != row.schedule:
        schedule = changes.schedule or None
        check_schedule(schedule)
        said.append(f"schedule {row.schedule or 'none'} -> {schedule or 'none'}")
        row.schedule, row.next_run = schedule, next_run(schedule, now)
    if changes.threshold is not None and changes.threshold != row.delete_threshold:
        if not 0 < changes.threshold <= 1:
            raise SourceError("the delete threshold is a share between 0 and 1")
        said.append(f"delete threshold {row.delete_threshold:.0%} -> {changes.threshold:.0%}")
        row.delete_threshold = changes.threshold
    return said


def pause(session: Session, name: str) -> str:
    row = get_source(session, name)
    if row.paused:
        return f"{name} was already paused"
    row.paused, row.requested_at, row.requested_by = True, None, None
    return f"{name} paused: no worker harvests it until it is resumed"


def resume(session: Session, name: str, now: datetime) -> str:
    row = get_source(session, name)
    if not row.paused:
        return f"{name} was not paused"
    row.paused = False
    row.next_run = next_run(row.schedule, now)
    when = f"next harvest {row.next_run:%Y-%m-%d %H:%M} UTC" if row.next_run else "on demand"
    return f"{name} resumed ({when})"


def request_harvest(session: Session, name: str, who: str, now: datetime) -> str:
    """Queue a harvest of ``name`` for the next free worker."""
    row = get_source(session, name)
    if row.paused:
        raise SourceError(f"{name} is paused: resume it before asking for a harvest")
    if row.requested_at is not None:
        return f"a harvest of {name} was already asked for at {row.requested_at:%H:%M:%S} UTC"
    row.requested_at, row.requested_by = now, who
    return f"harvest of {name} queued: the next free worker (`navette worker`) runs it"


def clear_request(session: Session, name: str, asked_before: datetime) -> None:
    """The harvest asked for has run: forget the request (one made since stays)."""
    row = session.get(SourceRow, name)
    if row is not None and row.requested_at is not None and row.requested_at <= asked_before:
        row.requested_at, row.requested_by = None, None


def live_records(session: Session, name: str) -> int:
    return session.scalar(
        select(func.count()).where(RecordRow.source == name, RecordRow.deleted.is_(False))
    )


def remove(session: Session, name: str, records: str, now: datetime) -> str:
    """Remove the source, its runs, quarantine and held deletions; its records are kept
    as they are (``KEEP``) or deleted, so that harvesters of Navette see them go."""
    row = get_source(session, name)
    _idle(row, now, "removed")
    if records not in (KEEP, DELETE):
        raise SourceError(f"say what becomes of the records: {KEEP} or {DELETE}")
    live = live_records(session, name)
    if records == DELETE:
        deleted = store.delete_source_records(session, name, now)
        fate = f"its {deleted} records deleted (kept as deletions for harvesters)"
    else:
        fate = f"its {live} records kept as they are, no longer updated"
    for table in (HarvestRun, QuarantinedRecord, HeldDeletion, SeenCopy):
        session.execute(delete(table).where(table.source == name))
    session.delete(row)
    return f"source {name} removed; {fate}"


def _counted(counts: dict) -> str:
    shown = ("pages", "new", "updated", "unchanged", "deleted", "rejected", "held")
    return ", ".join(f"{counts.get(k, 0)} {k}" for k in shown if k in counts) or "nothing yet"


def progress(row: SourceRow, last: HarvestRun | None, now: datetime) -> dict:
    """Where a source's harvest stands, as the page says it: a sentence and its facts."""
    running = bool(row.lease_owner and row.lease_until and row.lease_until > now)
    counts = dict((row.checkpoint or {}).get("counts") or {})
    if running:
        sentence = f"Harvesting now ({row.lease_owner}): {_counted(counts)} so far."
    elif row.requested_at is not None:
        sentence = (
            f"Harvest asked for at {row.requested_at:%Y-%m-%d %H:%M:%S} UTC by "
            f"{row.requested_by or 'an admin'}: waiting for a worker (`navette worker`)."
        )
    elif last is not None and last.finished is not None:
        sentence = (
            f"Last harvest {last.status}, ended {last.finished:%Y-%m-%d %H:%M:%S} UTC: "
            f"{_counted(last.counts)}."
        )
    else:
        sentence = "Not harvested yet."
    return {
        "source": row.name,
        "active": running or row.requested_at is not None,
        "running": running,
        "requested": row.requested_at is not None,
        "paused": row.paused,
        "status": row.status,
        "counts": counts,
        "last_run": None
        if last is None
        else {"status": last.status, "counts": last.counts, "message": last.message},
        "sentence": sentence,
    }
