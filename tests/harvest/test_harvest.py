"""A harvest keeps the catalogue in step with a partner: incremental, idempotent, deletions."""

from __future__ import annotations

import pytest
from lxml import etree
from sqlalchemy import select

from catalogue import database
from catalogue.database import LISTED
from catalogue.tables import HarvestRun, RecordContent, RecordRow
from mappings.dc_out import to_oai_dc
from mappings.ebucore_out import to_ebucore
from tests.conftest import analysed_by_postgresql, requires_schemas
from tests.harvest.helpers import add, catalogue, live, quarantine, run, source, titles
from tests.harvest.partner import EBUCORE, PartnerRecord, films

pytestmark = requires_schemas


def test_a_first_harvest_brings_every_record(sessions, partners):
    partner = partners(films(10))
    report = run(sessions, partner)
    assert report.status == "success"
    assert report.counts["new"] == 10 and report.counts["pages"] == 4
    assert len(live(sessions)) == 10
    assert titles(sessions)["partner:oai:partner.example.org:003"] == "Partner film 003"


def test_the_run_report_is_stored(sessions, partners):
    run(sessions, partners(films(4)))
    with sessions() as session:
        stored = session.scalars(select(HarvestRun)).all()
    assert [(r.status, r.counts["new"]) for r in stored] == [("success", 4)]


def test_the_second_harvest_starts_from_the_newest_datestamp_received(sessions, partners):
    partner = partners(films(4))
    run(sessions, partner)
    assert source(sessions).harvested_until.isoformat() == "2024-05-01T03:00:00"
    partner.requests.clear()
    run(sessions, partner)
    lists = [r for r in partner.requests if r.get("verb") == "ListRecords"]
    assert lists[0]["from"] == "2024-05-01T02:59:59Z"


def test_a_response_date_behind_the_datestamps_is_where_the_next_harvest_starts(sessions, partners):
    partner = partners(films(4))
    partner.response_date = "2024-05-01T01:30:00Z"
    run(sessions, partner)
    assert source(sessions).harvested_until.isoformat() == "2024-05-01T01:30:00"


def test_an_unchanged_record_keeps_its_datestamp(sessions, partners):
    partner = partners(films(4))
    run(sessions, partner)
    with sessions() as session:
        before = dict(session.execute(select(RecordRow.identifier, RecordRow.datestamp)).all())
    partner.response_date = "2024-06-02T10:00:00Z"
    for record in partner.records:
        record.datestamp = "2024-06-02T08:00:00Z"
    report = run(sessions, partner)
    assert report.counts["unchanged"] == 4 and report.counts.get("updated", 0) == 0
    with sessions() as session:
        after = dict(session.execute(select(RecordRow.identifier, RecordRow.datestamp)).all())
    assert after == before


def test_changes_and_deletions_reach_the_catalogue(sessions, partners):
    partner = partners(films(5))
    run(sessions, partner)
    partner.response_date = "2024-06-02T10:00:00Z"
    partner.records[1].title = "Renamed film"
    partner.records[1].datestamp = "2024-06-02T09:00:00Z"
    partner.records[2].deleted = True
    partner.records[2].datestamp = "2024-06-02T09:00:00Z"
    report = run(sessions, partner)
    assert (report.counts["updated"], report.counts["deleted"]) == (1, 1)
    assert titles(sessions)["partner:oai:partner.example.org:001"] == "Renamed film"
    assert catalogue(sessions)["partner:oai:partner.example.org:002"] is True


def test_a_deleted_record_that_reappears_is_restored(sessions, partners):
    partner = partners(films(3))
    run(sessions, partner)
    partner.records[0].deleted = True
    partner.response_date = "2024-06-02T10:00:00Z"
    partner.records[0].datestamp = "2024-06-02T09:00:00Z"
    run(sessions, partner)
    partner.records[0].deleted = False
    partner.records[0].datestamp = "2024-06-03T09:00:00Z"
    partner.response_date = "2024-06-03T10:00:00Z"
    run(sessions, partner)
    assert catalogue(sessions)["partner:oai:partner.example.org:000"] is False


def test_no_records_match_is_a_successful_empty_harvest_that_keeps_its_window(sessions, partners):
    report = run(sessions, partners([]))
    assert report.status == "success"
    assert source(sessions).harvested_until is None


