"""MODS 3.8 for digital-library tools: the seed's fields by XPath, XSD on the seed and demo."""

from __future__ import annotations

import dataclasses

import pytest
from lxml import etree

from mappings.formats import render
from schemas import validators
from tests.conftest import requires_schemas
from tests.formats.conftest import LANDING, PUBLICATION, RIGHTS

pytestmark = requires_schemas

NS = {"m": "http://www.loc.gov/mods/v3", "xlink": "http://www.w3.org/1999/xlink"}
DIRECTOR = "/m:mods/m:name[m:role/m:roleTerm[@type='code']='drt']"
PRODUCER = "/m:mods/m:name[m:role/m:roleTerm[@type='code']='pro']"


@pytest.mark.parametrize(
    ("xpath", "expected"),
    [
        ("/m:mods/m:titleInfo/m:title/text()", ["Mars Express Mission"]),
        (DIRECTOR + "/m:namePart[@type='family']/text()", ["MIFSUD"]),
        (DIRECTOR + "/m:role/m:roleTerm[@authority='marcrelator'][@type='text']/text()",
         ["director"]),
        (PRODUCER + "/m:namePart/text()", ["CNRS Images"]),
        ("/m:mods/m:typeOfResource/text()", ["moving image"]),
        ("/m:mods/m:relatedItem[@type='series']/m:titleInfo/m:title/text()",
         ["Facing the Universe, a Dive into Space Research"]),
        ("/m:mods/m:physicalDescription/m:extent/text()", ["9 min., 52 sec."]),
        ("/m:mods/m:originInfo/m:dateCreated/text()", ["2019"]),
        ("/m:mods/m:subject/m:topic/text()", ["Space Sciences"]),
        ("/m:mods/m:accessCondition/@xlink:href", [RIGHTS]),
        ("/m:mods/m:location/m:url[@usage='primary display']/text()", [LANDING]),
        ("/m:mods/m:identifier[@type='item number']/text()", ["6764"]),
        ("/m:mods/m:targetAudience/text()", ["Large audience"]),
    ],
)  # fmt: skip
def test_the_seed_in_mods(seed_in, xpath, expected):
    assert seed_in("mods").xpath(xpath, namespaces=NS) == expected


def test_affiliations_are_kept_on_the_name(seed_in):
    bibring = seed_in("mods").xpath("/m:mods/m:name[m:namePart='BIBRING']", namespaces=NS)[0]
    assert bibring.xpath("m:affiliation/text()", namespaces=NS) == [
        "IAS", "UMR CNRS", "Univ. Paris-Sud", "CNES"
    ]  # fmt: skip


def test_every_demo_record_and_the_seed_are_valid_mods(seed_in, demo_records):
    assert validators.quick_problems(seed_in("mods"), "mods") == []
    for record in demo_records:
        mods = etree.fromstring(render(record, "mods", PUBLICATION).encode())
        assert validators.quick_problems(mods, "mods") == [], record.identifier


def test_a_laboratorys_name_is_kept_in_the_laboratory_note(seed_record):
    named = dataclasses.replace(
        seed_record, laboratories=["UMR8109", "UMR7619"], laboratory_names={"UMR8109": "LESIA"}
    )
    root = etree.fromstring(render(named, "mods").encode())
    assert root.xpath("/m:mods/m:note[@type='laboratory']/text()", namespaces=NS) == [
        "LESIA (UMR8109) ; UMR7619"
    ]
