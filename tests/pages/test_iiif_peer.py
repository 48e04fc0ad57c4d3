"""The IIIF consortium's own Python library, ``iiif-prezi3``, reads every Manifest and
Collection Navette serves into its models and writes each back unchanged: a peer's
reading beside the JSON schema's.  On both databases, over the demo catalogue."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from catalogue.tables import RecordRow
from tests.conftest import requires_schemas

pytestmark = requires_schemas
prezi3 = pytest.importorskip("iiif_prezi3", reason="iiif-prezi3 is not installed")


def _read_back(kind, served: dict) -> dict:
    return json.loads(kind(**served).json())


def test_iiif_prezi3_reads_every_manifest_and_writes_it_back_unchanged(site):
    with site.application.extensions["navette.sessions"]() as session:
        live = session.scalars(select(RecordRow.identifier).where(RecordRow.deleted.is_(False)))
        identifiers = list(live)
    for identifier in identifiers:
        served = json.loads(site.get(f"/records/{identifier}/manifest.json").data)
        assert _read_back(prezi3.Manifest, served) == served, identifier


def test_iiif_prezi3_reads_the_collections_of_sets(site):
    top = json.loads(site.get("/iiif/collection.json").data)
    assert _read_back(prezi3.Collection, top) == top
    first = json.loads(site.get(urlsplit(top["items"][0]["id"]).path).data)
    assert _read_back(prezi3.Collection, first) == first
