"""ResourceSync's reference client (``resync``) copies a format from a real ``navette
serve`` on loopback, then keeps in step with an incremental sync from the Change List:
it ends holding exactly the records OAI-PMH serves, without those OAI-PMH reports
deleted; on both databases."""

from __future__ import annotations

from pathlib import Path

import pytest
from sickle import Sickle

from tests.conftest import _pg_schema_url, requires_schemas
from tests.demo_changes import ADDED, NEW_TITLE, RETITLED, WITHDRAWN, change_the_catalogue
from tests.serving import Served

pytestmark = requires_schemas
client_module = pytest.importorskip("resync.client", reason="the resync client is not installed")
builder_module = pytest.importorskip("resync.resource_list_builder")

PREFIX = "oai_dc"


@pytest.fixture(params=["sqlite", "postgresql"])
def served(request, tmp_path):
    url, drop = f"sqlite:///{tmp_path / 'source.db'}", None
    if request.param == "postgresql":
        url, drop = _pg_schema_url(request.getfixturevalue("pg_admin_url"))
    server = Served({"NAVETTE_DATABASE_URL": url}, tmp_path / "serve.log", "--demo")
    yield server, url
    server.stop()
    if drop is not None:
        drop()


def _client(base: str, destination: Path):
    client = client_module.Client()
    client.set_mappings([f"{base}/resourcesync/{PREFIX}/", str(destination)])
    client.capability_list_uri = f"{base}/resourcesync/{PREFIX}/capabilitylist.xml"
    return client


def _copied(destination: Path) -> set[str]:
    return {path.name for path in (destination / "records").iterdir()}


def _oai(base: str) -> tuple[set[str], set[str]]:
    """The local identifiers OAI-PMH lists as live, and as deleted."""
    live, deleted = set(), set()
    for header in Sickle(f"{base}/oai").ListIdentifiers(metadataPrefix=PREFIX):
        local = header.identifier.rsplit(":", 1)[1]
        (deleted if header.deleted else live).add(local)
    return live, deleted


def test_resync_copies_the_catalogue_then_follows_its_changes(served, tmp_path, monkeypatch):
    server, url = served
    monkeypatch.chdir(tmp_path)  # where the client keeps the time of its last sync
    destination = tmp_path / "copy"

    _client(server.base, destination).baseline_or_audit()
    live, deleted = _oai(server.base)
    assert _copied(destination) == live and not deleted and len(live) == 221

    change_the_catalogue(url)
    _client(server.base, destination).incremental(allow_deletion=True)

    live, deleted = _oai(server.base)
    assert deleted == {WITHDRAWN} and {RETITLED, ADDED} <= live
    assert _copied(destination) == live
    assert NEW_TITLE in (destination / "records" / RETITLED).read_text(encoding="utf-8")
    assert _differences(server.base, destination) == ([], [], [])  # updated, deleted, created


def _differences(base: str, destination: Path) -> tuple[list[str], ...]:
    """What an audit finds: resources to update, delete and create, sha-256 compared."""
    client = _client(base, destination)
    listed = client.find_resource_list()
    copied = builder_module.ResourceListBuilder(set_hashes=["sha-256"], mapper=client.mapper)
    _, updated, deleted, created = copied.from_disk().compare(listed)
    return tuple(sorted(item.uri for item in found) for found in (updated, deleted, created))
