"""Record <-> EBUCore 1.10: every field of the seed data sheet, by XPath, and the way back."""

from __future__ import annotations

import pytest
from lxml import etree

from catalogue.model import Record, Text
from mappings.dc_out import to_oai_dc_text
from mappings.ebucore_in import MappingError, from_ebucore
from mappings.ebucore_out import to_ebucore
from protocol.namespaces import DC, EBUCORE, EBUCORE_LEGACY
from schemas import validators
from tests.conftest import EBU_EXAMPLES, requires_schemas

NS = {"ebucore": EBUCORE, "dc": DC}
CORE = "/ebucore:ebuCoreMain/ebucore:coreMetadata"

# (seed field, XPath into the EBUCore output, what it must find)
SEED_FIELDS = [
    ("title (en)", f"{CORE}/ebucore:title/dc:title[@xml:lang='en']/text()", "Mars Express Mission"),
    (
        "series",
        f"{CORE}/ebucore:alternativeTitle[@typeLabel='Series']/dc:title[@xml:lang='en']/text()",
        "Facing the Universe, a Dive into Space Research",
    ),
    (
        "abstract",
        f"starts-with({CORE}/ebucore:description[@typeLabel='Abstract']/dc:description, "
        "'After the Russian')",
        True,
    ),
    (
        "duration 00:09:52",
        f"{CORE}/ebucore:format/ebucore:duration/ebucore:normalPlayTime/text()",
        "PT9M52S",
    ),
    ("year", f"{CORE}/ebucore:date/ebucore:created/@year", "2019"),
    ("HD", f"{CORE}/ebucore:format/ebucore:videoFormat/@videoFormatDefinition", "HD"),
    (
        "16/9",
        f"concat({CORE}/ebucore:format/ebucore:videoFormat/ebucore:aspectRatio/ebucore:factorNumerator,"
        f"':',{CORE}/ebucore:format/ebucore:videoFormat/ebucore:aspectRatio/ebucore:factorDenominator)",
        "16:9",
    ),
    (
        "colour",
        f"{CORE}/ebucore:format/ebucore:videoFormat/ebucore:technicalAttributeBoolean"
        "[@typeLabel='Colour']/text()",
        "true",
    ),
    ("sound", f"{CORE}/ebucore:format/ebucore:audioFormat/@audioPresenceFlag", "true"),
    (
        "producer",
        f"{CORE}/ebucore:creator[ebucore:role/@typeLabel='Producer']"
        "/ebucore:organisationDetails/ebucore:organisationName/text()",
        "CNRS Images",
    ),
    (
        "director",
        f"{CORE}/ebucore:creator[ebucore:role/@typeLabel='Director']"
        "/ebucore:contactDetails/ebucore:familyName/text()",
        "MIFSUD",
    ),
    (
        "personality with ordered affiliations",
        f"string-join-free:{CORE}/ebucore:contributor/ebucore:contactDetails"
        "[ebucore:familyName='BIBRING']/ebucore:affiliation/ebucore:organisation"
        "/ebucore:organisationName/text()",
        ["IAS", "UMR CNRS", "Univ. Paris-Sud", "CNES"],
    ),
    (
        "personality given name",
        f"{CORE}/ebucore:contributor/ebucore:contactDetails[ebucore:familyName='LEBLANC']"
        "/ebucore:givenName/text()",
        "François",
    ),
    (
        "audiovisual process",
        f"starts-with({CORE}/ebucore:description[@typeLabel='Audiovisual process']"
        "/dc:description[@xml:lang='fr'], 'Prises de vues réelles')",
        True,
    ),
    (
        "notes",
        f"contains({CORE}/ebucore:description[@typeLabel='Notes']/dc:description, "
        "'CNES : Centre National')",
        True,
    ),
    (
        "distribution restriction (an exploitation issue, EBU Tech 3293)",
        f"{CORE}/ebucore:rights/ebucore:exploitationIssues/text()",
        "Only available for non-commercial distribution",
    ),
    ("subject", f"{CORE}/ebucore:subject/dc:subject[@xml:lang='en']/text()", "Space Sciences"),
    ("public", f"{CORE}/ebucore:type/ebucore:targetAudience/@typeLabel", "Large audience"),
    (
        "item number",
        f"{CORE}/ebucore:identifier[@typeLabel='Item No.']/dc:identifier/text()",
        "6764",
    ),
    (
        "original support",
        f"{CORE}/ebucore:format[@typeLabel='Original support']/ebucore:medium/@typeLabel",
        "HD",
    ),
    (
        "delivery support",
        f"{CORE}/ebucore:format[@typeLabel='Delivery support']/ebucore:medium/@typeLabel",
        "Digitalised File",
    ),
    (
        "laboratories",
        f"string-join-free:{CORE}/ebucore:contributor[ebucore:role/@typeLabel='Laboratory']"
        "/ebucore:organisationDetails/ebucore:organisationCode/dc:identifier/text()",
        ["UMR8617", "UMR8109", "UMR8190"],
    ),
    (
        "source archive",
        "/ebucore:ebuCoreMain/ebucore:metadataProvider//ebucore:organisationName/text()",
        "CNRS Images",
    ),
    ("version 1.10", "/ebucore:ebuCoreMain/@version", "1.10"),
]


