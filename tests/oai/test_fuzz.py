"""No request, however malformed, gets a 5xx or a malformed document (hypothesis)."""

from __future__ import annotations

from urllib.parse import quote_from_bytes

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from navette.app import close_app
from tests.conftest import requires_schemas
from tests.oai.helpers import check, errors

pytestmark = requires_schemas

KEYS = ["verb", "metadataPrefix", "identifier", "from", "until", "set", "resumptionToken"]
VERBS = [
    "Identify",
    "ListMetadataFormats",
    "ListSets",
    "GetRecord",
    "ListIdentifiers",
    "ListRecords",
    "listrecords",
    "",
]
VALUES = st.one_of(
    st.sampled_from(
        [
            *VERBS,
            "oai_dc",
            "ebucore",
            "series",
            "series:earth-matters",
            "2024-03-01",
            "2024-03-01T12:00:00Z",
            "oai:videotheque.example.org:film-01",
        ]
    ),
    st.binary(max_size=60),
    st.text(max_size=60),
)
PAIRS = st.lists(
    st.tuples(st.one_of(st.sampled_from(KEYS), st.binary(max_size=12)), VALUES), max_size=8
)


def _encode(value) -> str:
    raw = value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")
    return quote_from_bytes(raw, safe="")


@pytest.fixture(scope="module")
def fuzz_client(tmp_path_factory):
    """One provider over the demo-sized catalogue, shared by every generated request."""
    from catalogue.database import open_store
    from navette import demo
    from tests.oai.helpers import make_app

    url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'fuzz.db'}"
    sessions = open_store(url)
    demo.load(sessions)
    sessions.kw["bind"].dispose()
    app = make_app(url, page_size=5)
    yield app.test_client()
    close_app(app)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(PAIRS)
def test_any_query_string_gets_a_valid_oai_answer(fuzz_client, pairs):
    query = "&".join(f"{_encode(k)}={_encode(v)}" for k, v in pairs)
    check(fuzz_client.get("/oai?" + query))


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(PAIRS)
def test_any_form_body_gets_a_valid_oai_answer(fuzz_client, pairs):
    body = "&".join(f"{_encode(k)}={_encode(v)}" for k, v in pairs)
    check(fuzz_client.post("/oai", data=body, content_type="application/x-www-form-urlencoded"))


@settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.binary(max_size=200))
def test_raw_bytes_in_the_query_string_get_a_valid_oai_answer(fuzz_client, raw):
    response = fuzz_client.get("/oai", environ_overrides={"QUERY_STRING": raw.decode("latin-1")})
    check(response)


def test_invalid_utf8_in_the_query_is_a_bad_argument_or_bad_verb(fuzz_client):
    root = check(fuzz_client.get("/oai?verb=Identify&set=%FF%FE"))
    assert errors(root) == ["badArgument"]
    root = check(fuzz_client.get("/oai?verb=%C3%28"))
    assert errors(root) == ["badVerb"]


def test_ten_thousand_parameters(fuzz_client):
    query = "verb=ListRecords&metadataPrefix=oai_dc&" + "&".join(f"p{n}=x" for n in range(10_000))
    assert errors(check(fuzz_client.get("/oai?" + query)))[0] == "badArgument"
    body = query.encode()
    response = fuzz_client.post("/oai", data=body, content_type="application/x-www-form-urlencoded")
    assert errors(check(response))[0] == "badArgument"


def test_huge_values(fuzz_client):
    huge = "x" * 2_000_000
    root = check(fuzz_client.get(f"/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier={huge}"))
    assert errors(root) == ["idDoesNotExist"]
    response = fuzz_client.post(
        "/oai", data={"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": huge}
    )
    assert errors(check(response)) == ["badArgument"]
