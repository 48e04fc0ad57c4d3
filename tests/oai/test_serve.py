"""A real `navette serve` on a loopback port, harvested completely by real OAI-PMH clients."""

from __future__ import annotations

import pytest
import requests

from mappings.formats import FORMATS
from tests.conftest import requires_schemas

pytestmark = requires_schemas

DEMO_SIZE = 221


def test_sickle_harvests_every_record_once(served):
    from sickle import Sickle

    records = list(Sickle(served).ListRecords(metadataPrefix="oai_dc", ignore_deleted=False))
    identifiers = [r.header.identifier for r in records]
    assert len(identifiers) == DEMO_SIZE == len(set(identifiers))
    assert records[0].metadata["title"][0] == "Mars Express Mission"


def test_sickle_harvests_ebucore_and_headers(served):
    from sickle import Sickle

    client = Sickle(served)
    headers = [h.identifier for h in client.ListIdentifiers(metadataPrefix="ebucore")]
    assert len(headers) == DEMO_SIZE == len(set(headers))
    sets = [s.setSpec for s in client.ListSets()]
    assert "series" in sets


def test_the_oaipmh_client_harvests_every_record_once(served):
    from oaipmh.client import Client
    from oaipmh.metadata import MetadataRegistry, oai_dc_reader

    registry = MetadataRegistry()
    registry.registerReader("oai_dc", oai_dc_reader)
    client = Client(served, registry)
    identify = client.identify()
    assert identify.baseURL() == served
    assert identify.deletedRecord() == "persistent"
    identifiers = [
        header.identifier() for header, _, _ in client.listRecords(metadataPrefix="oai_dc")
    ]
    assert len(identifiers) == DEMO_SIZE == len(set(identifiers))


@pytest.mark.parametrize("prefix", sorted(FORMATS))
def test_sickle_harvests_every_record_in_every_format(served, prefix):
    from sickle import Sickle

    records = list(Sickle(served).ListRecords(metadataPrefix=prefix, ignore_deleted=False))
    identifiers = [r.header.identifier for r in records]
    assert len(identifiers) == DEMO_SIZE == len(set(identifiers))
    assert all(r.metadata for r in records)


@pytest.mark.parametrize("prefix", sorted(FORMATS))
def test_oaipmh_scythe_harvests_every_record_in_every_format(served, prefix):
    from oaipmh_scythe import Scythe

    with Scythe(served) as client:
        records = list(client.list_records(metadata_prefix=prefix))
    identifiers = [r.header.identifier for r in records]
    assert len(identifiers) == DEMO_SIZE == len(set(identifiers))


@pytest.mark.parametrize("prefix", sorted(FORMATS))
def test_the_oaipmh_client_harvests_every_record_in_every_format(served, prefix):
    from oaipmh.client import Client
    from oaipmh.metadata import MetadataReader, MetadataRegistry

    registry = MetadataRegistry()
    registry.registerReader(
        prefix, MetadataReader(fields={"text": ("textList", ".//text()")}, namespaces={})
    )
    client = Client(served, registry)
    found = [
        (header.identifier(), metadata)
        for header, metadata, _ in client.listRecords(metadataPrefix=prefix)
    ]
    assert len(found) == DEMO_SIZE == len({identifier for identifier, _ in found})
    assert all("".join(metadata["text"]).strip() for _, metadata in found)


def test_gzip_over_the_wire(served):
    response = requests.get(
        served,
        params={"verb": "ListRecords", "metadataPrefix": "ebucore"},
        headers={"Accept-Encoding": "gzip"},
        timeout=10,
    )
    assert response.headers["Content-Encoding"] == "gzip"
    assert b"<ListRecords>" in response.content


def test_an_oversized_request_line_still_gets_an_oai_answer(served):
    response = requests.get(
        served,
        params={"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "x" * 20_000},
        timeout=10,
    )
    assert response.status_code == 200
    assert b'code="idDoesNotExist"' in response.content