#: Fields the data sheet does not show, on the seed with them (``catalogue_record``).
OTHER_FIELDS = [
    (
        "title (fr)",
        f"{CORE}/ebucore:title/dc:title[@xml:lang='fr']/text()",
        "La mission Mars Express",
    ),
    (
        "landing page",
        f"{CORE}/ebucore:identifier[@typeLabel='Landing page']/dc:identifier/text()",
        "https://videotheque.cnrs.fr/doc=6764",
    ),
    ("language", f"{CORE}/ebucore:language/dc:language/text()", "fr"),
    (
        "storyboard keyframe",
        f"{CORE}/ebucore:part[@typeLabel='Keyframe'][2]/ebucore:partStartTime/ebucore:normalPlayTime/text()",
        "00:02:40",
    ),
]


def _find(document: etree._Element, xpath: str):
    if xpath.startswith("string-join-free:"):
        return [str(v) for v in document.xpath(xpath.split(":", 1)[1], namespaces=NS)]
    found = document.xpath(xpath, namespaces=NS)
    if isinstance(found, list):
        return str(found[0]) if found else None
    return found


@pytest.mark.parametrize(
    ("field", "xpath", "expected"), SEED_FIELDS, ids=[f[0] for f in SEED_FIELDS]
)
def test_every_seed_field_appears_in_ebucore(seed_record, field, xpath, expected):
    document = etree.fromstring(etree.tostring(to_ebucore(seed_record)))
    assert _find(document, xpath) == expected


@pytest.mark.parametrize(
    ("field", "xpath", "expected"), OTHER_FIELDS, ids=[f[0] for f in OTHER_FIELDS]
)
def test_every_other_field_appears_in_ebucore(catalogue_record, field, xpath, expected):
    document = etree.fromstring(etree.tostring(to_ebucore(catalogue_record)))
    assert _find(document, xpath) == expected


@requires_schemas
def test_seed_ebucore_is_valid_against_the_official_schema(seed_record):
    assert validators.quick_problems(to_ebucore(seed_record), "ebucore") == []


def test_seed_record_reads_back_unchanged(seed_record):
    document = etree.fromstring(etree.tostring(to_ebucore(seed_record)))
    assert from_ebucore(document) == seed_record


@pytest.mark.parametrize("namespace", EBUCORE_LEGACY)
def test_legacy_ebucore_namespaces_are_read_as_the_current_one(seed_record, namespace):
    xml = etree.tostring(to_ebucore(seed_record)).decode().replace(EBUCORE, namespace)
    assert from_ebucore(etree.fromstring(xml)) == seed_record


def test_a_document_that_is_not_ebucore_is_refused():
    with pytest.raises(MappingError, match="not an EBUCore document"):
        from_ebucore(etree.fromstring("<dc xmlns='urn:x'/>"))


def test_a_document_without_identifier_takes_the_one_given():
    xml = (
        f'<ebucore:ebuCoreMain xmlns:ebucore="{EBUCORE}" xmlns:dc="{DC}"><ebucore:coreMetadata>'
        "<ebucore:title><dc:title>Untitled rushes</dc:title></ebucore:title>"
        "</ebucore:coreMetadata></ebucore:ebuCoreMain>"
    )
    record = from_ebucore(etree.fromstring(xml), identifier="rushes-1")
    assert record.identifier == "rushes-1"
    assert record.titles == [Text("Untitled rushes")]


# --- EBU's own example documents ----------------------------------------------------

EXAMPLES = sorted(EBU_EXAMPLES.glob("*.xml")) if EBU_EXAMPLES.is_dir() else []
needs_examples = pytest.mark.skipif(
    not EXAMPLES, reason=f"EBU example documents absent: {EBU_EXAMPLES} not found"
)


def _leaves(element: etree._Element) -> list[tuple[str, str]]:
    """Every (element path, text) and (element path @attribute, value) of a document."""
    found = []
    for node in element.iter():
        if not isinstance(node.tag, str):
            continue
        path = "/".join(etree.QName(a).localname for a in reversed(list(node.iterancestors())))
        path = f"{path}/{etree.QName(node).localname}"
        if node.text and node.text.strip():
            found.append((path, node.text.strip()))
        for name, value in node.attrib.items():
            if etree.QName(name).localname not in ("schemaLocation", "version", "schema"):
                found.append((f"{path}@{etree.QName(name).localname}", value))
    return found


