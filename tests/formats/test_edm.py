"""EDM as Europeana ingests it: the seed's fields by XPath, XSD and Schematron on the seed,
the demo and Europeana's own film record."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree

from mappings.edm_out import lacks, to_edm_text
from mappings.formats import render
from mappings.publication import Publication
from protocol.namespaces import EDM
from schemas import validators
from schemas.schematron import europeana_problems
from tests.conftest import requires_schemas
from tests.formats.conftest import LANDING, PUBLICATION, RIGHTS

pytestmark = requires_schemas

EXAMPLES = Path(__file__).resolve().parents[3] / "shared" / "examples" / "edm"
NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "edm": "http://www.europeana.eu/schemas/edm/",
    "ore": "http://www.openarchives.org/ore/terms/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
}
CHO = "/rdf:RDF/edm:ProvidedCHO/"
AGGREGATION = "/rdf:RDF/ore:Aggregation/"


@pytest.mark.parametrize(
    ("xpath", "expected"),
    [
        (CHO + "dc:title/text()", ["Mars Express Mission"]),
        (CHO + "dc:creator/text()", ["CNRS Images", "MIFSUD, Nicolas"]),
        (CHO + "dcterms:isPartOf/text()", ["Facing the Universe, a Dive into Space Research"]),
        (CHO + "dcterms:extent/text()", ["PT9M52S"]),
        (CHO + "dcterms:created/text()", ["2019"]),
        (CHO + "dc:subject/text()", ["Space Sciences"]),
        (CHO + "dc:identifier/text()", ["cnrs-6764", "6764"]),
        (CHO + "edm:type/text()", ["VIDEO"]),
        (AGGREGATION + "edm:rights/@rdf:resource", [RIGHTS]),
        (AGGREGATION + "edm:isShownAt/@rdf:resource", [LANDING]),
        (AGGREGATION + "edm:provider/text()", ["Navette video library"]),
        (AGGREGATION + "edm:dataProvider/text()", ["CNRS Images"]),
    ],
)
def test_the_seed_in_edm(seed_in, xpath, expected):
    assert seed_in("edm").xpath(xpath, namespaces=NS) == expected


def test_the_director_keeps_his_affiliations_as_a_contributor_keeps_hers(seed_in):
    contributors = seed_in("edm").xpath(CHO + "dc:contributor/text()", namespaces=NS)
    assert "BIBRING, Jean-Pierre (IAS; UMR CNRS; Univ. Paris-Sud; CNES)" in contributors


def test_the_seed_passes_the_edm_schema_and_europeanas_schematron(seed_in):
    edm = seed_in("edm")
    assert validators.quick_problems(edm, "edm") == []
    assert europeana_problems(edm) == []


def test_every_demo_record_passes_the_edm_schema_and_europeanas_schematron(demo_records):
    for record in demo_records:
        edm = etree.fromstring(render(record, "edm", PUBLICATION).encode())
        assert validators.quick_problems(edm, "edm") == [], record.identifier
        assert europeana_problems(edm) == [], record.identifier


def test_storyboard_images_are_views_and_the_first_is_the_preview(catalogue_record):
    record = catalogue_record
    edm = etree.fromstring(render(record, "edm", PUBLICATION).encode())
    views = edm.xpath(AGGREGATION + "edm:hasView/@rdf:resource", namespaces=NS)
    assert views == [k.image for k in record.keyframes]
    assert edm.xpath(AGGREGATION + "edm:object/@rdf:resource", namespaces=NS) == views[:1]
    resources = edm.xpath("/rdf:RDF/edm:WebResource/@rdf:about", namespaces=NS)
    assert resources == views


def test_the_storyboard_and_the_landing_page_name_the_records_iiif_manifest(catalogue_record):
    ours = replace(catalogue_record, landing_page=None)  # Navette's page is its landing page
    edm = etree.fromstring(render(ours, "edm", PUBLICATION).encode())
    named = edm.xpath(
        "/rdf:RDF/edm:WebResource[dcterms:isReferencedBy/@rdf:resource = $manifest]/@rdf:about",
        namespaces=NS,
        manifest=f"{LANDING}/manifest.json",
    )
    assert named == [*(k.image for k in catalogue_record.keyframes), LANDING]
    assert validators.quick_problems(edm, "edm") == []
    assert europeana_problems(edm) == []


def test_a_record_with_a_landing_page_of_its_own_names_the_manifest_on_its_images_only(
    catalogue_record,
):
    elsewhere = replace(catalogue_record, landing_page="https://archive.example.net/film/1")
    edm = etree.fromstring(render(elsewhere, "edm", PUBLICATION).encode())
    resources = edm.xpath("/rdf:RDF/edm:WebResource/@rdf:about", namespaces=NS)
    assert resources == [k.image for k in catalogue_record.keyframes]


@pytest.mark.parametrize(
    ("publication", "reason"),
    [
        (Publication("https://films.example.org"), "no rights statement URI"),
        (Publication(None, RIGHTS), "no landing page"),
        (
            Publication("https://films.example.org", "https://rightsstatements.org/vocab/InC/1.0/"),
            "not one Europeana accepts",
        ),
    ],
)
def test_a_record_europeana_would_refuse_is_not_offered_and_says_why(
    seed_record, publication, reason
):
    assert reason in lacks(publication.apply(seed_record))


def test_a_record_of_no_stated_type_is_not_offered_in_edm(seed_record):
    seed_record.resource_type = None
    assert "EDM requires edm:type" in lacks(PUBLICATION.apply(seed_record))


@pytest.mark.parametrize(
    ("resource_type", "edm_type"),
    [("MovingImage", "VIDEO"), ("Sound", "SOUND"), ("StillImage", "IMAGE"), ("Image", "IMAGE"),
     ("Text", "TEXT"), ("PhysicalObject", "3D")],
)  # fmt: skip
def test_edm_type_says_the_records_dcmi_type(seed_record, resource_type, edm_type):
    seed_record.resource_type = resource_type
    root = etree.fromstring(to_edm_text(PUBLICATION.apply(seed_record), PUBLICATION).encode())
    assert root.findtext(f".//{{{EDM}}}type") == edm_type


def test_a_dataset_is_not_offered_in_edm_which_has_no_type_for_it(seed_record):
    seed_record.resource_type = "Dataset"
    assert "this record is Dataset" in lacks(PUBLICATION.apply(seed_record))


def test_a_text_without_a_language_is_not_offered_in_edm(seed_record):
    seed_record.resource_type, seed_record.languages = "Text", []
    assert "language" in lacks(PUBLICATION.apply(seed_record))


@pytest.mark.skipif(not EXAMPLES.is_dir(), reason=f"Europeana's examples are absent ({EXAMPLES})")
def test_europeanas_own_film_record_passes_both_and_its_negative_case_fails(tmp_path):
    film = etree.parse(str(EXAMPLES / "metis-lodz-filmschool-video.xml")).getroot()
    assert validators.quick_problems(film, "edm") == [] and europeana_problems(film) == []
    negative = etree.parse(str(EXAMPLES / "metis-item-35834473.xml")).getroot()
    reasons = [p.reason for p in europeana_problems(negative)]
    assert any("Invalid Rights Statements" in r for r in reasons)
    assert any("non empty dc:title or a non empty dc:description" in r for r in reasons)
