"""A source's harvests as an admin reads them: one run's report (what it read, what it
refused and held back, how long it took) and the runs over time.

A run's quarantined records and held deletions are those its source stored while the
run held the source's lease (one harvest per source at a time): no run number needs to
be written on each.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.tables import HarvestRun, HeldDeletion, QuarantinedRecord

#: The counts of records a run read, each once (deletions held or applied are records read).
READ = ("new", "updated", "unchanged", "deleted", "rejected", "absent", "superseded")
#: What a reason's particulars look like: quoted text, identifiers, numbers.
_PARTICULARS = re.compile(r"“[^”]*”|\"[^\"]*\"|'[^']*'|<[^>]*>|\b[\w.-]*\d[\w.:/-]*")


@dataclass(frozen=True)
class RunReport:
    run: HarvestRun
    quarantined: list[QuarantinedRecord]
    held: list[HeldDeletion]

    @property
    def duration(self) -> timedelta | None:
        return duration(self.run)

    @property
    def records(self) -> int:
        return records_read(self.run)

    @property
    def rate(self) -> float | None:
        """Records read per second (None while running or for an instant run)."""
        return rate(self.run)


def duration(run: HarvestRun) -> timedelta | None:
    return run.finished - run.started if run.finished is not None else None


def records_read(run: HarvestRun) -> int:
    return sum(int(run.counts.get(name, 0)) for name in READ)


def rate(run: HarvestRun) -> float | None:
    seconds = duration(run).total_seconds() if run.finished is not None else 0
    return records_read(run) / seconds if seconds >= 1 else None


def report(session: Session, number: int, now: datetime) -> RunReport | None:
    """Run ``number`` with the records it quarantined and the deletions it held."""
    run = session.get(HarvestRun, number)
    if run is None:
        return None
    end = run.finished or now

    def during(table):
        """The rows ``table`` holds of the run's source from the run's start to its end."""
        return list(
            session.scalars(
                select(table)
                .where(table.source == run.source, table.created.between(run.started, end))
                .order_by(table.id)
            )
        )

    return RunReport(run, during(QuarantinedRecord), during(HeldDeletion))


def held_by(session: Session, held: list[HeldDeletion]) -> dict[int, HarvestRun]:
    """The run that held each batch of deletions (by the batch's number)."""
    found: dict[int, HarvestRun] = {}
    for batch in held:
        run = session.scalar(
            select(HarvestRun)
            .where(HarvestRun.source == batch.source, HarvestRun.started <= batch.created)
            .order_by(HarvestRun.started.desc())
            .limit(1)
        )
        if run is not None:
            found[batch.id] = run
    return found


def runs_over_time(session: Session, source: str, limit: int = 100) -> list[HarvestRun]:
    """The source's last ``limit`` runs, oldest first (as a chart reads left to right)."""
    newest = session.scalars(
        select(HarvestRun)
        .where(HarvestRun.source == source)
        .order_by(HarvestRun.id.desc())
        .limit(limit)
    )
    return list(reversed(list(newest)))


def reason_kind(reason: str) -> str:
    """A reason with its particulars (record identifiers, values, line numbers) left
    out, so that records refused for the same cause are counted together."""
    head = reason.split(";")[0]
    return re.sub(r"\s+", " ", _PARTICULARS.sub("…", head)).strip()


def quarantine_by_reason(session: Session, source: str) -> list[tuple[str, int]]:
    """The source's records held in quarantine now, counted by kind of reason, most first."""
    reasons = session.scalars(
        select(QuarantinedRecord.reason).where(
            QuarantinedRecord.source == source, QuarantinedRecord.status == "held"
        )
    )
    return Counter(reason_kind(r) for r in reasons).most_common()
