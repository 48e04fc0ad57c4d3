"""The eight error codes, each raised exactly when the spec says (3.6 and each verb's list)."""

from __future__ import annotations

import pytest

from tests.conftest import requires_schemas
from tests.oai.helpers import NS, check, errors, harvest, oai_id

pytestmark = requires_schemas


def _query(client, query: str):
    return check(client.get("/oai?" + query))


@pytest.mark.parametrize(
    "query",
    [
        "",
        "verb=",
        "verb=Frobnicate",
        "verb=identify",
        "verb=LISTRECORDS",
        "verb=Identify&verb=Identify",
        "verb=Identify&verb=ListSets",
        "metadataPrefix=oai_dc",
    ],
    ids=[
        "no-arguments",
        "empty-verb",
        "unknown",
        "lower-case",
        "upper-case",
        "repeated",
        "two-verbs",
        "no-verb",
    ],
)
def test_bad_verbs(client, query):
    root = _query(client, query)
    assert errors(root) == ["badVerb"]


@pytest.mark.parametrize(
    "query",
    [
        "verb=Identify&metadataPrefix=oai_dc",
        "verb=ListRecords",
        "verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=ebucore",
        "verb=ListRecords&metadataPrefix=oai_dc&from=2024-01-01&from=2024-01-02",
        "verb=GetRecord&metadataPrefix=oai_dc",
        "verb=GetRecord&identifier=oai:x.org:1",
        "verb=ListIdentifiers&resumptionToken=abc&metadataPrefix=oai_dc",
        "verb=ListSets&resumptionToken=abc&set=series",
        "verb=ListRecords&metadataPrefix=oai_dc&from=2024-01-01T00:00:00",
        "verb=ListRecords&metadataPrefix=oai_dc&from=2024-01-01T00:00:00%2B01:00",
        "verb=ListRecords&metadataPrefix=oai_dc&from=2024-01-01T00:00:00.5Z",
        "verb=ListRecords&metadataPrefix=oai_dc&from=2024-02-30",
        "verb=ListRecords&metadataPrefix=oai_dc&until=2024-13-01",
        "verb=ListRecords&metadataPrefix=oai_dc&from=2024",
        "verb=ListRecords&metadataPrefix=oai_dc&from=2024-01-01&until=2024-01-02T00:00:00Z",
        "verb=ListRecords&metadataPrefix=oai_dc&from=2024-01-02&until=2024-01-01",
        "verb=ListRecords&metadataPrefix=oai_dc&from=2024-01-01T00:00:01Z&until=2024-01-01T00:00:00Z",
        "verb=ListRecords&metadataPrefix=oai%20dc",
        "verb=ListRecords&metadataPrefix=oai_dc&set=a::b",
        "verb=ListRecords&metadataPrefix=oai_dc&set=series%0A",
        "verb=ListRecords&metadataPrefix=oai_dc%0A",
        "verb=ListIdentifiers&metadataPrefix=oai_dc&identifier=oai:x.org:1",
    ],
    ids=[
        "identify-with-argument",
        "missing-prefix",
        "repeated-prefix",
        "repeated-from",
        "get-record-without-identifier",
        "get-record-without-prefix",
        "token-not-exclusive",
        "list-sets-token-not-exclusive",
        "date-without-z",
        "date-with-offset",
        "date-with-fraction",
        "impossible-date",
        "impossible-month",
        "year-only",
        "mixed-granularity",
        "from-after-until-days",
        "from-after-until-seconds",
        "illegal-prefix-characters",
        "illegal-set-spec",
        "set-spec-ending-in-a-newline",
        "prefix-ending-in-a-newline",
        "illegal-argument",
    ],
)
def test_bad_arguments(client, ten_films, query):
    assert errors(_query(client, query)) and set(errors(_query(client, query))) == {"badArgument"}


def test_bad_verb_and_bad_argument_echo_no_arguments(client):
    for query in ("verb=Nope&x=1", "verb=ListRecords&x=1"):
        request = _query(client, query).find("oai:request", NS)
        assert request.attrib == {}
        assert request.text == "http://localhost/oai"


def test_other_errors_echo_the_arguments_exactly(client, ten_films):
    root = harvest(client, verb="GetRecord", identifier=oai_id("nope"), metadataPrefix="oai_dc")
    assert errors(root) == ["idDoesNotExist"]
    assert dict(root.find("oai:request", NS).attrib) == {
        "verb": "GetRecord",
        "identifier": oai_id("nope"),
        "metadataPrefix": "oai_dc",
    }


def test_unknown_metadata_prefix_cannot_be_disseminated(client, ten_films):
    for verb in ("ListRecords", "ListIdentifiers"):
        assert errors(harvest(client, verb=verb, metadataPrefix="marc21")) == [
            "cannotDisseminateFormat"
        ]
    root = harvest(client, verb="GetRecord", identifier=oai_id("film-01"), metadataPrefix="marc21")
    assert errors(root) == ["cannotDisseminateFormat"]


def test_a_format_one_record_lacks_cannot_be_disseminated_for_it(client, ten_films):
    """As a record stored before a format was added would be."""
    from sqlalchemy import delete, update

    from catalogue.save_plan import format_list
    from catalogue.tables import RecordRow, Rendering

    with ten_films.sessions.begin() as session:
        record_id = session.query(RecordRow.id).filter_by(identifier="film-01").scalar()
        session.execute(
            delete(Rendering).where(Rendering.record_id == record_id, Rendering.prefix == "ebucore")
        )
        session.execute(
            update(RecordRow)
            .where(RecordRow.id == record_id)
            .values(formats=format_list(["oai_dc"]))
        )
    root = harvest(client, verb="GetRecord", identifier=oai_id("film-01"), metadataPrefix="ebucore")
    assert errors(root) == ["cannotDisseminateFormat"]
    root = harvest(client, verb="ListMetadataFormats", identifier=oai_id("film-01"))
    assert "ebucore" not in [p.text for p in root.iterfind(".//oai:metadataPrefix", NS)]
    listed = harvest(client, verb="ListIdentifiers", metadataPrefix="ebucore")
    assert oai_id("film-01") not in [h.text for h in listed.iterfind(".//oai:identifier", NS)]


def test_identifiers_of_other_repositories_do_not_exist(client, ten_films):
    for identifier in ("film-01", "oai:other.example.org:film-01", f"{oai_id('')}"):
        root = harvest(client, verb="GetRecord", identifier=identifier, metadataPrefix="oai_dc")
        assert errors(root) == ["idDoesNotExist"]


def test_an_empty_catalogue_matches_no_records(client):
    assert errors(harvest(client, verb="ListRecords", metadataPrefix="oai_dc")) == [
        "noRecordsMatch"
    ]


def test_every_problem_of_a_bad_request_is_listed(client):
    root = _query(client, "verb=ListRecords&metadataPrefix=oai_dc&from=x&until=y")
    assert errors(root) == ["badArgument", "badArgument"]


def test_characters_xml_cannot_carry_in_arguments_never_break_the_response(client, ten_films):
    root = _query(client, "verb=GetRecord&metadataPrefix=oai_dc&identifier=oai%3Ax%01%EF%BF%BF")
    assert errors(root) == ["idDoesNotExist"]
