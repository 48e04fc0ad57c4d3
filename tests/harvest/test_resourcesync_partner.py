"""A ResourceSync source that misbehaves in ordinary ways: a resource that does not match
the hash its list gives, one that is gone, one that is not XML, a URL that is no
Capability List.  Each bad resource is quarantined with its reason while the others go
in; a source that is not ResourceSync is refused in a sentence.  Served from files on
loopback, as a static ResourceSync source is."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from catalogue.tables import QuarantinedRecord
from harvester import resourcesync, state
from harvester.sync import Harvest
from protocol.dates import utc_now
from tests.conftest import requires_schemas
from tests.harvest.helpers import catalogue, fetcher
from tests.harvest.partner import dc_metadata
from tests.serving import serving_folder

pytestmark = requires_schemas

LIST = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:rs="http://www.openarchives.org/rs/terms/">
  <rs:md capability="{capability}"/>
{urls}
</urlset>"""
URL = "  <url><loc>{base}/{name}</loc><lastmod>2026-11-30T10:00:00Z</lastmod>{md}</url>"


@pytest.fixture
def static_source(tmp_path):
    """A folder served on loopback, and its address."""
    with serving_folder(tmp_path) as base:
        yield tmp_path, base


def _publish(folder: Path, base: str, resources: dict[str, tuple[bytes | None, str]]) -> None:
    """A Capability List and a Resource List of ``resources`` (name -> (bytes, the
    rs:md the list gives them)); a resource with no bytes is listed but not there."""
    urls = []
    for name, (body, md) in resources.items():
        if body is not None:
            (folder / name).write_bytes(body)
        urls.append(URL.format(base=base, name=name, md=md))
    (folder / "resourcelist.xml").write_text(
        LIST.format(capability="resourcelist", urls="\n".join(urls))
    )
    entry = URL.format(base=base, name="resourcelist.xml", md='<rs:md capability="resourcelist"/>')
    (folder / "capabilitylist.xml").write_text(LIST.format(capability="capabilitylist", urls=entry))


def _sha(body: bytes, length: bool = True) -> str:
    size = f' length="{len(body)}"' if length else ""
    return f'<rs:md hash="sha-256:{hashlib.sha256(body).hexdigest()}"{size}/>'


def _harvest(sessions, url: str):
    with sessions.begin() as session:
        state.add_source(session, "static", url, [], [], None, utc_now(), 0.2, "resourcesync")
    return Harvest(sessions, "static", fetcher=fetcher(attempts=1)).run()


def test_each_bad_resource_is_quarantined_with_its_reason_and_the_good_one_goes_in(
    sessions, static_source
):
    folder, base = static_source
    good = dc_metadata("A film that came whole").encode()
    altered = dc_metadata("A film changed after its list was made").encode()
    _publish(
        folder,
        base,
        {
            "good.xml": (good, _sha(good)),
            "altered.xml": (altered, _sha(b"what the list saw", length=False)),
            "gone.xml": (None, ""),
            "not-xml.xml": (b"this is not XML at all", ""),
        },
    )
    run = _harvest(sessions, f"{base}/capabilitylist.xml")
    assert run.status == "rejects"
    assert (run.counts["new"], run.counts["rejected"]) == (1, 3)
    assert list(catalogue(sessions)) == [f"static:{base}/good.xml"]
    with sessions() as session:
        held = session.execute(select(QuarantinedRecord.identifier, QuarantinedRecord.reason))
        reasons = dict(held.all())
    assert "does not match the sha-256 its list gives" in reasons[f"{base}/altered.xml"]
    assert "HTTP 404" in reasons[f"{base}/gone.xml"]
    assert "is not readable XML" in reasons[f"{base}/not-xml.xml"]


def test_a_url_that_is_no_capability_list_fails_the_harvest_in_a_sentence(sessions, static_source):
    folder, base = static_source
    (folder / "page.xml").write_text("<html><body>Welcome</body></html>")
    run = _harvest(sessions, f"{base}/page.xml")
    assert run.status == "failed"
    assert "is not a ResourceSync Capability List" in run.message


