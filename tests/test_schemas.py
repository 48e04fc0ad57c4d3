"""The schema registry: official XSDs found offline, fetched once, never from the network."""

from __future__ import annotations

import shutil
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from lxml import etree

from schemas import native, registry, validators
from tests.conftest import requires_schemas


def test_missing_schemas_say_how_to_get_them(tmp_path):
    registry.configure(registry.Location(folder=tmp_path))
    with pytest.raises(registry.SchemasMissing, match="navette schemas fetch"):
        registry.schema_dir()


def test_the_user_cache_is_used_when_no_folder_is_configured(tmp_path):
    registry.configure(registry.Location(cache_home=tmp_path))
    assert registry.cache_dir() == tmp_path / "navette" / "schemas"
    with pytest.raises(registry.SchemasMissing, match="schema cache"):
        registry.schema_dir()


@requires_schemas
def test_schemas_fetch_fills_the_cache_once_from_the_official_urls(tmp_path, monkeypatch):
    """The official hosts are served here by a loopback server holding the same files."""
    source = registry.schema_dir()
    handler = partial(SimpleHTTPRequestHandler, directory=str(source))
    handler.log_message = lambda *args: None
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    monkeypatch.setattr(
        registry, "OFFICIAL", {name: f"{base}/{name}" for name in registry.OFFICIAL}
    )
    try:
        written = registry.fetch(tmp_path / "cache")
        assert sorted(str(p.relative_to(tmp_path / "cache")) for p in written) == sorted(
            registry.OFFICIAL
        )
        assert registry.fetch(tmp_path / "cache") == []
    finally:
        server.shutdown()
    registry.configure(registry.Location(folder=tmp_path / "cache"))
    assert registry.schema_dir() == tmp_path / "cache"


@requires_schemas
def test_validation_refuses_to_fetch_an_unknown_remote_schema(tmp_path):
    resolver = validators._LocalResolver(registry.schema_dir())
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(resolver)
    xsd = (
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
        '<xs:import namespace="urn:x" schemaLocation="http://example.org/x.xsd"/></xs:schema>'
    )
    with pytest.raises(etree.XMLSchemaParseError):
        etree.XMLSchema(etree.fromstring(xsd, parser))


@requires_schemas
def test_a_whole_oai_pmh_response_is_checked_with_its_payload_schemas():
    response = (
        '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">'
        "<responseDate>2026-01-01T00:00:00Z</responseDate>"
        '<request verb="GetRecord">http://x/oai</request><GetRecord><record><header>'
        "<identifier>oai:x.org:1</identifier><datestamp>2026-01-01T00:00:00Z</datestamp></header>"
        '<metadata><oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:nonsense/></oai_dc:dc></metadata>'
        "</record></GetRecord></OAI-PMH>"
    )
    problems = validators.quick_problems(etree.fromstring(response), "oai-pmh")
    assert problems and "nonsense" in problems[0].reason


def test_the_native_json_schema_is_itself_valid_and_rejects_a_bad_record():
    assert native.validator() is not None
    assert native.problems({"identifier": "x", "titles": [{"value": "T"}]}) == []
    problems = native.problems({"identifier": "x", "titles": [], "colour": "yes"})
    assert any(p.startswith("titles") for p in problems)
    assert any(p.startswith("colour") for p in problems)


def test_the_native_json_schema_file_is_shipped_with_the_package():
    assert Path(native.SCHEMA_PATH).is_file()


@requires_schemas
def test_a_schema_compiled_without_an_import_is_never_used(tmp_path):
    """libxml2 skips an xs:import it cannot load; the compiled schema then refuses every
    document. Such a compile is detected (and compiled again, then refused)."""
    official = registry.schema_dir()
    folder = tmp_path / "schemas"
    shutil.copytree(official, folder)
    (folder / "oai_dc.xsd").unlink()
    incomplete = validators._lxml_schema("oai_dc", folder)
    assert not validators._complete("oai_dc", incomplete)
    assert validators._complete("oai_dc", validators._lxml_schema("oai_dc", official))
