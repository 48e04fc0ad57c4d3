"""A harvest the admin can trust with partners that misbehave the ordinary ways (issue 29).

Each case runs on a real loopback partner, on every configured database, and ends with
the catalogue in step with what the partner holds: the same live records with the same
titles, and none of the records it deleted.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from lxml import etree
from sqlalchemy import select

from catalogue.tables import HeldDeletion, QuarantinedRecord, SourceRow
from harvester import state
from harvester.deletions import approve, reject
from mappings.ebucore_out import to_ebucore
from tests.conftest import requires_schemas
from tests.harvest.helpers import (
    NOW,
    add,
    catalogue,
    fetcher,
    live,
    quarantine,
    run,
    source,
    titles,
)
from tests.harvest.partner import PartnerRecord, Reply, dc_metadata, films

pytestmark = requires_schemas

LATER = "2024-06-02T00:00:00Z"


def partner_holds(partner) -> dict[str, str]:
    """The partner's live records (local identifier -> title), each at its newest copy."""
    newest: dict[str, PartnerRecord] = {}
    for record in partner.records:
        held = newest.get(record.identifier)
        if held is None or record.datestamp >= held.datestamp:
            newest[record.identifier] = record
    return {f"partner:{i}": r.title for i, r in newest.items() if not r.deleted}


def assert_in_step(sessions, partner) -> None:
    ours = titles(sessions)
    assert {i: ours.get(i) for i in live(sessions)} == partner_holds(partner)


def delete_at_partner(partner, records) -> None:
    for record in records:
        record.deleted, record.datestamp = True, LATER
    partner.response_date = "2024-06-02T10:00:00Z"


def held_batches(sessions) -> list[HeldDeletion]:
    with sessions() as session:
        return state.held_deletions(session)


# --- 1. deletions decided once per run ------------------------------------------------


def test_a_mass_deletion_is_held_whole_and_nothing_is_deleted(sessions, partners):
    partner = partners(films(40), page_size=5)
    run(sessions, partner)
    delete_at_partner(partner, partner.records[:24])
    report = run(sessions, partner)
    assert report.status == "held"
    assert report.counts["held"] == 24 and report.counts.get("deleted", 0) == 0
    assert len(live(sessions)) == 40
    (batch,) = held_batches(sessions)
    assert len(batch.identifiers) == 24 and "none was deleted" in batch.reason
    assert f"navette deletions approve {batch.id}" in report.message


def _mass_deletion_held(sessions, partners):
    """A partner that deleted 24 of its 40 records, harvested: the batch held and it."""
    partner = partners(films(40), page_size=5)
    run(sessions, partner)
    delete_at_partner(partner, partner.records[:24])
    run(sessions, partner)
    (batch,) = held_batches(sessions)
    return batch, partner


def test_approving_the_held_batch_deletes_every_record_in_it(sessions, partners):
    batch, partner = _mass_deletion_held(sessions, partners)
    assert approve(sessions, batch.id, datetime(2024, 6, 3)) == 24
    assert_in_step(sessions, partner)


def test_rejecting_the_held_batch_keeps_every_record(sessions, partners):
    batch, _ = _mass_deletion_held(sessions, partners)
    reject(sessions, batch.id)
    assert len(live(sessions)) == 40 and held_batches(sessions) == []


def test_deletions_under_the_threshold_are_all_applied_at_the_end(sessions, partners):
    partner = partners(films(40), page_size=5)
    run(sessions, partner)
    delete_at_partner(partner, partner.records[:6])
    report = run(sessions, partner)
    assert report.status == "success" and report.counts["deleted"] == 6
    assert_in_step(sessions, partner)


def test_a_run_that_fails_before_its_end_deletes_nothing_and_its_resumption_does(
    sessions, partners
):
    partner = partners(films(40), page_size=5)
    run(sessions, partner)
    delete_at_partner(partner, partner.records[:6])
    broken = {"on": True}
    partner.faults.append(
        lambda n, params: Reply(503) if broken["on"] and "resumptionToken" in params else None
    )
    failed = run(sessions, partner, fetch=fetcher(attempts=1))
    assert failed.status == "failed" and failed.counts.get("deleted", 0) == 0
    assert len(live(sessions)) == 40
    broken["on"] = False
    resumed = run(sessions, partner)
    assert resumed.status == "success" and resumed.counts["deleted"] == 6
    assert_in_step(sessions, partner)


