"""Record <-> simple Dublin Core (oai_dc): every field DC can express, and the way back."""

from __future__ import annotations

import pytest
from lxml import etree

from catalogue.model import Credit, Person, Text
from mappings.dc_in import from_oai_dc
from mappings.dc_out import to_oai_dc
from mappings.ebucore_in import MappingError
from protocol.namespaces import DC, OAI_DC
from schemas import validators
from tests.conftest import requires_schemas

NS = {"oai_dc": OAI_DC, "dc": DC}

SEED_FIELDS = [
    ("title (en)", "dc:title[@xml:lang='en']", ["Mars Express Mission"]),
    ("producer", "dc:creator[1]", ["CNRS Images"]),
    ("director", "dc:creator[2]", ["MIFSUD, Nicolas"]),
    (
        "personality with affiliations",
        "dc:contributor[1]",
        ["BIBRING, Jean-Pierre (IAS; UMR CNRS; Univ. Paris-Sud; CNES)"],
    ),
    ("laboratories", "dc:contributor[starts-with(., 'UMR')]", ["UMR8617", "UMR8109", "UMR8190"]),
    ("subject", "dc:subject[@xml:lang='en']", ["Space Sciences"]),
    ("year", "dc:date", ["2019"]),
    ("type", "dc:type", ["MovingImage"]),
    (
        "duration, definition, ratio, colour, sound, supports",
        "dc:format",
        ["PT9M52S", "HD", "16:9", "colour", "sound", "Digitalised File"],
    ),
    ("item number", "dc:identifier", ["6764"]),
    (
        "series",
        "dc:relation[@xml:lang='en']",
        ["Facing the Universe, a Dive into Space Research"],
    ),
    ("restriction", "dc:rights", ["Only available for non-commercial distribution"]),
]
#: Fields the data sheet does not show, on the seed with them (``catalogue_record``).
OTHER_FIELDS = [
    ("title (fr)", "dc:title[@xml:lang='fr']", ["La mission Mars Express"]),
    ("type", "dc:type", ["MovingImage", "Documentary"]),
    (
        "landing page and item number",
        "dc:identifier",
        ["https://videotheque.cnrs.fr/doc=6764", "6764"],
    ),
    ("language", "dc:language", ["fr"]),
    (
        "rights and restriction",
        "dc:rights",
        ["© CNRS Images, 2019", "Only available for non-commercial distribution"],
    ),
]


@pytest.mark.parametrize(
    ("field", "xpath", "expected"), OTHER_FIELDS, ids=[f[0] for f in OTHER_FIELDS]
)
def test_every_other_field_dc_can_express_appears_in_oai_dc(
    catalogue_record, field, xpath, expected
):
    document = to_oai_dc(catalogue_record)
    assert [e.text for e in document.xpath(xpath, namespaces=NS)] == expected


@pytest.mark.parametrize(
    ("field", "xpath", "expected"), SEED_FIELDS, ids=[f[0] for f in SEED_FIELDS]
)
def test_every_seed_field_dc_can_express_appears_in_oai_dc(seed_record, field, xpath, expected):
    document = to_oai_dc(seed_record)
    assert [e.text for e in document.xpath(xpath, namespaces=NS)] == expected


def test_abstract_process_and_notes_are_descriptions_with_their_language(seed_record):
    descriptions = to_oai_dc(seed_record).xpath("dc:description", namespaces=NS)
    assert descriptions[0].text.startswith("After the Russian")
    assert descriptions[0].get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert any(d.text.startswith("Prises de vues réelles") for d in descriptions)
    assert any("CNES : Centre National" in d.text for d in descriptions)


@requires_schemas
def test_seed_oai_dc_is_valid_against_the_official_schema(seed_record):
    assert validators.quick_problems(to_oai_dc(seed_record), "oai_dc") == []


def test_oai_dc_reads_back_into_the_fields_dc_can_carry(catalogue_record):
    seed_record = catalogue_record
    record = from_oai_dc(to_oai_dc(seed_record), "cnrs-6764")
    assert record.titles == seed_record.titles
    assert record.duration_seconds == 592
    assert record.production_year is None and Text("2019") in record.dates  # DC: a date
    assert record.resource_type == "MovingImage"
    assert (record.definition, record.aspect_ratio, record.colour, record.sound) == (
        "HD",
        "16:9",
        True,
        True,
    )
    assert record.landing_page == "https://videotheque.cnrs.fr/doc=6764"
    assert (
        Credit(
            "Contributor",
            "contributor",
            Person("BIBRING", "Jean-Pierre", ["IAS", "UMR CNRS", "Univ. Paris-Sud", "CNES"]),
        )
        in record.credits
    )
    assert record.subjects == seed_record.subjects
    assert record.languages == ["fr"]


def test_a_document_that_is_not_oai_dc_is_refused():
    with pytest.raises(MappingError, match="not an oai_dc document"):
        from_oai_dc(etree.fromstring("<x/>"), "x")
