"""Links are data, not code: a record whose landing page or storyboard image is not an
http(s) URL is refused at every door, and no page turns such a link into an ``href``."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from lxml import etree

from catalogue.model import Keyframe, is_web_url
from ingest.importing import import_paths
from mappings.ebucore_out import to_ebucore
from navette.app import create_app
from navette.config import Settings
from tests.conftest import ROOT, requires_schemas

pytestmark = requires_schemas

SCRIPT = "javascript:alert(document.domain)"


@pytest.mark.parametrize(
    "url",
    [
        SCRIPT,
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<script>",
        "//x.org/a",
        "vbscript:msgbox",
        "java\tscript:alert(1)",
        "http:/no-host",
    ],
)
def test_only_absolute_web_addresses_are_links(url):
    assert not is_web_url(url)


def test_web_addresses_are_links():
    assert is_web_url("https://videotheque.cnrs.fr/doc=6764")
    assert is_web_url("HTTP://EXAMPLE.ORG/a?b=c")


def test_a_script_link_in_a_native_file_is_rejected(sessions, seed_data, tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({**seed_data, "landing_page": SCRIPT}) + "\n", encoding="utf-8")
    report = import_paths(sessions, [path])
    assert report.counts["new"] == 0 and len(report.rejected) == 1
    assert "landing_page" in report.rejected[0].reason


@pytest.mark.parametrize("field", ["landing_page", "keyframe"])
def test_a_script_link_in_an_ebucore_file_is_rejected_with_its_reason(
    sessions, seed_record, tmp_path, field
):
    if field == "landing_page":
        record = dataclasses.replace(seed_record, landing_page=SCRIPT)
    else:
        record = dataclasses.replace(seed_record, keyframes=[Keyframe("00:00:10", SCRIPT)])
    good = dataclasses.replace(seed_record, identifier="cnrs-good")
    (tmp_path / "bad.xml").write_bytes(etree.tostring(to_ebucore(record)))
    (tmp_path / "good.xml").write_bytes(etree.tostring(to_ebucore(good)))
    report = import_paths(sessions, [tmp_path])
    assert report.counts["new"] == 1
    [rejected] = report.rejected
    assert f"{SCRIPT!r} is not an http(s) URL" in rejected.reason


def test_a_script_link_in_an_oai_dc_file_is_not_taken_for_a_landing_page(sessions, tmp_path):
    (tmp_path / "dc.xml").write_text(
        '<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>A film</dc:title>'
        f"<dc:identifier>{SCRIPT}</dc:identifier></oai_dc:dc>",
        encoding="utf-8",
    )
    import_paths(sessions, [tmp_path])
    app = create_app(Settings(database_url=str(sessions.kw["bind"].url), secret_key="k"))
    page = app.test_client().get("/oai?verb=ListRecords&metadataPrefix=ebucore").data
    assert SCRIPT.encode() not in html_of(page)


STYLESHEET = ROOT / "oai" / "static" / "oai2.xsl"


def html_of(oai_xml: bytes) -> bytes:
    """What a browser shows for an OAI answer: its XML through the stylesheet."""
    transform = etree.XSLT(etree.parse(str(STYLESHEET)))
    return etree.tostring(transform(etree.fromstring(oai_xml)), method="html")


def test_the_stylesheet_writes_no_href_for_a_link_that_is_not_a_web_address(seed_record):
    """Defence in depth, for what an older release stored: the stylesheet checks too."""
    record = dataclasses.replace(
        seed_record, landing_page=SCRIPT, keyframes=[Keyframe("00:00:10", SCRIPT)]
    )
    metadata = etree.tostring(to_ebucore(record), encoding="unicode")
    answer = (
        '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>2024-01-01T00:00:00Z'
        '</responseDate><request verb="GetRecord">http://x/oai</request><GetRecord><record>'
        "<header><identifier>oai:x:1</identifier><datestamp>2024-01-01T00:00:00Z</datestamp>"
        f"</header><metadata>{metadata}</metadata></record></GetRecord></OAI-PMH>"
    ).encode()
    page = etree.fromstring(html_of(answer), etree.HTMLParser())
    hrefs = [a.get("href") for a in page.iter("a")]
    assert hrefs and not [h for h in hrefs if not h.startswith(("http", "?", "#", "/"))]
    assert SCRIPT in "".join(page.itertext()), "the value is still shown, as text"


def test_every_page_carries_the_security_headers(tmp_path: Path):
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'h.db'}", secret_key="k"))
    client = app.test_client()
    pages = [("/oai?verb=Identify", "'self'"), ("/admin/login", "'self'"), ("/records", "'none'")]
    for url, script in pages:
        headers = client.get(url).headers
        policy = headers["Content-Security-Policy"]
        assert f"script-src {script}" in policy and "frame-ancestors 'none'" in policy
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["Referrer-Policy"] == "same-origin"


def test_an_oai_dc_identifier_that_only_looks_like_a_link_stays_an_identifier():
    from mappings.dc_in import from_oai_dc

    root = etree.fromstring(
        '<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>A film</dc:title>'
        "<dc:identifier>http:/no-host</dc:identifier>"
        "<dc:identifier>https://example.org/film/1</dc:identifier></oai_dc:dc>"
    )
    record = from_oai_dc(root, "x")
    assert record.landing_page == "https://example.org/film/1"
    assert [t.value for t in record.identifiers] == ["http:/no-host"]
