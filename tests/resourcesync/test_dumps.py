"""Resource Dumps: `navette dump` and the worker write one ZIP per format with its
manifest, the service offers it from the Capability List and serves it whole or in
ranges; a dump is made again only when the catalogue has moved; on both databases."""

from __future__ import annotations

import hashlib
import io
import zipfile
from urllib.parse import urlsplit

import pytest
from lxml import etree

from catalogue import store
from catalogue.database import open_store
from navette import demo
from navette.app import close_app, create_app
from navette.config import Settings
from protocol.dates import utc_now
from protocol.namespaces import RESOURCESYNC, SITEMAPS
from resourcesync import dumps
from resourcesync.dumps import read_dump
from schemas import resourcesync
from tests.conftest import requires_schemas
from tests.resourcesync.conftest import PUBLIC_URL, RIGHTS, WITHDRAWN

pytestmark = requires_schemas

S = f"{{{SITEMAPS}}}"
RS = f"{{{RESOURCESYNC}}}"


@pytest.fixture
def dumping(database_url, tmp_path, monkeypatch, cli):
    """The demo catalogue (one record withdrawn), `navette dump` set to write in a
    folder of the test's own, and a client of the service reading that folder."""
    folder = tmp_path / "dumps"
    monkeypatch.setenv("NAVETTE_PUBLIC_URL", PUBLIC_URL)
    monkeypatch.setenv("NAVETTE_DEFAULT_RIGHTS", RIGHTS)
    monkeypatch.setenv("NAVETTE_DUMP_DIR", str(folder))
    settings = Settings.from_env()
    sessions = open_store(database_url)
    demo.load(sessions, settings.publication())
    with sessions.begin() as session:
        store.delete_record(session, WITHDRAWN, utc_now())
    app = create_app(settings)
    yield cli, app.test_client(), folder, sessions
    close_app(app)
    sessions.kw["bind"].dispose()


def _valid(data: bytes) -> etree._Element:
    document = etree.fromstring(data)
    assert resourcesync.problems(document) == []
    return document


def _packages(folder, prefix: str) -> list:
    found = read_dump(folder, prefix)
    assert found is not None, prefix
    return [found.package(number) for number in range(1, len(found.packages) + 1)]


def test_navette_dump_writes_a_dump_per_format_with_every_live_record(dumping):
    cli, client, folder, _ = dumping
    result = cli("dump")
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in folder.glob("*.json")) == [
        "ebucore.json",
        "edm.json",
        "marcxml.json",
        "mods.json",
        "oai_dc.json",
    ]
    (path,) = _packages(folder, "ebucore")
    with zipfile.ZipFile(path) as package:
        manifest = _valid(package.read("manifest.xml"))
        assert manifest.find(f"{RS}md").get("capability") == "resourcedump-manifest"
        entries = list(manifest.iter(f"{S}url"))
        assert len(entries) == len(package.namelist()) - 1 == 220
        for url in entries:
            md = url.find(f"{RS}md")
            body = package.read(md.get("path").lstrip("/"))
            assert md.get("length") == str(len(body))
            assert md.get("hash") == "sha-256:" + hashlib.sha256(body).hexdigest()
        served = client.get(urlsplit(entries[0].findtext(f"{S}loc")).path).data
        assert served == package.read(entries[0].find(f"{RS}md").get("path").lstrip("/"))
    assert WITHDRAWN not in etree.tostring(manifest).decode()


def test_a_large_dump_is_split_into_packages_of_bounded_size(dumping, monkeypatch):
    cli, client, folder, _ = dumping
    monkeypatch.setattr(dumps, "PER_PACKAGE", 100)
    assert cli("dump", "--format", "oai_dc").exit_code == 0
    packages = _packages(folder, "oai_dc")
    counts = [len(zipfile.ZipFile(path).namelist()) - 1 for path in packages]
    assert counts == [100, 100, 20]
    document = _valid(client.get("/resourcesync/oai_dc/resourcedump.xml").data)
    listed = [urlsplit(url.findtext(f"{S}loc")).path for url in document.iter(f"{S}url")]
    assert listed == [f"/resourcesync/oai_dc/resourcedump/{n}.zip" for n in (1, 2, 3)]
    for number, path in enumerate(packages, 1):
        manifest = client.get(f"/resourcesync/oai_dc/resourcedump/{number}/manifest.xml")
        assert manifest.data == zipfile.ZipFile(path).read("manifest.xml")


