"""Recorded feeds of DSpace, InvenioRDM (Zenodo), DOAJ, Alma, SubjectsPlus and Sickle's
samples, replayed from loopback: what the recordings hold is what reaches the catalogue.

Expectations are read from the recordings themselves, record by record: the last word
on each identifier wins; a valid oai_dc record goes in, an invalid one is quarantined,
a deletion is applied, and a format Navette does not read is quarantined as such.
"""

from __future__ import annotations

import pytest
from lxml import etree
from sqlalchemy import select

from catalogue.tables import HarvestRun, QuarantinedRecord, RecordContent, RecordRow, SourceRow
from harvester.sync import Harvest
from schemas import validators
from tests.conftest import requires_schemas
from tests.harvest.helpers import NOW, add, fetcher
from tests.harvest.partner import PartnerRecord
from tests.harvest.replay import REALWORLD, Feed, Replay, feeds

OAI = "{http://www.openarchives.org/OAI/2.0/}"
OAI_DC = "{http://www.openarchives.org/OAI/2.0/oai_dc/}dc"

pytestmark = [
    requires_schemas,
    pytest.mark.skipif(
        not feeds(), reason=f"the recorded feeds are absent ({REALWORLD}): nothing to replay"
    ),
]
DC_FEEDS = [name for name, facts in feeds().items() if not facts["prefix"]]
MARC_FEEDS = [name for name, facts in feeds().items() if facts["prefix"] in ("marc21", "marcxml")]
FOREIGN_FEEDS = [
    name for name, facts in feeds().items() if facts["prefix"] and name not in MARC_FEEDS
]
MARC_RECORD = "{http://www.loc.gov/MARC21/slim}record"


def last_words(feed: Feed) -> dict[str | None, etree._Element]:
    """Each identifier's last record in the recording (None: records without one)."""
    last: dict[str | None, etree._Element] = {}
    for page in feed.pages:
        for record in etree.fromstring(page).iter(OAI + "record"):
            last[record.findtext(f"{OAI}header/{OAI}identifier")] = record
    return last


def is_deleted(record: etree._Element) -> bool:
    return record.find(OAI + "header").get("status") == "deleted"


def is_valid_dc(record: etree._Element) -> bool:
    metadata = record.find(OAI + "metadata")
    dc = metadata[0] if metadata is not None and len(metadata) else None
    return dc is not None and dc.tag == OAI_DC and not validators.quick_problems(dc, "oai_dc")


def harvest_replay(sessions, feed: Feed, partners) -> tuple[HarvestRun, Replay]:
    """The feed harvested over loopback, after the records it deletes were in the catalogue."""
    doomed = [i for i, r in last_words(feed).items() if i and is_deleted(r)]
    if doomed:
        earlier = partners([PartnerRecord(i, "2000-01-01T00:00:00Z") for i in doomed])
        add(sessions, earlier, delete_threshold=1.0)
        assert Harvest(sessions, "partner", fetcher=fetcher(), clock=lambda: NOW).run()
    replay = Replay(feed)
    add(sessions, replay, prefixes=[feed.prefix], delete_threshold=1.0)
    with sessions.begin() as session:
        row = session.get(SourceRow, "partner")
        row.base_url, row.harvested_until, row.prefixes = replay.url, None, [feed.prefix]
    try:
        report = Harvest(sessions, "partner", fetcher=fetcher(), clock=lambda: NOW).run()
    finally:
        replay.stop()
    return report, replay


def stored(sessions) -> tuple[dict[str, bool], dict[str | None, str]]:
    with sessions() as session:
        records = dict(session.execute(select(RecordRow.identifier, RecordRow.deleted)).all())
        held = session.execute(select(QuarantinedRecord.identifier, QuarantinedRecord.reason)).all()
    return records, dict(held)


@pytest.mark.parametrize("name", DC_FEEDS)
def test_a_recorded_oai_dc_feed_is_harvested_record_for_record(name, sessions, partners):
    feed = Feed.load(name)
    report, _ = harvest_replay(sessions, feed, partners)
    last = last_words(feed)
    live = {f"partner:{i}" for i, r in last.items() if i and not is_deleted(r) and is_valid_dc(r)}
    deleted = {f"partner:{i}" for i, r in last.items() if i and is_deleted(r)}
    refused = {i for i, r in last.items() if not is_deleted(r) and not is_valid_dc(r)}
    refused |= {None} if None in last else set()
    records, held = stored(sessions)
    assert {i for i, gone in records.items() if not gone} == live
    assert {i for i, gone in records.items() if gone} == deleted
    assert set(held) == refused
    assert report.status == ("rejects" if refused else "success"), report.message
    assert report.counts["pages"] == len(feed.pages)
    assert report.counts.get("deleted", 0) == len(deleted)


@pytest.mark.parametrize("name", FOREIGN_FEEDS)
def test_a_recorded_feed_in_a_format_navette_does_not_read_is_quarantined_with_that_reason(
    name, sessions, partners
):
    feed = Feed.load(name)
    report, _ = harvest_replay(sessions, feed, partners)
    records, held = stored(sessions)
    assert records == {}
    assert len(held) == len(last_words(feed))
    assert all("a format Navette does not read" in reason for reason in held.values())
    assert report.status == "rejects"


@pytest.mark.parametrize("name", MARC_FEEDS)
def test_a_recorded_marc_feed_is_harvested_with_its_records_stored(name, sessions, partners):
    """Alma offers MARC 21 only: each valid record is read in, its fields all kept."""
    feed = Feed.load(name)
    report, _ = harvest_replay(sessions, feed, partners)
    last = last_words(feed)
    valid = {
        f"partner:{i}"
        for i, r in last.items()
        if i
        and not is_deleted(r)
        and (marc := r.find(f"{OAI}metadata/{MARC_RECORD}")) is not None
        and not validators.quick_problems(marc, "marcxml")
    }
    records, held = stored(sessions)
    assert {i for i, gone in records.items() if not gone} == valid and len(valid) == 100
    assert held == {} and report.status == "success", report.message
    with sessions() as session:
        rows = session.execute(
            select(RecordRow.formats, RecordContent.data).join(RecordRow.contents)
        ).all()
    assert all(" marcxml " in formats and data.get("titles") for formats, data in rows)


def test_the_sickle_chain_with_a_constant_cursor_is_read_to_its_last_page(sessions, partners):
    feed = Feed.load("sickle-chain")
    _, replay = harvest_replay(sessions, feed, partners)
    tokens = [r.get("resumptionToken") for r in replay.requests if r["verb"] == "ListRecords"]
    assert tokens == [None, "ListRecords2.xml", "ListRecords3.xml", "ListRecords4.xml"]