def test_a_reconcile_past_the_threshold_is_one_held_batch(sessions, partners):
    partner = partners(films(20), page_size=3, deleted_record="no")
    run(sessions, partner)
    del partner.records[:8]
    report = run(sessions, partner, reconcile=True)
    assert report.status == "held" and report.counts["held"] == 8
    assert len(held_batches(sessions)) == 1 and len(live(sessions)) == 20


# --- 2. the next window on the partner's clock ----------------------------------------


def test_a_partner_clock_running_ahead_loses_no_change(sessions, partners):
    partner = partners(films(6))
    partner.response_date = "2024-06-01T12:00:00Z"  # two hours ahead of its datestamps
    first = run(sessions, partner)
    assert "2.0 h ahead of Navette's" in first.message
    assert "2.0 h ahead of Navette's" in source(sessions).message
    partner.records[2].title, partner.records[2].datestamp = "Revised", "2024-06-01T10:30:00Z"
    partner.records[3].deleted, partner.records[3].datestamp = True, "2024-06-01T10:45:00Z"
    partner.records.append(
        PartnerRecord("oai:partner.example.org:new", "2024-06-01T10:40:00Z", "Added")
    )
    partner.response_date = "2024-06-01T12:50:00Z"
    report = run(sessions, partner)
    assert (report.counts["updated"], report.counts["new"], report.counts["deleted"]) == (1, 1, 1)
    assert_in_step(sessions, partner)


def test_a_partner_clock_in_step_with_ours_is_not_warned_about(sessions, partners):
    partner = partners(films(3))
    assert run(sessions, partner).message is None


# --- 3. the newest copy wins ----------------------------------------------------------


def _unsorted(partners, records):
    partner = partners(records, page_size=3)
    partner.sort = False
    return partner


def test_a_stale_copy_later_in_the_list_does_not_overwrite_the_newest(sessions, partners):
    records = films(6)
    records.insert(1, PartnerRecord("oai:p.org:x", "2024-05-20T00:00:00Z", "Second version"))
    records.append(PartnerRecord("oai:p.org:x", "2024-05-10T00:00:00Z", "First version"))
    partner = _unsorted(partners, records)
    report = run(sessions, partner)
    assert titles(sessions)["partner:oai:p.org:x"] == "Second version"
    assert report.counts["superseded"] == 1
    assert_in_step(sessions, partner)


def test_the_newest_of_two_copies_on_one_page_wins(sessions, partners):
    records = [
        PartnerRecord("oai:p.org:x", "2024-05-20T00:00:00Z", "Second version"),
        PartnerRecord("oai:p.org:x", "2024-05-10T00:00:00Z", "First version"),
    ]
    partner = _unsorted(partners, records)
    run(sessions, partner)
    assert titles(sessions)["partner:oai:p.org:x"] == "Second version"


def test_a_deletion_newer_than_a_live_copy_read_later_deletes(sessions, partners):
    partner = _unsorted(partners, films(10))
    run(sessions, partner)
    gone = partner.records[0]
    stale = PartnerRecord(gone.identifier, gone.datestamp, gone.title)
    gone.deleted, gone.datestamp = True, LATER
    partner.records.append(stale)
    report = run(sessions, partner)
    assert report.counts["deleted"] == 1
    assert catalogue(sessions)[f"partner:{gone.identifier}"] is True
    assert_in_step(sessions, partner)


def test_a_record_first_met_deleted_is_not_made_live_by_a_stale_copy_later(sessions, partners):
    records = films(6)
    records.insert(1, PartnerRecord("oai:p.org:x", "2024-05-20T00:00:00Z", deleted=True))
    records.append(PartnerRecord("oai:p.org:x", "2024-05-10T00:00:00Z", "Stale copy"))
    partner = _unsorted(partners, records)
    run(sessions, partner)
    assert "partner:oai:p.org:x" not in live(sessions)
    assert_in_step(sessions, partner)


