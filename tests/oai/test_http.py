"""The endpoint over HTTP: POST like GET, gzip and deflate, the browser stylesheet."""

from __future__ import annotations

import gzip
import zlib

import pytest
from lxml import etree

from tests.conftest import requires_schemas
from tests.oai.helpers import NS, check, errors, harvest, identifiers, oai_id

pytestmark = requires_schemas


def test_post_answers_like_get(client, ten_films):
    by_get = harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    by_post = harvest(client, method="POST", verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert identifiers(by_post) == identifiers(by_get)


def test_post_follows_resumption_tokens(client, ten_films):
    first = harvest(client, method="POST", verb="ListRecords", metadataPrefix="oai_dc")
    next_token = first.findtext(".//oai:resumptionToken", namespaces=NS)
    second = harvest(client, method="POST", verb="ListRecords", resumptionToken=next_token)
    assert identifiers(second)[0] == oai_id("film-03")


def test_post_of_another_content_type_is_a_bad_argument(client):
    response = client.post("/oai", data="verb=Identify", content_type="text/plain")
    assert errors(check(response)) == ["badArgument"]


@pytest.mark.parametrize(
    ("accept", "encoding", "decode"),
    [
        ("gzip", "gzip", gzip.decompress),
        ("deflate", "deflate", zlib.decompress),
        ("gzip;q=0, deflate", "deflate", zlib.decompress),
        ("br", None, None),
    ],
    ids=["gzip", "deflate", "deflate-preferred", "unsupported"],
)
def test_responses_are_compressed_when_the_client_asks(client, ten_films, accept, encoding, decode):
    response = client.get(
        "/oai?verb=ListRecords&metadataPrefix=ebucore", headers={"Accept-Encoding": accept}
    )
    assert response.headers.get("Content-Encoding") == encoding
    assert "Accept-Encoding" in response.headers["Vary"]
    body = decode(response.data) if decode else response.data
    assert etree.fromstring(body).find(".//oai:ListRecords", NS) is not None


def test_every_response_names_the_stylesheet_the_app_serves(client, ten_films):
    response = client.get("/oai?verb=Identify")
    assert b'<?xml-stylesheet type="text/xsl" href="/oai/static/oai2.xsl"?>' in response.data
    stylesheet = client.get("/oai/static/oai2.xsl")
    assert stylesheet.status_code == 200
    etree.XSLT(etree.fromstring(stylesheet.data))


def test_the_stylesheet_shows_a_record_as_the_data_sheet(client, ten_films):
    transform = etree.XSLT(etree.fromstring(client.get("/oai/static/oai2.xsl").data))
    response = client.get(
        f"/oai?verb=GetRecord&metadataPrefix=ebucore&identifier={oai_id('film-01')}"
    )
    page = str(transform(etree.fromstring(response.data)))
    for shown in (
        "Mars Express Mission",
        "Series : ",
        "HD",
        "16/9",
        "Color",
        "Sound",
        "Producer",
        "CNRS Images",
        "MIFSUD Nicolas",
        "BIBRING Jean-Pierre",
        "Item No.",
        "6764",
        "Large audience",
        "UMR8617",
        "Digitalised File",
    ):
        assert shown in page, shown


@pytest.mark.parametrize(
    "query",
    [
        "verb=Identify",
        "verb=ListSets",
        "verb=ListMetadataFormats",
        "verb=ListIdentifiers&metadataPrefix=oai_dc",
        "verb=ListRecords&metadataPrefix=oai_dc",
        "verb=Nope",
    ],
)
def test_the_stylesheet_renders_every_kind_of_response(client, ten_films, query):
    transform = etree.XSLT(etree.fromstring(client.get("/oai/static/oai2.xsl").data))
    page = transform(etree.fromstring(client.get("/oai?" + query).data))
    assert page.getroot().tag == "html"