def test_a_dump_made_again_replaces_the_last_and_removes_its_files(dumping):
    cli, _, folder, _ = dumping
    cli("dump", "--format", "mods")
    (first,) = _packages(folder, "mods")
    cli("dump", "--format", "mods")
    (second,) = _packages(folder, "mods")
    assert second.is_file() and not first.parent.exists()


def test_the_capability_list_offers_the_dump_once_it_exists(dumping):
    cli, client, _, _ = dumping
    capabilities = "/resourcesync/mods/capabilitylist.xml"
    offered = etree.fromstring(client.get(capabilities).data)
    assert "resourcedump" not in [md.get("capability") for md in offered.iter(f"{RS}md")]
    assert client.get("/resourcesync/mods/resourcedump.xml").status_code == 404
    cli("dump", "--format", "mods")
    offered = _valid(client.get(capabilities).data)
    assert "resourcedump" in [md.get("capability") for md in offered.iter(f"{RS}md")]


def test_the_resource_dump_names_its_package_and_manifest_and_serves_them(dumping):
    cli, client, folder, _ = dumping
    cli("dump", "--format", "oai_dc")
    document = _valid(client.get("/resourcesync/oai_dc/resourcedump.xml").data)
    package = document.find(f"{S}url")
    md, contents = package.find(f"{RS}md"), package.find(f"{RS}ln")
    assert md.get("type") == "application/zip"
    (path,) = _packages(folder, "oai_dc")
    assert md.get("length") == str(path.stat().st_size)
    assert contents.get("rel") == "contents"
    whole = client.get(urlsplit(package.findtext(f"{S}loc")).path)
    assert whole.headers["Content-Length"] == md.get("length")
    assert zipfile.ZipFile(io.BytesIO(whole.data)).testzip() is None
    manifest = client.get(urlsplit(contents.get("href")).path)
    assert _valid(manifest.data).find(f"{RS}md").get("capability") == "resourcedump-manifest"


def test_a_download_resumes_with_a_range(dumping):
    cli, client, folder, _ = dumping
    cli("dump", "--format", "oai_dc")
    (path,) = _packages(folder, "oai_dc")
    whole = path.read_bytes()
    part = client.get("/resourcesync/oai_dc/resourcedump/1.zip", headers={"Range": "bytes=1000-"})
    assert part.status_code == 206
    assert part.data == whole[1000:]


def test_a_dump_is_made_again_only_when_the_catalogue_has_moved(dumping):
    cli, _, _, sessions = dumping
    cli("dump", "--format", "oai_dc")
    result = cli("dump", "--format", "oai_dc", "--if-stale")
    assert "every dump is as new as the catalogue" in result.output
    with sessions.begin() as session:
        store.delete_record(session, "cnrs-7002", utc_now())
    result = cli("dump", "--format", "oai_dc", "--if-stale")
    assert "oai_dc: 219 resources" in result.output


def test_the_worker_keeps_the_dumps_between_harvests(dumping):
    cli, _, folder, _ = dumping
    result = cli("worker", "--once")
    assert result.exit_code == 0, result.output
    assert _packages(folder, "marcxml") and _packages(folder, "oai_dc")


def test_a_dump_without_a_public_address_says_which_setting_to_give(dumping, monkeypatch):
    cli, _, folder, _ = dumping
    monkeypatch.delenv("NAVETTE_PUBLIC_URL")
    result = cli("dump")
    assert result.exit_code == 2
    assert "set NAVETTE_PUBLIC_URL" in result.output and not folder.exists()


def test_a_format_not_served_is_refused_with_the_ones_that_are(dumping):
    cli, _, _, _ = dumping
    result = cli("dump", "--format", "dc")
    assert result.exit_code == 2 and "dc is not a format served here (oai_dc" in result.output


def test_a_package_past_the_last_is_not_found(dumping):
    cli, client, _, _ = dumping
    cli("dump", "--format", "oai_dc")
    assert client.get("/resourcesync/oai_dc/resourcedump/2.zip").status_code == 404
    assert client.get("/resourcesync/oai_dc/resourcedump/2/manifest.xml").status_code == 404
    assert client.get("/resourcesync/mods/resourcedump/1.zip").status_code == 404
