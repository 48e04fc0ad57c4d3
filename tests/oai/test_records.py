"""GetRecord, ListIdentifiers and ListRecords: paging, dates, sets, deletions, provenance."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from catalogue.model import Provenance
from protocol.namespaces import DC, EBUCORE, OAI_DC
from tests.conftest import requires_schemas
from tests.oai.helpers import NS, T0, errors, harvest, identifiers, oai_id, token, walk

pytestmark = requires_schemas

ALL = [oai_id(f"film-{n:02d}") for n in range(10)]
PROV = "http://www.openarchives.org/OAI/2.0/provenance"


def test_get_record_in_oai_dc(client, ten_films):
    root = harvest(client, verb="GetRecord", identifier=oai_id("film-04"), metadataPrefix="oai_dc")
    record = root.find("oai:GetRecord/oai:record", NS)
    assert record.findtext("oai:header/oai:identifier", namespaces=NS) == oai_id("film-04")
    assert record.findtext("oai:header/oai:datestamp", namespaces=NS) == "2024-03-01T12:04:00Z"
    title = record.find(f"oai:metadata/{{{OAI_DC}}}dc/{{{DC}}}title", NS)
    assert title.text == "Mars Express Mission"


def test_get_record_in_ebucore(client, ten_films):
    root = harvest(client, verb="GetRecord", identifier=oai_id("film-04"), metadataPrefix="ebucore")
    assert root.find(f".//oai:metadata/{{{EBUCORE}}}ebuCoreMain", NS) is not None


def test_get_record_carries_set_specs_in_its_header(client, ten_films):
    root = harvest(client, verb="GetRecord", identifier=oai_id("film-01"), metadataPrefix="oai_dc")
    specs = [s.text for s in root.iterfind(".//oai:header/oai:setSpec", NS)]
    assert "series" in specs and "series:earth-matters" in specs


def test_list_identifiers_pages_through_every_record_once(client, ten_films):
    found, pages = walk(client, "ListIdentifiers", metadataPrefix="oai_dc")
    assert found == ALL
    assert [len(identifiers(p)) for p in pages] == [4, 4, 2]


def test_list_records_pages_with_cursor_size_and_expiration(client, ten_films):
    found, pages = walk(client, "ListRecords", metadataPrefix="ebucore")
    assert found == ALL
    tokens = [token(p) for p in pages]
    assert [t.get("cursor") for t in tokens] == ["0", "3", "6", "9"]
    assert {t.get("completeListSize") for t in tokens} == {"10"}
    assert all(t.get("expirationDate") for t in tokens[:-1])
    assert tokens[-1].text is None and tokens[-1].get("expirationDate") is None


def test_a_list_that_fits_one_page_has_no_token(client, ten_films):
    root = harvest(
        client,
        verb="ListRecords",
        metadataPrefix="oai_dc",
        set="series:earth-matters",
        until="2024-03-01T12:03:00Z",
    )
    assert identifiers(root) == [oai_id("film-01"), oai_id("film-03")]
    assert token(root) is None


def test_no_empty_last_page_when_the_total_is_a_multiple_of_the_page_size(client, ten_films):
    found, pages = walk(
        client, "ListRecords", metadataPrefix="oai_dc", until="2024-03-01T12:05:00Z"
    )
    assert len(found) == 6
    assert [len(identifiers(p)) for p in pages] == [3, 3]
    assert token(pages[-1]).text is None
    assert token(pages[-1]).get("completeListSize") == "6"


@pytest.mark.parametrize(
    ("bounds", "expected"),
    [
        ({"from": "2024-03-01T12:03:00Z"}, range(3, 10)),
        ({"until": "2024-03-01T12:03:00Z"}, range(0, 4)),
        ({"from": "2024-03-01T12:03:00Z", "until": "2024-03-01T12:03:00Z"}, range(3, 4)),
        ({"from": "2024-03-01T12:02:59Z", "until": "2024-03-01T12:04:01Z"}, range(3, 5)),
        ({"from": "2024-03-01", "until": "2024-03-01"}, range(0, 10)),
        ({"until": "2024-02-29"}, range(0)),
        ({"from": "2024-03-02"}, range(0)),
    ],
    ids=[
        "from-second",
        "until-second",
        "same-second",
        "around",
        "whole-day",
        "day-before",
        "day-after",
    ],
)
def test_from_and_until_are_inclusive_to_the_second_and_the_whole_day(
    client, ten_films, bounds, expected
):
    if not expected:
        root = harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **bounds)
        assert errors(root) == ["noRecordsMatch"]
    else:
        found, _ = walk(client, "ListIdentifiers", metadataPrefix="oai_dc", **bounds)
        assert found == [oai_id(f"film-{n:02d}") for n in expected]


def test_set_selects_its_descendant_sets_too(client, ten_films):
    found, _ = walk(client, "ListIdentifiers", metadataPrefix="oai_dc", set="series")
    assert found == ALL
    found, _ = walk(
        client, "ListIdentifiers", metadataPrefix="oai_dc", set="series:life-in-the-cell"
    )
    assert found == [oai_id(f"film-{n:02d}") for n in range(0, 10, 2)]


def test_an_unknown_set_matches_no_records(client, ten_films):
    root = harvest(client, verb="ListRecords", metadataPrefix="oai_dc", set="series:nothing")
    assert errors(root) == ["noRecordsMatch"]


def test_a_deleted_record_has_a_deleted_header_with_its_deletion_datestamp(client, ten_films):
    ten_films.delete("film-02", T0 + timedelta(days=2))
    root = harvest(client, verb="GetRecord", identifier=oai_id("film-02"), metadataPrefix="ebucore")
    header = root.find(".//oai:record/oai:header", NS)
    assert header.get("status") == "deleted"
    assert header.findtext("oai:datestamp", namespaces=NS) == "2024-03-03T12:00:00Z"
    assert root.find(".//oai:record/oai:metadata", NS) is None


def test_deleted_records_stay_in_incremental_lists(client, ten_films):
    ten_films.delete("film-02", T0 + timedelta(days=2))
    root = harvest(client, verb="ListRecords", metadataPrefix="oai_dc", **{"from": "2024-03-02"})
    headers = root.findall(".//oai:record/oai:header", NS)
    assert [(h.findtext("oai:identifier", namespaces=NS), h.get("status")) for h in headers] == [
        (oai_id("film-02"), "deleted")
    ]
    assert root.find(".//oai:record/oai:metadata", NS) is None


def test_harvested_records_carry_their_provenance(client, catalogue):
    earlier = (
        f'<originDescription xmlns="{PROV}" harvestDate="2023-05-01T00:00:00Z" altered="false">'
        "<baseURL>http://first.example.org/oai</baseURL><identifier>oai:first.example.org:9</identifier>"
        "<datestamp>2023-04-30</datestamp>"
        "<metadataNamespace>http://www.openarchives.org/OAI/2.0/oai_dc/</metadataNamespace>"
        "</originDescription>"
    )
    provenance = Provenance(
        base_url="http://partner.example.org/oai",
        identifier="oai:partner.example.org:42",
        datestamp="2024-02-28T10:00:00Z",
        metadata_namespace="urn:ebu:metadata-schema:ebucore",
        harvest_date=datetime(2024, 3, 1, 6, 0, 0),
        altered=True,
        earlier_xml=earlier,
    )
    catalogue.write("partner-42", T0, provenance=provenance, source_archive="Partner")
    root = harvest(
        client, verb="GetRecord", identifier=oai_id("partner-42"), metadataPrefix="oai_dc"
    )
    origin = root.find(f".//oai:about/{{{PROV}}}provenance/{{{PROV}}}originDescription", NS)
    assert origin.get("harvestDate") == "2024-03-01T06:00:00Z"
    assert origin.get("altered") == "true"
    assert origin.findtext(f"{{{PROV}}}baseURL") == "http://partner.example.org/oai"
    assert origin.findtext(f"{{{PROV}}}identifier") == "oai:partner.example.org:42"
    assert origin.findtext(f"{{{PROV}}}datestamp") == "2024-02-28T10:00:00Z"
    assert origin.findtext(f"{{{PROV}}}metadataNamespace") == EBUCORE
    nested = origin.find(f"{{{PROV}}}originDescription")
    assert nested.findtext(f"{{{PROV}}}baseURL") == "http://first.example.org/oai"
