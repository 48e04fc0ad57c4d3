"""The second set of recorded feeds (DSpace, bepress, EPrints, arXiv, PMC, Dataverse and
others), each harvested twice from loopback: the second harvest of an unchanged feed
changes nothing, holds nothing and adds no refusal (issue 29).

The recordings answer the same pages whatever the window asks, which is what an unchanged
feed looks like to a harvester that overlaps its windows.
"""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import select

from catalogue.tables import HeldDeletion, QuarantinedRecord
from harvester.sync import Harvest
from tests.conftest import requires_schemas
from tests.harvest.helpers import NOW, add, catalogue, fetcher, titles
from tests.harvest.replay import REALWORLD2, Replay, recorded, recorded_feeds

pytestmark = [
    requires_schemas,
    pytest.mark.skipif(
        not recorded_feeds(),
        reason=f"the second set of recorded feeds is absent ({REALWORLD2}): nothing to replay",
    ),
]


def _harvest(sessions):
    """Mapped in process: starting the pool costs more than these pages (tested apart)."""
    return Harvest(sessions, "partner", fetcher=fetcher(), clock=lambda: NOW, workers=1).run()


def _held(sessions) -> list[tuple[str, str | None]]:
    with sessions() as session:
        return list(
            session.execute(
                select(QuarantinedRecord.source, QuarantinedRecord.identifier).where(
                    QuarantinedRecord.status == "held"
                )
            )
        )


def _held_batches(sessions) -> int:
    with sessions() as session:
        return len(session.scalars(select(HeldDeletion)).all())


@pytest.mark.parametrize("name", recorded_feeds())
def test_a_second_harvest_of_an_unchanged_feed_changes_holds_and_refuses_nothing_new(
    name, sessions
):
    """One test a feed (each harvest costs seconds): records, deletions and refusals."""
    replay = Replay(recorded(name))
    add(sessions, replay, prefixes=[replay.feed.prefix])
    try:
        first = _harvest(sessions)
        records, names, held = catalogue(sessions), titles(sessions), _held(sessions)
        second = _harvest(sessions)
    finally:
        replay.stop()
    assert (catalogue(sessions), titles(sessions)) == (records, names)
    assert first.status != "held" and second.status != "held", second.message
    assert _held_batches(sessions) == 0
    assert first.counts.get("deleted", 0) == sum(records.values())
    assert second.counts.get("absent", 0) == first.counts.get("absent", 0)
    held_again = _held(sessions)
    assert len(held_again) == len(held)
    named = Counter(entry for entry in held_again if entry[1] is not None)
    assert all(count == 1 for count in named.values()), named.most_common(3)