def test_a_live_copy_newer_than_a_deletion_read_later_stays(sessions, partners):
    partner = _unsorted(partners, films(10))
    run(sessions, partner)
    kept = partner.records[0]
    kept.title, kept.datestamp = "Still here", LATER
    partner.records.append(PartnerRecord(kept.identifier, "2024-05-25T00:00:00Z", deleted=True))
    report = run(sessions, partner)
    assert report.counts.get("deleted", 0) == 0
    assert titles(sessions)[f"partner:{kept.identifier}"] == "Still here"


# --- 4. reconcile lists what the source harvests --------------------------------------


def test_a_record_that_leaves_the_harvested_set_is_deleted_by_reconcile(sessions, partners):
    records = [
        PartnerRecord(r.identifier, r.datestamp, r.title, sets=("films",)) for r in films(10)
    ]
    records += [
        PartnerRecord(f"oai:p.org:other{n}", "2024-05-03T00:00:00Z", sets=("other",))
        for n in range(3)
    ]
    partner = partners(records, deleted_record="no")
    add(sessions, partner, sets=["films"])
    run(sessions, partner)
    assert len(live(sessions)) == 10
    partner.records[4].sets, partner.records[4].datestamp = ("other",), LATER
    report = run(sessions, partner, reconcile=True)
    assert report.counts["deleted"] == 1 and len(live(sessions)) == 9
    listed = [r for r in partner.requests if r.get("verb") == "ListIdentifiers"]
    assert listed[0]["set"] == "films"


# --- 5. encodings ---------------------------------------------------------------------


def _relabelled(partner, encode):
    def fault(n, params):
        if params.get("verb") != "ListRecords":
            return None
        text = partner.respond(params).replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
        return Reply(200, encode(text), {"Content-Type": "text/xml"})

    partner.faults.append(fault)


def test_utf8_bytes_under_a_latin1_label_are_read_as_utf8_and_said(sessions, partners):
    partner = partners([PartnerRecord("oai:p.org:1", "2024-05-01T00:00:00Z", "Un été à Paris")])
    _relabelled(partner, lambda text: text.encode("utf-8"))
    report = run(sessions, partner)
    assert titles(sessions)["partner:oai:p.org:1"] == "Un été à Paris"
    assert "declares ISO-8859-1 but its bytes are UTF-8" in report.message


def test_latin1_bytes_under_a_latin1_label_stay_latin1(sessions, partners):
    partner = partners([PartnerRecord("oai:p.org:1", "2024-05-01T00:00:00Z", "Un été à Paris")])
    _relabelled(partner, lambda text: text.encode("latin-1"))
    report = run(sessions, partner)
    assert titles(sessions)["partner:oai:p.org:1"] == "Un été à Paris"
    assert report.message is None


# --- 6. whitespace the schema collapses -----------------------------------------------


def test_a_pretty_printed_header_names_the_same_record_as_a_compact_one(sessions, partners):
    pretty = PartnerRecord(
        "oai:p.org:1",
        "2024-05-01T00:00:00Z",
        raw=(
            "<record>\n  <header>\n    <identifier>\n      oai:p.org:1\n    </identifier>\n"
            "    <datestamp> 2024-05-01T00:00:00Z </datestamp>\n  </header>\n"
            f"  <metadata>{dc_metadata('Pretty')}</metadata>\n</record>"
        ),
    )
    partner = partners([pretty])
    run(sessions, partner)
    assert live(sessions) == {"partner:oai:p.org:1"}
    partner.records = [PartnerRecord("oai:p.org:1", "2024-05-02T00:00:00Z", "Compact")]
    run(sessions, partner)
    assert live(sessions) == {"partner:oai:p.org:1"}
    assert titles(sessions) == {"partner:oai:p.org:1": "Compact"}


# --- 7. lenient where it is safe ------------------------------------------------------