@needs_examples
@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_ebu_examples_import_with_every_descriptive_element_kept(path):
    source = etree.parse(str(path)).getroot()
    record = from_ebucore(source, identifier=path.stem)
    again = to_ebucore(record)
    core_leaves = [leaf for leaf in _leaves(source) if "/coreMetadata" in leaf[0]]
    written = _leaves(again)
    missing = [leaf for leaf in core_leaves if leaf not in written]
    assert missing == []


@needs_examples
def test_ebu_grand_final_descriptions_become_typed_descriptions():
    source = etree.parse(str(EBU_EXAMPLES / "esc2015-grand-final.xml")).getroot()
    record = from_ebucore(source, identifier="esc2015")
    assert record.titles == [Text("Eurovision Song Contest 2015 Grand Final")]
    assert Text("ESC", type="SubType") in record.alternative_titles
    assert Text("39", type="Points") in record.descriptions
    assert Text("2015-05-23T21:00:00") in record.dates
    assert record.duration_seconds is None
    assert record.parts[0].part_id == "33153"
    assert record.parts[0].start == "00:21:27:00"
    assert Text("Here For You", type="Song") in record.parts[0].descriptions


@needs_examples
@requires_schemas
@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_ebu_examples_re_exported_stay_valid(path):
    record = from_ebucore(etree.parse(str(path)).getroot(), identifier=path.stem)
    assert validators.quick_problems(to_ebucore(record), "ebucore") == []


def test_extra_elements_are_kept_verbatim():
    xml = (
        f'<ebucore:ebuCoreMain xmlns:ebucore="{EBUCORE}" xmlns:dc="{DC}"><ebucore:coreMetadata>'
        "<ebucore:title><dc:title>T</dc:title></ebucore:title>"
        '<ebucore:event eventId="e1"/>'
        "</ebucore:coreMetadata></ebucore:ebuCoreMain>"
    )
    record = from_ebucore(etree.fromstring(xml), identifier="x")
    assert len(record.extra_xml) == 1
    assert from_ebucore(etree.fromstring(etree.tostring(to_ebucore(record)))) == record


@pytest.mark.parametrize(
    "technical",
    [
        '<ebucore:videoFormat><ebucore:aspectRatio typeLabel="display" note="anamorphic">'
        "<ebucore:factorNumerator>16</ebucore:factorNumerator>"
        "<ebucore:factorDenominator>9</ebucore:factorDenominator>"
        "</ebucore:aspectRatio></ebucore:videoFormat>",
        '<ebucore:duration formatLabel="cut"><ebucore:normalPlayTime>PT1M</ebucore:normalPlayTime>'
        "</ebucore:duration>",
        '<ebucore:medium typeLabel="HD" typeDefinition="Original support">'
        "<ebucore:medium/></ebucore:medium>",
    ],
    ids=["aspect ratio with a note", "duration with a label", "medium with content"],
)
def test_technical_details_navette_cannot_hold_entirely_are_kept_verbatim(technical):
    xml = (
        f'<ebucore:ebuCoreMain xmlns:ebucore="{EBUCORE}" xmlns:dc="{DC}"><ebucore:coreMetadata>'
        f"<ebucore:format>{technical}</ebucore:format>"
        "</ebucore:coreMetadata></ebucore:ebuCoreMain>"
    )
    record = from_ebucore(etree.fromstring(xml), identifier="x")
    assert len(record.extra_xml) == 1
    assert (record.aspect_ratio, record.duration_seconds, record.original_support) == (
        None,
        None,
        None,
    )
    assert from_ebucore(etree.fromstring(etree.tostring(to_ebucore(record)))) == record


def test_a_keyframe_navette_cannot_hold_entirely_is_kept_verbatim():
    xml = (
        f'<ebucore:ebuCoreMain xmlns:ebucore="{EBUCORE}" xmlns:dc="{DC}"><ebucore:coreMetadata>'
        '<ebucore:part typeLabel="Keyframe"><ebucore:relation typeLabel="Image">'
        '<ebucore:relationLink runningOrderNumber="1">https://example.org/k1.jpg'
        "</ebucore:relationLink></ebucore:relation>"
        "<ebucore:partStartTime><ebucore:normalPlayTime>PT1S</ebucore:normalPlayTime>"
        "</ebucore:partStartTime></ebucore:part>"
        "</ebucore:coreMetadata></ebucore:ebuCoreMain>"
    )
    record = from_ebucore(etree.fromstring(xml), identifier="x")
    assert record.keyframes == [] and len(record.extra_xml) == 1
    assert from_ebucore(etree.fromstring(etree.tostring(to_ebucore(record)))) == record


