"""Deletions a harvest applies, and those it holds back for an admin.

A partner that suddenly reports most of its records deleted is more often broken than
emptied.  A run's deletions (deleted headers, records reconciliation no longer finds,
records that left the harvested sets) are gathered for the whole run and decided once,
at its end: under the source's threshold (a share of the records it had when the run
began) all are applied; past it none is, and all are held as one batch with the reason
until an admin approves or rejects it.  A crash before the end applies none of them:
the resumed run still has them (``harvester.copies``) and decides at its own end.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from catalogue import store
from catalogue.tables import HeldDeletion, RecordRow
from harvester import state

#: Identifiers asked for in one statement.
CHUNK = 500


class DeletionGuard:
    """Decides one run's deletions against the source's threshold."""

    def __init__(self, source: str, threshold: float, live_at_start: int) -> None:
        self.source = source
        self.threshold = threshold
        self.live_at_start = live_at_start

    @property
    def allowed(self) -> int:
        return int(self.threshold * self.live_at_start)

    def decide(
        self, session: Session, identifiers: Iterable[str], now: datetime, counts: Counter[str]
    ) -> HeldDeletion | None:
        """Delete the run's records, or hold them all as one batch (returned) if they
        are more than the threshold allows.  A deletion of a record the store does not
        hold live is no deletion: it is counted apart and never held."""
        asked = sorted(set(identifiers))
        live = _live(session, self.source, asked)
        counts["absent"] += len(asked) - len(live)
        if not live:
            return None
        if self.live_at_start and len(live) > self.allowed:
            held = HeldDeletion(
                source=self.source,
                identifiers=live,
                reason=(
                    f"the harvest would delete {len(live)} of the {self.live_at_start} records "
                    f"of {self.source}, more than its threshold of {self.threshold:.0%} "
                    f"({self.allowed}); none was deleted"
                ),
                created=now,
                status="held",
            )
            session.add(held)
            session.flush()
            counts["held"] += len(live)
            return held
        for identifier in live:
            if store.delete_record(session, identifier, now):
                counts["deleted"] += 1
        return None


def _live(session: Session, source: str, identifiers: list[str]) -> list[str]:
    live: list[str] = []
    for start in range(0, len(identifiers), CHUNK):
        live.extend(
            session.scalars(
                select(RecordRow.identifier).where(
                    RecordRow.source == source,
                    RecordRow.deleted.is_(False),
                    RecordRow.identifier.in_(identifiers[start : start + CHUNK]),
                )
            )
        )
    return sorted(live)


def approve(sessions: sessionmaker[Session], held_id: int, now: datetime) -> int:
    """Apply held deletions an admin approved; how many records were deleted."""
    with sessions.begin() as session:
        held = _held(session, held_id)
        deleted = sum(store.delete_record(session, i, now) for i in held.identifiers)
        held.status = "approved"
    return deleted


def reject(sessions: sessionmaker[Session], held_id: int) -> None:
    """Drop held deletions: the records stay."""
    with sessions.begin() as session:
        _held(session, held_id).status = "rejected"


def _held(session: Session, held_id: int) -> HeldDeletion:
    held = session.get(HeldDeletion, held_id)
    if held is None or held.status != "held":
        raise state.SourceError(f"there are no held deletions numbered {held_id}")
    return held