def test_the_richer_format_wins(sessions, partners, seed_record):
    from mappings.ebucore_out import to_ebucore

    ebucore = etree.tostring(to_ebucore(seed_record), encoding="unicode")
    records = [PartnerRecord("oai:p.org:1", "2024-05-01T00:00:00Z", metadata=ebucore)]
    partner = partners(records, formats=("oai_dc", "ebucore"))
    report = run(sessions, partner)
    assert report.counts["new"] == 1
    assert partner.requests[-1]["metadataPrefix"] == "ebucore"
    with sessions() as session:
        data = session.scalar(select(RecordContent.data))
    assert data["provenance"]["metadata_namespace"] == EBUCORE
    assert data["credits"][2]["person"]["affiliations"] == [
        "IAS",
        "UMR CNRS",
        "Univ. Paris-Sud",
        "CNES",
    ]


def test_sets_are_harvested_one_by_one(sessions, partners):
    partner = partners(films(3))
    add(sessions, partner, "by-set", sets=["a", "b"])
    run(sessions, partner, name="by-set")
    asked = [
        r.get("set")
        for r in partner.requests
        if r.get("verb") == "ListRecords" and "resumptionToken" not in r
    ]
    assert asked == ["a", "b"]


@pytest.mark.parametrize(
    ("stamp", "stored"),
    [
        ("2024-05-01T12:00:00.250Z", "2024-05-01T12:00:00Z"),
        ("2024-05-01T14:00:00+02:00", "2024-05-01T12:00:00Z"),
        ("2024-05-01", "2024-05-01T00:00:00Z"),
    ],
    ids=["fraction", "offset", "day-from-seconds-repository"],
)
def test_partner_datestamps_are_normalised_to_utc(sessions, partners, stamp, stored):
    partner = partners([PartnerRecord("oai:p.org:1", stamp)])
    run(sessions, partner)
    with sessions() as session:
        data = session.scalar(select(RecordContent.data))
    assert data["provenance"]["datestamp"] == stored


def test_granularity_is_downgraded_to_days_when_the_partner_rejects_seconds(sessions, partners):
    partner = partners(films(3))
    run(sessions, partner)
    partner.reject_seconds = True
    partner.requests.clear()
    report = run(sessions, partner)
    assert report.status == "success"
    froms = [r.get("from") for r in partner.requests if r.get("verb") == "ListRecords"]
    assert froms == ["2024-05-01T01:59:59Z", "2024-05-01"]
    assert source(sessions).granularity == "YYYY-MM-DD"


def _seed_partner_record(datestamp: str, metadata: str) -> PartnerRecord:
    return PartnerRecord("oai:partner.example.org:6764", datestamp, metadata=metadata)


def catalogue_data(sessions) -> dict[str, dict]:
    with sessions() as session:
        return dict(
            session.execute(
                select(RecordRow.identifier, RecordContent.data).join(RecordRow.contents)
            ).all()
        )


def test_simple_dc_never_silently_overwrites_a_richer_harvested_record(
    sessions, partners, seed_record
):
    rich = etree.tostring(to_ebucore(seed_record), encoding="unicode")
    partner = partners([_seed_partner_record("2024-05-01T00:00:00Z", rich)], formats=("ebucore",))
    assert run(sessions, partner).counts["new"] == 1
    before = catalogue_data(sessions)

    same = etree.tostring(to_oai_dc(seed_record), encoding="unicode")
    partner.formats = ("oai_dc",)
    partner.records = [_seed_partner_record("2024-06-02T00:00:00Z", same)]
    report = run(sessions, partner)
    assert report.status == "success" and report.counts["unchanged"] == 1
    assert catalogue_data(sessions) == before

    changed = same.replace("Mars Express Mission", "Mars Express (restored)")
    partner.records = [_seed_partner_record("2024-06-03T00:00:00Z", changed)]
    report = run(sessions, partner)
    assert report.status == "rejects"
    [held] = quarantine(sessions)
    assert "a richer record" in held.reason and "laboratories" in held.reason
    assert catalogue_data(sessions) == before


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_large_harvest_leaves_postgresql_statistics_of_every_table_a_list_reads(
    sessions, partners, monkeypatch
):
    monkeypatch.setattr(database, "STATISTICS_AFTER", 4)
    run(sessions, partners(films(4)))
    assert set(LISTED) <= analysed_by_postgresql(sessions)
