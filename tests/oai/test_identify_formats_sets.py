"""Identify, ListMetadataFormats and ListSets (spec 4.2, 4.4, 4.6)."""

from __future__ import annotations

from datetime import timedelta

from protocol.namespaces import (
    EBUCORE,
    EBUCORE_SCHEMA_URL,
    MARC,
    MODS,
    OAI_DC,
    OAI_DC_SCHEMA_URL,
    RDF,
)
from tests.conftest import requires_schemas
from tests.oai.helpers import NS, T0, errors, harvest, oai_id, token, walk

pytestmark = requires_schemas

ID_NS = {**NS, "id": "http://www.openarchives.org/OAI/2.0/oai-identifier"}


def test_identify_describes_the_repository(client, ten_films):
    root = harvest(client, verb="Identify")
    identify = root.find("oai:Identify", NS)
    text = {child.tag.split("}")[1]: child.text for child in identify if child.text}
    assert text["repositoryName"] == "Vidéothèque test"
    assert text["baseURL"] == "http://localhost/oai"
    assert text["protocolVersion"] == "2.0"
    assert text["adminEmail"] == "archive@videotheque.example.org"
    assert text["earliestDatestamp"] == "2024-03-01T12:00:00Z"
    assert text["deletedRecord"] == "persistent"
    assert text["granularity"] == "YYYY-MM-DDThh:mm:ssZ"
    assert [c.text for c in identify.findall("oai:compression", NS)] == ["gzip", "deflate"]


def test_identify_base_url_is_the_configured_one_when_set(app_factory, ten_films):
    client = app_factory(base_url="https://videotheque.example.org/oai").test_client()
    root = harvest(client, verb="Identify")
    assert root.findtext("oai:Identify/oai:baseURL", namespaces=NS) == (
        "https://videotheque.example.org/oai"
    )
    assert root.findtext("oai:request", namespaces=NS) == "https://videotheque.example.org/oai"


def test_the_sample_identifier_of_identify_resolves(client, ten_films):
    root = harvest(client, verb="Identify")
    description = root.find("oai:Identify/oai:description/id:oai-identifier", ID_NS)
    assert description.findtext("id:repositoryIdentifier", namespaces=ID_NS) == (
        "videotheque.example.org"
    )
    sample = description.findtext("id:sampleIdentifier", namespaces=ID_NS)
    record = harvest(client, verb="GetRecord", identifier=sample, metadataPrefix="oai_dc")
    assert errors(record) == []


def test_earliest_datestamp_counts_deleted_records(client, ten_films):
    ten_films.delete("film-00", T0 + timedelta(days=1))
    root = harvest(client, verb="Identify")
    assert root.findtext("oai:Identify/oai:earliestDatestamp", namespaces=NS) == (
        "2024-03-01T12:01:00Z"
    )


def test_list_metadata_formats_gives_every_format_with_its_official_schema(client, ten_films):
    root = harvest(client, verb="ListMetadataFormats")
    formats = {
        f.findtext("oai:metadataPrefix", namespaces=NS): (
            f.findtext("oai:metadataNamespace", namespaces=NS),
            f.findtext("oai:schema", namespaces=NS),
        )
        for f in root.iterfind(".//oai:metadataFormat", NS)
    }
    assert formats == {
        "oai_dc": (OAI_DC, OAI_DC_SCHEMA_URL),
        "ebucore": (EBUCORE, EBUCORE_SCHEMA_URL),
        "edm": (RDF, "http://www.europeana.eu/schemas/edm/EDM.xsd"),
        "marcxml": (MARC, "http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd"),
        "mods": (MODS, "http://www.loc.gov/standards/mods/v3/mods-3-8.xsd"),
    }


def test_list_metadata_formats_of_one_item_names_only_the_formats_it_has(client, ten_films):
    """The test films have no rights statement: they are not offered in EDM."""
    root = harvest(client, verb="ListMetadataFormats", identifier=oai_id("film-03"))
    prefixes = [p.text for p in root.iterfind(".//oai:metadataPrefix", NS)]
    assert sorted(prefixes) == ["ebucore", "marcxml", "mods", "oai_dc"]


def test_list_metadata_formats_of_an_unknown_item_is_id_does_not_exist(client, ten_films):
    root = harvest(client, verb="ListMetadataFormats", identifier=oai_id("nothing"))
    assert errors(root) == ["idDoesNotExist"]


def test_list_metadata_formats_of_a_deleted_item_is_no_metadata_formats(client, ten_films):
    ten_films.delete("film-03", T0 + timedelta(days=1))
    root = harvest(client, verb="ListMetadataFormats", identifier=oai_id("film-03"))
    assert errors(root) == ["noMetadataFormats"]


def test_list_sets_gives_hierarchical_sets_with_names_and_descriptions(client, ten_films):
    _specs, pages = walk(client, "ListSets")
    sets = {
        s.findtext("oai:setSpec", namespaces=NS): s
        for page in pages
        for s in page.iterfind(".//oai:set", NS)
    }
    assert {"series", "series:earth-matters", "series:life-in-the-cell", "subject"} <= set(sets)
    earth = sets["series:earth-matters"]
    assert earth.findtext("oai:setName", namespaces=NS) == "Earth Matters"
    description = earth.find("oai:setDescription", NS)
    assert description is not None and "Earth Matters" in "".join(description.itertext())


def test_list_sets_pages_like_the_other_lists(client, ten_films):
    _, pages = walk(client, "ListSets")
    assert len(pages) > 1
    sizes = [token(page).get("completeListSize") for page in pages]
    assert len(set(sizes)) == 1
    total = sum(len(page.findall(".//oai:set", NS)) for page in pages)
    assert int(sizes[0]) == total
    assert token(pages[-1]).text is None


def test_a_repository_without_sets_answers_no_set_hierarchy(client):
    assert errors(harvest(client, verb="ListSets")) == ["noSetHierarchy"]
    root = harvest(client, verb="ListRecords", metadataPrefix="oai_dc", set="series")
    assert errors(root) == ["noSetHierarchy"]
