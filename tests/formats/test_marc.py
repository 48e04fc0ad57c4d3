"""MARCXML for library systems: the seed's fields by XPath, validity of the seed and the
demo, and real library records of films read in and written out with no field lost."""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from catalogue import codec
from catalogue.model import Credit
from mappings import marc_in
from mappings.formats import render
from mappings.marc_fields import from_element
from mappings.marc_out import to_marcxml_text
from protocol.namespaces import MARC
from schemas import validators
from tests.conftest import requires_schemas
from tests.formats.conftest import LANDING, PUBLICATION, RIGHTS

pytestmark = requires_schemas

EXAMPLES = Path(__file__).resolve().parents[3] / "shared" / "examples" / "marcxml"
NS = {"m": "http://www.loc.gov/MARC21/slim"}
#: Fields Navette adds to a partner's record: its own control number and identifier, and
#: where the partner's record has none, the coded fields derived from its leader.
#: What Navette adds to a library's MARC: its own 035, "(navette)identifier".
ADDED = {"035"}


def sub(tag: str, code: str, ind: str = "") -> str:
    return f"/m:record/m:datafield[@tag='{tag}']{ind}/m:subfield[@code='{code}']/text()"


@pytest.mark.parametrize(
    ("xpath", "expected"),
    [
        ("/m:record/m:leader/text()", ["00000ngm a2200000 c 4500"]),
        ("/m:record/m:controlfield[@tag='001']/text()", ["cnrs-6764"]),
        (sub("245", "a"), ["Mars Express Mission"]),
        (sub("700", "a", "[m:subfield[@code='4']='drt']"), ["MIFSUD, Nicolas"]),
        (sub("700", "e", "[m:subfield[@code='4']='drt']"), ["director"]),
        (sub("710", "a", "[m:subfield[@code='4']='pro']"), ["CNRS Images"]),
        (sub("490", "a"), ["Facing the Universe, a Dive into Space Research"]),
        (sub("830", "a"), ["Facing the Universe, a Dive into Space Research"]),
        (sub("306", "a"), ["000952"]),
        (sub("300", "a"), ["1 video file (9 min., 52 sec.)"]),
        (sub("300", "b"), ["sound, color"]),
        (sub("264", "c"), ["2019"]),
        (sub("650", "a"), ["Space Sciences"]),
        (sub("540", "u"), [RIGHTS]),
        (sub("856", "u", "[@ind2='0']"), [LANDING]),
        (sub("037", "a"), ["6764"]),
        (sub("336", "b"), ["tdi"]),
        (sub("521", "a"), ["Large audience"]),
        (sub("506", "a"), ["Only available for non-commercial distribution"]),
    ],
)
def test_the_seed_in_marc(seed_in, xpath, expected):
    assert seed_in("marcxml").xpath(xpath, namespaces=NS) == expected


def test_the_008_codes_a_videorecording_of_2019_running_ten_minutes(seed_in):
    value = seed_in("marcxml").findtext("m:controlfield[@tag='008']", namespaces=NS)
    assert len(value) == 40
    assert value[6:11] == "s2019" and value[18:21] == "010" and value[33] == "v"


def test_every_demo_record_and_the_seed_are_valid_marcxml(seed_in, demo_records):
    assert validators.quick_problems(seed_in("marcxml"), "marcxml") == []
    for record in demo_records:
        marc = etree.fromstring(render(record, "marcxml", PUBLICATION).encode())
        assert validators.quick_problems(marc, "marcxml") == [], record.identifier


def test_the_seed_read_back_from_its_marc_is_the_seed_less_what_marc_cannot_say(seed_record):
    """MARC has no language per field and orders names by tag: nothing else changes."""
    marc = etree.fromstring(to_marcxml_text(seed_record).encode())
    back = codec.to_dict(marc_in.from_marc(marc, seed_record.identifier))
    original = codec.to_dict(seed_record)
    for name in ("titles", "series", "subjects", "notes", "process", "abstracts"):
        original[name] = [{"value": t["value"]} for t in original[name]]
    assert back.pop("marc_leader") == "00000ngm a2200000 c 4500"
    back.pop("marc_fields")  # the record's own MARC, kept to be written back whole
    assert sorted(back.pop("credits"), key=str) == sorted(original.pop("credits"), key=str)
    assert back == original


