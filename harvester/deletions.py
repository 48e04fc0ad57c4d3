"""Deletions a harvest applies, and those it holds back for an admin.

A partner that suddenly reports most of its records deleted is more often broken than
emptied: past the source's threshold (a share of the records it had when the run
began), deletions are held with the reason until an admin approves or rejects them.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from catalogue import store
from catalogue.tables import HeldDeletion
from harvester import state


class DeletionGuard:
    """Applies one run's deletions while they stay under the source's threshold."""

    def __init__(self, source: str, threshold: float, live_at_start: int) -> None:
        self.source = source
        self.threshold = threshold
        self.live_at_start = live_at_start

    def apply(
        self, session: Session, identifiers: list[str], now: datetime, counts: Counter[str]
    ) -> None:
        """Delete the records, or hold them all if the run would pass the threshold."""
        if not identifiers:
            return
        allowed = int(self.threshold * self.live_at_start)
        asked = counts["deleted"] + counts["held"] + len(identifiers)
        if self.live_at_start and asked > allowed:
            session.add(
                HeldDeletion(
                    source=self.source,
                    identifiers=identifiers,
                    reason=(
                        f"the harvest would delete more than {self.threshold:.0%} of the "
                        f"{self.live_at_start} records of {self.source}"
                    ),
                    created=now,
                    status="held",
                )
            )
            counts["held"] += len(identifiers)
            return
        for identifier in identifiers:
            if store.delete_record(session, identifier, now):
                counts["deleted"] += 1


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