def test_record_without_optional_fields_maps_to_a_minimal_document():
    record = Record(identifier="bare", titles=[Text("Bare")])
    document = to_ebucore(record)
    assert from_ebucore(document) == record


def test_roles_carry_the_ebu_role_code_link_beside_their_label(seed_record):
    """EBU Tech 3293 roles: the RoleCodeCS term where the scheme names the role exactly."""
    from mappings.ebucore_out import to_ebucore

    roles = {
        role.get("typeLabel"): role.get("typeLink")
        for role in to_ebucore(seed_record).iter("{urn:ebu:metadata-schema:ebucore}role")
    }
    scheme = "http://www.ebu.ch/metadata/cs/ebu_RoleCodeCS.xml"
    assert roles["Director"] == f"{scheme}#20.16" and roles["Producer"] == f"{scheme}#20.1"
    assert roles["Personality"] is None  # the scheme has no term for it: none is invented


def test_a_partners_role_given_only_by_its_ebu_link_is_understood():
    from lxml import etree

    from mappings.ebucore_in import from_ebucore
    from mappings.ebucore_readings import understood

    document = etree.fromstring(
        b'<ebucore:ebuCoreMain xmlns:ebucore="urn:ebu:metadata-schema:ebucore" '
        b'xmlns:dc="http://purl.org/dc/elements/1.1/"><ebucore:coreMetadata>'
        b"<ebucore:title><dc:title>Film</dc:title></ebucore:title>"
        b"<ebucore:creator><ebucore:contactDetails><ebucore:familyName>Varda</ebucore:familyName>"
        b"</ebucore:contactDetails><ebucore:role typeLink="
        b'"http://www.ebu.ch/metadata/cs/ebu_RoleCodeCS.xml#20.16"/></ebucore:creator>'
        b"</ebucore:coreMetadata></ebucore:ebuCoreMain>"
    )
    credits = understood(from_ebucore(document, "x")).credits
    assert [(c.role, c.person.family_name) for c in credits] == [("Director", "Varda")]


def _core(children: str) -> etree._Element:
    return etree.fromstring(
        f'<ebucore:ebuCoreMain xmlns:ebucore="{EBUCORE}" xmlns:dc="{DC}"><ebucore:coreMetadata>'
        f"{children}</ebucore:coreMetadata></ebucore:ebuCoreMain>"
    )


def test_each_support_is_an_instantiation_of_its_own(seed_record):
    document = to_ebucore(seed_record)
    supports = document.findall(f"{{{EBUCORE}}}coreMetadata/{{{EBUCORE}}}format[@typeLabel]")
    assert [(f.get("typeLabel"), f[0].get("typeLabel")) for f in supports] == [
        ("Original support", "HD"),
        ("Delivery support", "Digitalised File"),
    ]


def test_supports_written_the_earlier_way_are_still_read():
    record = from_ebucore(
        _core(
            '<ebucore:format><ebucore:medium typeLabel="HD" typeDefinition="Original support"/>'
            "</ebucore:format>"
        ),
        identifier="x",
    )
    assert (record.original_support, record.extra_xml) == ("HD", [])


def test_a_support_instantiation_with_more_than_its_carrier_is_kept_verbatim():
    record = from_ebucore(
        _core(
            '<ebucore:format typeLabel="Original support" formatName="Betacam">'
            '<ebucore:medium typeLabel="Tape"/></ebucore:format>'
        ),
        identifier="x",
    )
    assert record.original_support is None and len(record.extra_xml) == 1


def test_a_laboratory_keeps_its_name_beside_its_code():
    contributor = (
        "<ebucore:contributor><ebucore:organisationDetails>"
        "<ebucore:organisationName>LESIA</ebucore:organisationName>"
        "<ebucore:organisationCode><dc:identifier>UMR8109</dc:identifier></ebucore:organisationCode>"
        '</ebucore:organisationDetails><ebucore:role typeLabel="Laboratory"/></ebucore:contributor>'
    )
    record = from_ebucore(_core(contributor), identifier="x")
    assert (record.laboratories, record.laboratory_names, record.extra_xml) == (
        ["UMR8109"],
        {"UMR8109": "LESIA"},
        [],
    )
    assert from_ebucore(etree.fromstring(etree.tostring(to_ebucore(record)))) == record
    assert "<dc:contributor>LESIA (UMR8109)</dc:contributor>" in to_oai_dc_text(record)
