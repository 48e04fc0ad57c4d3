"""NAVETTE_FORMATS: the operator chooses the formats served; records are rendered in those only.

OAI-PMH requires oai_dc of every repository (section 3.4); the other four are the
operator's choice, and a format nobody is served should cost a harvest nothing.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from catalogue.tables import Rendering
from ingest import prepare
from mappings.formats import FORMATS
from mappings.publication import Publication
from navette.config import Settings
from navette.rendering import render_stored
from tests.conftest import requires_schemas
from tests.oai.helpers import NS, errors, harvest, oai_id

TWO = ("oai_dc", "ebucore")


def test_navette_formats_names_the_formats_served_in_navettes_order(monkeypatch):
    monkeypatch.setenv("NAVETTE_FORMATS", " ebucore, oai_dc ")
    assert Settings.from_env().formats == TWO
    assert Settings.from_env().served_formats() == list(TWO)


def test_naming_every_format_is_serving_them_all(monkeypatch):
    monkeypatch.setenv("NAVETTE_FORMATS", ",".join(reversed(FORMATS)))
    assert Settings.from_env().formats is None
    assert Settings.from_env().served_formats() == list(FORMATS)


def test_an_unknown_format_is_refused_naming_the_known_ones(monkeypatch):
    monkeypatch.setenv("NAVETTE_FORMATS", "oai_dc,marc21")
    with pytest.raises(ValueError, match="marc21: the formats are oai_dc, ebucore, edm"):
        Settings.from_env()


def test_oai_dc_cannot_be_left_out(monkeypatch):
    monkeypatch.setenv("NAVETTE_FORMATS", "ebucore,mods")
    with pytest.raises(ValueError, match="must include oai_dc"):
        Settings.from_env()


@requires_schemas
def test_a_record_is_rendered_only_in_the_formats_served(catalogue_record):
    written = prepare.prepare(catalogue_record, publication=Publication(formats=TWO))
    assert set(written.renderings) == set(TWO)
    assert written.withheld == {}


def test_the_formats_served_are_part_of_a_records_fingerprint(seed_data):
    assert prepare.fingerprint(seed_data, Publication(formats=TWO)) != prepare.fingerprint(
        seed_data, Publication()
    )


@requires_schemas
def test_a_record_prepared_carries_the_fingerprint_of_its_publication(seed_record, seed_data):
    publication = Publication(formats=TWO)
    written = prepare.prepare(seed_record, publication=publication)
    assert written.fingerprint == prepare.fingerprint(seed_data, publication)


@requires_schemas
def test_a_token_for_a_format_no_longer_served_is_refused(app_factory, ten_films):
    everything = app_factory(page_size=3).test_client()
    first = harvest(everything, verb="ListRecords", metadataPrefix="mods")
    token = first.findtext(".//oai:resumptionToken", namespaces=NS)
    fewer = app_factory(page_size=3, formats=TWO).test_client()
    assert errors(harvest(fewer, verb="ListRecords", resumptionToken=token)) == [
        "badResumptionToken"
    ]


@requires_schemas
def test_list_metadata_formats_names_only_the_formats_served(app_factory, ten_films):
    client = app_factory(formats=TWO).test_client()
    for arguments in ({}, {"identifier": oai_id("film-01")}):
        root = harvest(client, verb="ListMetadataFormats", **arguments)
        prefixes = [e.text for e in root.iterfind(".//oai:metadataPrefix", NS)]
        assert prefixes == list(TWO)


@requires_schemas
def test_a_format_not_served_cannot_be_disseminated_though_stored(app_factory, ten_films):
    # ten_films were rendered in all five formats before the operator chose two.
    client = app_factory(formats=TWO).test_client()
    for verb in ("ListRecords", "ListIdentifiers"):
        root = harvest(client, verb=verb, metadataPrefix="marcxml")
        assert errors(root) == ["cannotDisseminateFormat"]
    root = harvest(client, verb="GetRecord", identifier=oai_id("film-01"), metadataPrefix="mods")
    assert errors(root) == ["cannotDisseminateFormat"]


@requires_schemas
def test_rendering_again_after_the_choice_drops_the_formats_no_longer_served(ten_films):
    sessions = ten_films.sessions
    counts = render_stored(sessions, Publication(formats=TWO))
    assert counts["updated"] == 10
    with sessions() as session:
        prefixes = set(session.scalars(select(Rendering.prefix)))
    assert prefixes == set(TWO)