LEADER = f"{{{MARC}}}leader"


def fields_of(record: etree._Element) -> Counter:
    return Counter(
        (f.tag, f.ind1, f.ind2, f.subfields, f.value)
        for f in map(from_element, record.iterchildren(etree.Element))
        if f is not None
    )


def library_records() -> list[tuple[str, etree._Element]]:
    if not EXAMPLES.is_dir():
        return []
    return [
        (f"{path.name}#{n}", record)
        for path in sorted(EXAMPLES.glob("*.xml"))
        for n, record in enumerate(marc_in.records_in(etree.parse(str(path)).getroot()), 1)
    ]


@pytest.mark.skipif(not EXAMPLES.is_dir(), reason=f"the MARC film records are absent ({EXAMPLES})")
@pytest.mark.parametrize("name", [name for name, _ in library_records()])
def test_a_library_record_read_and_written_again_keeps_every_field(name):
    source = dict(library_records())[name]
    record = marc_in.from_marc(source, "film")
    written = etree.fromstring(to_marcxml_text(record).encode())
    assert validators.quick_problems(written, "marcxml") == []
    theirs, ours = fields_of(source), fields_of(written)
    assert theirs - ours == Counter()
    assert {tag for tag, *_ in ours - theirs} <= ADDED
    leader, written_leader = source.findtext(LEADER), written.findtext(LEADER)
    assert written_leader[5:10] == leader[5:10] and written_leader[17:20] == leader[17:20]


@pytest.mark.skipif(not EXAMPLES.is_dir(), reason=f"the MARC film records are absent ({EXAMPLES})")
def test_a_library_film_is_understood_for_the_other_formats():
    source = etree.parse(str(EXAMPLES / "gwu-zhu-fu-videorecording.xml")).getroot()
    record = marc_in.from_marc(marc_in.records_in(source)[0], "zhu-fu")
    assert record.titles[0].value == "Zhu fu"
    assert record.production_year == 2005 and record.duration_seconds == 94 * 60
    assert record.sound is True and record.colour is True
    assert record.resource_type == "MovingImage"
    assert "chi" in record.languages
    assert any(t.value.startswith("Zhongguo jing dian dian ying") for t in record.series)
    assert record.subjects and record.credits


def test_of_the_formats_a_partner_offers_marc_is_read_after_ebucore_then_mods_then_dc():
    from harvester.partner import richness
    from protocol.namespaces import EBUCORE, MARC, MODS, OAI_DC

    assert richness(EBUCORE) < richness(MARC) < richness(MODS) < richness(OAI_DC)
    assert richness("http://www.europeana.eu/schemas/edm/") is None


def test_an_organisation_credit_without_a_name_is_noted_by_its_role_alone(seed_record):
    record = dataclasses.replace(seed_record, credits=[Credit("Producer", organisation="")])
    root = etree.fromstring(to_marcxml_text(record).encode())
    notes = root.xpath("//m:datafield[@tag='508']/m:subfield/text()", namespaces={"m": MARC})
    assert notes == ["Producer"]


def test_a_laboratorys_name_goes_to_marc_and_comes_back(seed_record):
    named = dataclasses.replace(
        seed_record,
        laboratories=["UMR8109", "UMR7619"],
        laboratory_names={"UMR8109": "LESIA"},
    )
    root = etree.fromstring(to_marcxml_text(named).encode())
    notes = root.xpath("//m:datafield[@tag='500']/m:subfield/text()", namespaces={"m": MARC})
    assert "Laboratory: LESIA (UMR8109) ; UMR7619" in notes
    read = marc_in.from_marc(root, "back")
    assert (read.laboratories, read.laboratory_names) == (
        ["UMR8109", "UMR7619"],
        {"UMR8109": "LESIA"},
    )
