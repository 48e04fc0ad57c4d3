"""URLs a record holds go into HTTP headers as URIs (issue 34): a stored landing page or
rights statement can neither add links to the Signposting header nor take its page down
with characters a header cannot carry.  Served by `navette serve`, read over HTTP."""

from __future__ import annotations

import dataclasses

import pytest
import requests
from requests.utils import parse_header_links

from catalogue import store
from catalogue.database import open_store
from ingest.prepare import RecordRefused, prepare
from tests.conftest import requires_schemas
from tests.serving import Served

pytestmark = requires_schemas

IRI = "https://例え.jp/ビデオ"
INJECTION = 'https://films.example.org/x>;rel="license",<https://evil.example/licence'


@pytest.fixture
def served(tmp_path, seed_record):
    folder = tmp_path
    url = f"sqlite:///{folder / 'urls.db'}"
    sessions = open_store(url)
    records = [
        dataclasses.replace(seed_record, identifier="iri", landing_page=IRI),
        dataclasses.replace(seed_record, identifier="injected", landing_page=INJECTION),
        dataclasses.replace(seed_record, identifier="rights", rights_uri=INJECTION),
    ]
    with sessions.begin() as session:
        store.save(session, [prepare(record) for record in records])
    sessions.kw["bind"].dispose()
    server = Served({"NAVETTE_DATABASE_URL": url}, folder / "serve.log")
    yield server.base
    server.stop()


def _links(base: str, identifier: str) -> list[dict[str, str]]:
    """The Link header as a client reads it (requests' parser, as machine clients use)."""
    response = requests.get(f"{base}/records/{identifier}", timeout=10)
    assert response.status_code == 200
    return parse_header_links(response.headers["Link"])


def test_a_non_latin_landing_page_is_a_page_with_its_uri_in_the_header(served):
    (cite,) = [link for link in _links(served, "iri") if link.get("rel") == "cite-as"]
    assert cite["url"] == "https://xn--r8jz45g.jp/%E3%83%93%E3%83%87%E3%82%AA"


@pytest.mark.parametrize("identifier", ["injected", "rights"])
def test_a_stored_url_cannot_add_links_to_the_header(served, identifier):
    links = _links(served, identifier)
    assert not [link for link in links if link["url"].startswith("https://evil.example")]
    assert sum(link.get("rel") == "license" for link in links) <= 1
    assert sum(link.get("rel") == "cite-as" for link in links) == 1


def test_a_url_whose_host_cannot_be_written_as_a_uri_is_refused_with_the_reason(seed_record):
    bad = dataclasses.replace(seed_record, landing_page="https://exa mple.org/")
    with pytest.raises(RecordRefused):
        prepare(bad)
    port = dataclasses.replace(seed_record, landing_page="https://example.org:99999/")
    with pytest.raises(RecordRefused, match="cannot be written as a URI"):
        prepare(port)


def test_a_list_holding_a_non_latin_landing_page_is_a_page(served):
    assert requests.get(f"{served}/records", timeout=10).status_code == 200
    oai = requests.get(
        f"{served}/oai?verb=ListRecords&metadataPrefix=oai_dc",
        headers={"Accept": "text/html"},
        timeout=10,
    )
    assert oai.status_code == 200 and "例え.jp" in oai.text
