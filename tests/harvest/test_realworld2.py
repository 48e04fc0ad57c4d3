"""The second set of recorded feeds (DSpace, bepress, EPrints, arXiv, PMC, Dataverse and
others), each harvested twice from loopback: the second harvest of an unchanged feed
changes nothing, holds nothing and adds no refusal (issue 29).

The recordings answer the same pages whatever the window asks, which is what an unchanged
feed looks like to a harvester that overlaps its windows.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from lxml import etree
from sqlalchemy import select

from catalogue.tables import (
    HeldDeletion,
    QuarantinedRecord,
    RecordContent,
    RecordRow,
    Rendering,
)
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


OAI = "{http://www.openarchives.org/OAI/2.0/}"
#: The stored rendering a feed's prefix is served from, and what Navette adds to it: its
#: own 035 to a library's MARC, its local identifier to a MODS record, nothing to DC.
SERVED_AS = {
    "oai_dc": ("oai_dc", ()),
    "marc21": ("marcxml", ("datafield",)),
    "mods": ("mods", ("identifier",)),
}


def _recorded_records(name: str) -> dict[str, etree._Element]:
    """Each identifier's last record in the recording, deleted ones aside."""
    last = {}
    for page in recorded(name).pages:
        for record in etree.fromstring(page).iter(OAI + "record"):
            identifier = (record.findtext(f"{OAI}header/{OAI}identifier") or "").strip()
            last[identifier] = record
    return {i: r for i, r in last.items() if r.find(OAI + "header").get("status") != "deleted"}


def _shape(element: etree._Element) -> tuple:
    """An element as data, whatever its prefixes: name, attributes, text, children."""
    return (
        etree.QName(element).localname,
        tuple(sorted((k, v) for k, v in element.attrib.items() if "schemaLocation" not in k)),
        " ".join((element.text or "").split()),
        tuple(_shape(child) for child in element.iterchildren(etree.Element)),
    )


def _children(root: etree._Element) -> Counter:
    """The element's children that say something (an empty ``<dc:publisher/>`` does not)."""
    shapes = (_shape(child) for child in root.iterchildren(etree.Element))
    return Counter(shape for shape in shapes if shape[1] or shape[2] or shape[3])


def _served(sessions, prefix: str) -> dict[str, str]:
    with sessions() as session:
        rows = session.execute(
            select(RecordRow.identifier, Rendering.xml)
            .join(Rendering, Rendering.record_id == RecordRow.id)
            .where(Rendering.prefix == prefix, RecordRow.deleted.is_(False))
        ).all()
    return dict(rows)


@pytest.mark.parametrize("name", recorded_feeds())
def test_every_record_of_a_recorded_feed_is_stored_or_refused_and_served_as_it_came(name, sessions):
    """oai_dc as recorded, element for element; a library's MARC and MODS whole (issue 30)."""
    replay = Replay(recorded(name))
    add(sessions, replay, prefixes=[replay.feed.prefix])
    try:
        _harvest(sessions)
    finally:
        replay.stop()
    prefix, added = SERVED_AS[replay.feed.prefix]
    served = _served(sessions, prefix)
    refused = {identifier for _, identifier in _held(sessions)}
    for identifier, record in _recorded_records(name).items():
        if identifier in refused:
            continue
        assert f"partner:{identifier}" in served, f"{identifier} was neither stored nor refused"
        came = _children(record.find(f"{OAI}metadata")[0])
        went = _children(etree.fromstring(served[f"partner:{identifier}"].encode()))
        assert came - went == Counter(), identifier
        assert [shape[0] for shape in (went - came).elements()] in ([], list(added)), identifier
    assert _called_films(sessions) == []


#: How each format says "a film or a video".
FILM_WORDS = re.compile(r"MovingImage|moving image|>VIDEO<|00000.g")


def _called_films(sessions) -> list[tuple[str, str]]:
    """(identifier, format) of each rendering calling a record a film that is not one."""
    with sessions() as session:
        rows = session.execute(
            select(RecordRow.identifier, Rendering.prefix, Rendering.xml, RecordContent.data)
            .join(Rendering, Rendering.record_id == RecordRow.id)
            .join(RecordContent, RecordContent.record_id == RecordRow.id)
        ).all()
    return [
        (identifier, prefix)
        for identifier, prefix, xml, data in rows
        if data.get("resource_type") != "MovingImage" and FILM_WORDS.search(xml)
    ]