def test_a_prefix_served_but_not_listed_is_harvested_with_a_warning(
    sessions, partners, seed_record
):
    ebucore = etree.tostring(to_ebucore(seed_record), encoding="unicode")
    partner = partners([PartnerRecord("oai:p.org:1", "2024-05-01T00:00:00Z", metadata=ebucore)])
    partner.serves = ("oai_dc", "ebucore")
    add(sessions, partner, prefixes=["ebucore"])
    report = run(sessions, partner)
    assert report.status == "success" and report.counts["new"] == 1
    assert "does not list ebucore in ListMetadataFormats" in report.message
    assert partner.requests[-1]["metadataPrefix"] == "ebucore"


def test_a_prefix_the_partner_cannot_disseminate_fails_saying_so(sessions, partners):
    partner = partners(films(3))
    add(sessions, partner, prefixes=["ebucore"])
    report = run(sessions, partner)
    assert report.status == "failed" and "cannotDisseminateFormat" in report.message


def test_a_partner_without_list_metadata_formats_is_asked_for_oai_dc(sessions, partners):
    partner = partners(films(3))
    partner.faults.append(
        lambda n, params: Reply(500) if params.get("verb") == "ListMetadataFormats" else None
    )
    report = run(sessions, partner, fetch=fetcher(attempts=1))
    assert report.status == "success" and report.counts["new"] == 3
    assert "does not answer ListMetadataFormats" in report.message


# --- 8. housekeeping ------------------------------------------------------------------


def test_deleted_headers_of_records_never_held_are_no_deletions(sessions, partners):
    records = films(4) + [
        PartnerRecord(f"oai:p.org:gone{n}", "2024-05-03T00:00:00Z", deleted=True) for n in range(15)
    ]
    partner = partners(records)
    first = run(sessions, partner)
    again = run(sessions, partner)
    for report in (first, again):
        assert report.status == "success" and report.counts.get("held", 0) == 0
    assert again.counts["absent"] == 15
    assert held_batches(sessions) == []
    assert_in_step(sessions, partner)


def _refused(identifier: str, datestamp: str) -> PartnerRecord:
    return PartnerRecord(
        identifier,
        datestamp,
        raw=(
            f"<record><header><identifier>{identifier}</identifier>"
            f"<datestamp>{datestamp}</datestamp></header></record>"
        ),
    )


def test_a_record_refused_again_keeps_one_quarantine_entry(sessions, partners):
    partner = partners([*films(3), _refused("oai:p.org:bad", "2024-05-05T00:00:00Z")])
    run(sessions, partner)
    run(sessions, partner)
    held = [q for q in quarantine(sessions) if q.status == "held"]
    assert [q.identifier for q in held] == ["oai:p.org:bad"]


def test_a_record_that_comes_again_and_goes_in_leaves_the_quarantine(sessions, partners):
    partner = partners([*films(3), _refused("oai:p.org:bad", "2024-05-05T00:00:00Z")])
    run(sessions, partner)
    partner.records[-1] = PartnerRecord("oai:p.org:bad", "2024-05-06T00:00:00Z", "Mended")
    run(sessions, partner)
    with sessions() as session:
        statuses = session.scalars(select(QuarantinedRecord.status)).all()
    assert statuses == ["resolved"]
    assert titles(sessions)["partner:oai:p.org:bad"] == "Mended"


# --- 9. sources are unambiguous -------------------------------------------------------


def test_a_source_name_with_a_colon_is_refused(sessions):
    with sessions.begin() as session, pytest.raises(state.SourceError, match="cannot name"):
        state.add_source(session, "ina:oai", "http://127.0.0.1:9/oai", [], [], None, NOW)


def test_a_name_that_would_share_identifiers_with_an_older_source_is_refused(sessions):
    with sessions.begin() as session:
        session.add(SourceRow(name="ina:oai", base_url="http://127.0.0.1:9/oai", status="idle"))
    with sessions.begin() as session, pytest.raises(state.SourceError, match="share"):
        state.add_source(session, "ina", "http://127.0.0.1:8/oai", [], [], None, NOW)


def test_the_source_of_an_endpoint_is_found_whatever_its_final_slash(sessions, partners):
    partner = partners(films(1))
    add(sessions, partner, "named")
    with sessions() as session:
        assert state.source_for(session, partner.url + "/", [], []) == "named"
        assert state.source_for(session, partner.url, [], ["a-set"]) is None