def test_adding_a_resourcesync_source_asks_its_capability_list_first(
    cli, static_source, monkeypatch
):
    folder, base = static_source
    monkeypatch.setenv("NAVETTE_HARVEST_ALLOWED_NETWORKS", "127.0.0.1/32")
    (folder / "page.xml").write_text("<html><body>Welcome</body></html>")
    refused = cli("sources", "add", "static", f"{base}/page.xml", "--protocol", "resourcesync")
    assert refused.exit_code == 2 and "is not a ResourceSync Capability List" in refused.output
    _publish(folder, base, {})
    added = cli(
        "sources", "add", "static", f"{base}/capabilitylist.xml", "--protocol", "resourcesync"
    )
    assert added.exit_code == 0, added.output


INDEX = """<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
              xmlns:rs="http://www.openarchives.org/rs/terms/">
  <rs:md capability="changelist" from="2025-01-01T00:00:00Z"/>
  <sitemap><loc>{base}/old.xml</loc>
    <rs:md capability="changelist" from="2025-01-01T00:00:00Z" until="2026-01-01T00:00:00Z"/>
  </sitemap>
  <sitemap><loc>{base}/new.xml</loc>
    <rs:md capability="changelist" from="2026-01-01T00:00:00Z"/></sitemap>
</sitemapindex>"""
CHANGE = (
    "  <url><loc>{base}/{name}</loc><lastmod>{moment}</lastmod>"
    '<rs:md change="{change}" datetime="{moment}"/></url>'
)


def test_an_incremental_harvest_reads_only_the_change_lists_since_its_last(sessions, static_source):
    folder, base = static_source
    film = dc_metadata("A film that came later").encode()
    _publish(folder, base, {"film.xml": (film, _sha(film))})
    (folder / "changelist.xml").write_text(INDEX.format(base=base))
    # The old list is not there: reading it would fail the harvest.
    new = CHANGE.format(base=base, name="film.xml", change="updated", moment="2026-11-30T10:00:00Z")
    (folder / "new.xml").write_text(LIST.format(capability="changelist", urls=new))
    capabilities = LIST.format(
        capability="capabilitylist",
        urls="\n".join(
            URL.format(base=base, name=f"{name}.xml", md=f'<rs:md capability="{name}"/>')
            for name in ("resourcelist", "changelist")
        ),
    )
    (folder / "capabilitylist.xml").write_text(capabilities)
    assert _harvest(sessions, f"{base}/capabilitylist.xml").status == "success"
    again = Harvest(sessions, "static", fetcher=fetcher(attempts=1)).run()
    assert again.status == "success", again.message
    assert again.counts["listed"] == 1 and again.counts.get("rejected", 0) == 0


def test_a_run_resumed_after_the_lists_changed_starts_them_over(static_source, monkeypatch):
    folder, base = static_source
    films = {f"film-{n}.xml": dc_metadata(f"Film {n}").encode() for n in range(3)}
    _publish(folder, base, {name: (body, _sha(body)) for name, body in films.items()})
    monkeypatch.setattr(resourcesync, "PER_PAGE", 2)
    partner = resourcesync.ResourceSyncPartner(fetcher(attempts=1), f"{base}/capabilitylist.xml")
    first, _ = partner.page({"verb": "ListRecords", "metadataPrefix": "resourcesync"})
    assert [r.identifier for r in first.records] == [f"{base}/film-0.xml", f"{base}/film-1.xml"]
    assert base not in first.token, "the token names the lists by a digest, not their URLs"
    second, _ = partner.page({"resumptionToken": first.token})
    assert [r.identifier for r in second.records] == [f"{base}/film-2.xml"]
    stale = first.token.replace(json.loads(first.token)["plan"], "0123456789abcdef")
    again, _ = partner.page({"resumptionToken": stale})
    assert [r.identifier for r in again.records] == [r.identifier for r in first.records]
