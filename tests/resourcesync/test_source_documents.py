"""The ResourceSync source as Z39.99-2017 describes it: a Source Description, a
Capability List per format, Resource Lists and Change Lists, every document valid
against the sitemaps.org and ResourceSync schemas; on both databases."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from urllib.parse import urlsplit

import pytest
from lxml import etree

from catalogue import store
from catalogue.database import open_store
from ingest.prepare import prepare
from navette.app import close_app, create_app
from navette.config import Settings
from protocol.namespaces import OAI, OAI_IDENTIFIER, RESOURCESYNC, SITEMAPS
from resourcesync import views
from schemas import resourcesync
from schemas.registry import SchemasMissing
from tests.conftest import requires_schemas
from tests.resourcesync.conftest import PUBLIC_URL, WITHDRAWN

pytestmark = requires_schemas

S = f"{{{SITEMAPS}}}"
RS = f"{{{RESOURCESYNC}}}"
FORMATS = ["oai_dc", "ebucore", "edm", "marcxml", "mods"]


def _get(client, url: str) -> etree._Element:
    """A document by its absolute URL (as the lists give them), checked valid."""
    answer = client.get(urlsplit(url).path if url.startswith(PUBLIC_URL) else url)
    assert answer.status_code == 200, url
    assert answer.content_type.startswith("application/xml")
    document = etree.fromstring(answer.data)
    try:
        assert resourcesync.problems(document) == [], url
    except SchemasMissing as error:
        pytest.skip(str(error))
    return document


def _md(element: etree._Element) -> dict[str, str]:
    return dict(element.find(f"{RS}md").attrib)


def _locs(document: etree._Element, tag: str) -> list[str]:
    return [entry.findtext(f"{S}loc") for entry in document.iter(f"{S}{tag}")]


def _entries(client, index_url: str) -> list[etree._Element]:
    """Every <url> of a list, through its index when it has one."""
    document = _get(client, index_url)
    if document.tag == f"{S}urlset":
        return list(document.iter(f"{S}url"))
    return [
        url for page in _locs(document, "sitemap") for url in _get(client, page).iter(f"{S}url")
    ]


def test_the_source_description_names_a_capability_list_for_every_format(source):
    document = _get(source, "/.well-known/resourcesync")
    assert _md(document) == {"capability": "description"}
    assert _locs(document, "url") == [
        f"{PUBLIC_URL}/resourcesync/{prefix}/capabilitylist.xml" for prefix in FORMATS
    ]
    assert {_md(url)["capability"] for url in document.iter(f"{S}url")} == {"capabilitylist"}


def test_a_capability_list_points_up_and_to_its_resource_and_change_lists(source):
    document = _get(source, f"{PUBLIC_URL}/resourcesync/ebucore/capabilitylist.xml")
    assert _md(document) == {"capability": "capabilitylist"}
    up = document.find(f"{RS}ln")
    assert (up.get("rel"), up.get("href")) == ("up", f"{PUBLIC_URL}/.well-known/resourcesync")
    listed = {_md(url)["capability"]: url.findtext(f"{S}loc") for url in document.iter(f"{S}url")}
    assert listed == {
        "resourcelist": f"{PUBLIC_URL}/resourcesync/ebucore/resourcelist.xml",
        "changelist": f"{PUBLIC_URL}/resourcesync/ebucore/changelist.xml",
    }


def test_a_format_the_service_does_not_serve_has_no_lists(source):
    assert source.get("/resourcesync/dc/capabilitylist.xml").status_code == 404
    assert source.get("/resourcesync/dc/resourcelist.xml").status_code == 404


@pytest.mark.parametrize("per_page", [views.PER_PAGE, 7])
def test_the_resource_list_holds_each_live_record_once_with_its_length_and_hash(
    source, per_page, monkeypatch
):
    monkeypatch.setattr(views, "PER_PAGE", per_page)
    entries = _entries(source, f"{PUBLIC_URL}/resourcesync/oai_dc/resourcelist.xml")
    locs = [url.findtext(f"{S}loc") for url in entries]
    assert len(locs) == len(set(locs)) == 220
    assert f"{PUBLIC_URL}/resourcesync/oai_dc/records/{WITHDRAWN}" not in locs
    for url in entries[:25]:
        body = source.get(urlsplit(url.findtext(f"{S}loc")).path).data
        md = _md(url)
        assert md["length"] == str(len(body))
        assert md["hash"] == "sha-256:" + hashlib.sha256(body).hexdigest()
        assert md["type"] == "application/xml"


def _oai_identifier(client, local: str) -> str:
    answer = etree.fromstring(client.get("/oai?verb=Identify").data)
    sample = answer.findtext(f".//{{{OAI_IDENTIFIER}}}sampleIdentifier")
    return sample.rsplit(":", 1)[0] + ":" + local


def test_a_resource_is_the_rendering_oai_pmh_serves(source):
    body = source.get("/resourcesync/ebucore/records/cnrs-6764").data
    identifier = _oai_identifier(source, "cnrs-6764")
    answer = source.get(f"/oai?verb=GetRecord&metadataPrefix=ebucore&identifier={identifier}")
    metadata = etree.fromstring(answer.data).find(f".//{{{OAI}}}metadata")[0]
    assert etree.tostring(etree.fromstring(body), method="c14n2") == etree.tostring(
        metadata, method="c14n2"
    )


def test_edm_resources_are_announced_as_rdf(source):
    entries = _entries(source, f"{PUBLIC_URL}/resourcesync/edm/resourcelist.xml")
    assert entries and {_md(url)["type"] for url in entries} == {"application/rdf+xml"}


def test_a_withdrawn_record_answers_gone_and_an_unknown_one_not_found(source):
    assert source.get(f"/resourcesync/oai_dc/records/{WITHDRAWN}").status_code == 410
    assert source.get("/resourcesync/oai_dc/records/no-such-record").status_code == 404


@pytest.mark.parametrize("per_page", [views.PER_PAGE, 7])
def test_the_change_list_gives_every_record_and_the_deletion_in_datestamp_order(
    source, per_page, monkeypatch
):
    monkeypatch.setattr(views, "PER_PAGE", per_page)
    entries = _entries(source, f"{PUBLIC_URL}/resourcesync/mods/changelist.xml")
    changes = {url.findtext(f"{S}loc").rsplit("/", 1)[1]: _md(url) for url in entries}
    assert len(changes) == len(entries) == 221
    assert changes[WITHDRAWN]["change"] == "deleted" and "hash" not in changes[WITHDRAWN]
    assert {md["change"] for name, md in changes.items() if name != WITHDRAWN} == {"created"}
    moments = [url.findtext(f"{S}lastmod") for url in entries]
    assert moments == sorted(moments)
    assert all(_md(url)["datetime"] == url.findtext(f"{S}lastmod") for url in entries)


def test_change_list_pages_say_the_period_they_cover(source, monkeypatch):
    monkeypatch.setattr(views, "PER_PAGE", 50)
    index = _get(source, f"{PUBLIC_URL}/resourcesync/oai_dc/changelist.xml")
    assert index.tag == f"{S}sitemapindex"
    pages = [_md(page) for page in index.iter(f"{S}sitemap")]
    assert len(pages) == 5
    assert all("until" in md for md in pages[:-1]) and "until" not in pages[-1]
    assert [md["from"] for md in pages[1:]] == [md["until"] for md in pages[:-1]]


def test_a_change_list_page_that_names_no_period_is_not_found(source):
    assert source.get("/resourcesync/oai_dc/changelist/yesterday_now.xml").status_code == 404
    assert (
        source.get("/resourcesync/oai_dc/changelist/20260101T000000Z.1_soon.xml").status_code == 404
    )


def test_an_empty_catalogue_lists_no_resources_and_no_changes(database_url):
    app = create_app(Settings(database_url=database_url, secret_key="k"))
    client = app.test_client()
    for name in ("resourcelist", "changelist"):
        document = etree.fromstring(client.get(f"/resourcesync/oai_dc/{name}.xml").data)
        assert document.tag == f"{S}urlset" and document.find(f"{S}url") is None
        assert _md(document)["capability"] == name
    close_app(app)


def test_an_identifier_with_colons_and_slashes_is_escaped_whole_and_answers(
    source, database_url, catalogue_record
):
    odd = replace(catalogue_record, identifier="oai:archive.example:films/42 bis")
    sessions = open_store(database_url)
    with sessions.begin() as session:
        store.save(session, [prepare(odd, check=False)])
    sessions.kw["bind"].dispose()
    entries = _entries(source, f"{PUBLIC_URL}/resourcesync/oai_dc/resourcelist.xml")
    (loc,) = [u.findtext(f"{S}loc") for u in entries if "archive.example" in u.findtext(f"{S}loc")]
    assert (
        loc == f"{PUBLIC_URL}/resourcesync/oai_dc/records/oai%3Aarchive.example%3Afilms%2F42%20bis"
    )
    answer = source.get(urlsplit(loc).path)
    assert answer.status_code == 200 and b"Mars Express" in answer.data
