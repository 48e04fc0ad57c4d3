"""Each record's IIIF Presentation 3 Manifest: valid against the JSON schema the official
IIIF Presentation Validator uses, for every demo record; the film's duration, storyboard
and metadata in it; linked from the landing page; open to other origins.  On both
databases, over the demo catalogue."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from jsonschema import Draft7Validator
from lxml import etree, html
from sqlalchemy import select

from catalogue import store
from catalogue.database import open_store
from catalogue.tables import RecordRow
from ingest.prepare import prepare
from mappings.ebucore_in import from_ebucore
from mappings.edm_in import from_edm
from mappings.iiif import CONTEXT, to_manifest
from mappings.marc_in import from_marc
from protocol.namespaces import MARC
from tests.conftest import SHARED, requires_schemas

pytestmark = requires_schemas

SCHEMA = SHARED / "schemas" / "iiif" / "iiif_3_0.json"


@pytest.fixture(scope="module")
def validator():
    if not SCHEMA.exists():
        pytest.skip(f"the IIIF Presentation 3 JSON schema is not at {SCHEMA} (../shared)")
    return Draft7Validator(json.loads(SCHEMA.read_text()))


def manifest_of(site, identifier: str) -> dict:
    answer = site.get(f"/records/{identifier}/manifest.json")
    assert answer.status_code == 200, identifier
    return json.loads(answer.data)


@pytest.fixture
def storyboarded(site, database_url, catalogue_record):
    """The seed with a storyboard of two keyframes (the demo has none), in the store."""
    record = replace(catalogue_record, identifier="storyboarded")
    sessions = open_store(database_url)
    with sessions.begin() as session:
        store.save(session, [prepare(record, check=False)])
    sessions.kw["bind"].dispose()
    return record.identifier


def test_every_demo_record_has_a_valid_manifest(site, validator):
    with site.application.extensions["navette.sessions"]() as session:
        live = session.scalars(select(RecordRow.identifier).where(RecordRow.deleted.is_(False)))
        identifiers = list(live)
    assert len(identifiers) > 200
    for identifier in identifiers:
        made = manifest_of(site, identifier)
        problems = [error.message for error in validator.iter_errors(made)]
        assert problems == [], (identifier, problems)


def test_the_seed_manifest_holds_the_film(site):
    made = manifest_of(site, "cnrs-6764")
    assert made["@context"] == CONTEXT and made["type"] == "Manifest"
    assert made["label"] == {"en": ["Mars Express Mission"]}
    [canvas] = made["items"]
    assert canvas["duration"] == 592.0
    labels = [entry["label"]["en"][0] for entry in made["metadata"]]
    assert {"Series", "Year", "Duration", "Credits", "Subjects"} <= set(labels)
    assert made["homepage"][0]["id"].endswith("/records/cnrs-6764")


def test_a_storyboard_gives_thumbnails_and_ranges(site, validator, storyboarded):
    made = manifest_of(site, storyboarded)
    assert made["thumbnail"][0]["type"] == "Image"
    [canvas] = made["items"]
    assert len(canvas["thumbnail"]) == 2
    assert [r["items"][0]["id"].split("#t=")[1] for r in made["structures"]] == [
        "12,160",
        "160,592",
    ]
    assert [error.message for error in validator.iter_errors(made)] == []


def test_the_landing_page_links_to_its_manifest(site):
    page = html.fromstring(site.get("/records/cnrs-6764").data)
    assert page.xpath('//link[@rel="alternate"][@type="application/ld+json"]/@href') == [
        "/records/cnrs-6764/manifest.json"
    ]


def test_a_manifest_is_open_to_other_origins_and_says_its_profile(site):
    answer = site.get("/records/cnrs-6764/manifest.json")
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    assert answer.headers["Content-Type"].startswith("application/ld+json")
    assert CONTEXT in answer.headers["Content-Type"]


def test_an_unknown_record_has_no_manifest_and_a_withdrawn_one_is_gone(site):
    assert site.get("/records/cnrs-0000/manifest.json").status_code == 404
    assert site.get("/records/cnrs-7001/manifest.json").status_code == 410


def partner_records():
    """Records other tools wrote (../shared/examples: Europeana's EDM, libraries' MARCXML,
    EBU's and MediaInfo's EBUCore), read as a harvest reads them."""
    examples = SHARED / "examples"
    readers = [
        ("edm", "*.xml", lambda root, name: [from_edm(root, name)]),
        (
            "marcxml",
            "*.xml",
            lambda root, name: [
                from_marc(element, name) for element in root.iter(f"{{{MARC}}}record")
            ],
        ),
        ("fidelity/ebucore", "*.xml", lambda root, name: [from_ebucore(root, name)]),
    ]
    for folder, pattern, read in readers:
        for path in sorted((examples / folder).glob(pattern)):
            yield from read(etree.parse(str(path)).getroot(), path.stem)


def test_records_other_tools_wrote_give_valid_manifests(validator):
    if not (SHARED / "examples").exists():
        pytest.skip(f"the partners' documents are not at {SHARED / 'examples'} (../shared)")
    records = list(partner_records())
    assert len(records) > 20
    for record in records:
        page = f"https://films.example.org/records/{record.identifier}"
        made = to_manifest(record, f"{page}/manifest.json", page)
        problems = [error.message for error in validator.iter_errors(made)]
        assert problems == [], (record.identifier, problems)
