"""The second set of partner documents (``../shared/examples/partners``), as others wrote
them: EBUCore in legacy namespaces and audio-only, library MARC of films, videos and a
sound disc, oai_dc of articles, theses, a map and sound recordings (issue 30).

Each is judged valid or invalid as SOURCES.md says its XSD judges it; each valid one in a
format Navette reads goes in with the type its source states, and no rendering and no
page says a type the source did not.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from lxml import etree

from catalogue.model import Text
from checks.files import check
from ingest.readers import Read, read_xml
from mappings.dc_in import from_oai_dc
from mappings.formats import render_all
from mappings.marc_fields import from_element
from mappings.publication import DEFAULT
from pages.jsonld import schema_type
from protocol.namespaces import DC, MARC, MODS, OAI_DC, XML_LANG
from tests.conftest import SHARED, requires_schemas

PARTNERS = SHARED / "examples" / "partners"
_ROW = re.compile(r"^\| `(?P<name>[^`]+)` \| (?P<verdict>valid|invalid) \|", re.MULTILINE)

pytestmark = [
    requires_schemas,
    pytest.mark.skipif(
        not (PARTNERS / "SOURCES.md").exists(),
        reason=f"the partner documents are absent ({PARTNERS}): nothing to read",
    ),
]


def verdicts() -> dict[str, str]:
    """Each document's XSD verdict as SOURCES.md records it."""
    sources = PARTNERS / "SOURCES.md"
    if not sources.exists():
        return {}
    return {m["name"]: m["verdict"] for m in _ROW.finditer(sources.read_text(encoding="utf-8"))}


#: The DCMI type each valid document in a format Navette reads states, or None where its
#: source states none (dc:type 'misc', 'Case Map', 'Report or Paper'...).
STATED = {
    "oai_dc/biblio-ghent.xml": None,
    "oai_dc/dpla-rumsey-map.xml": None,
    "oai_dc/dspace-smithsonian.xml": "Text",
    "oai_dc/dspace-uhawaii-sound-4682.xml": "Sound",
    "oai_dc/dspace-uhawaii-sound-wav-39020.xml": "Sound",
    "oai_dc/dspace-umontreal-fr.xml": None,
    "oai_dc/eprints-caltech-audio-55693.xml": None,
    "oai_dc/eprints-cogprints.xml": None,
    "oai_dc/eprints-lshtm.xml": "Text",
    "oai_dc/erudit-fr.xml": "Text",
    "oai_dc/hydra-columbia.xml": "Text",
    "marcxml/avalon-7041954-grand-budapest.xml": "MovingImage",
    "marcxml/gw-alien-quadrilogy.xml": "MovingImage",
    "marcxml/gw-chinese-bubble.xml": "MovingImage",
    "marcxml/gw-doctor-who-s2.xml": "MovingImage",
    "marcxml/gw-doppelte-lottchen.xml": "MovingImage",
    "marcxml/gw-medieval-mind.xml": "MovingImage",
    "marcxml/gw-vincent-chin.xml": "MovingImage",
    "marcxml/gw-wearing-hijab.xml": "MovingImage",
    "marcxml/gw-wholphin.xml": "MovingImage",
    "marcxml/gwu-eight-symphonies.xml": "Sound",
    "ebucore/libadm-audio_object_complementary_audio_objects.xml": "Sound",
    "ebucore/libadm-find_audio_format_extended_ebu_with_other_metadata.xml": "Sound",
    "ebucore/libadm-with_common_definitions.xml": "Sound",
    "ebucore/libadm-write_default_cartesian_speaker.accepted.xml": "Sound",
    "ebucore/libadm-write_specified_binaural_block.accepted.xml": "Sound",
    "mods/avalon-7041954-grand-budapest.mods.xml": "MovingImage",
    "mods/avalon-7763100-labelled.mods.xml": None,
    "mods/dpla-oklahoma.xml": "Text",
    "mods/stanford-ys174nw6600-kant-audio.xml": "Sound",
    "edm/metis-Item_schematron_invalid.xml": "Sound",
    "edm/metis-edm_external_invalid_schema_digitalSourceType.xml": None,
}
#: How each format says "a film or a video": none may appear unless the source said so.
FILM_WORDS = re.compile(r"MovingImage|moving image|>VIDEO<|00000.g|VideoObject")


def read(name: str):
    (item,) = read_xml((PARTNERS / name).read_bytes(), name.split("/")[-1])
    assert isinstance(item, Read), item
    return item.record


@pytest.mark.parametrize("name", sorted(verdicts()))
def test_each_partner_document_is_judged_as_its_xsd_says(name):
    outcome = check(name, (PARTNERS / name).read_bytes())
    by_xsd = [f for f in outcome.findings if "Schematron" not in f.kind]  # EDM's own rules
    assert (not by_xsd) == (verdicts()[name] == "valid"), by_xsd[:1]


def test_every_valid_document_in_a_format_navette_reads_is_listed_here():
    readable = {n for n, v in verdicts().items() if v == "valid"}
    readable = {
        n for n in readable if n.split("/")[0] in ("oai_dc", "marcxml", "ebucore", "mods", "edm")
    }
    assert readable == set(STATED)


@pytest.mark.parametrize("name", sorted(STATED))
def test_a_partner_record_has_the_type_its_source_states(name):
    assert read(name).resource_type == STATED[name]


@pytest.mark.parametrize("name", sorted(n for n, kind in STATED.items() if kind != "MovingImage"))
def test_no_rendering_nor_page_calls_a_record_not_said_to_be_a_film_one(name):
    record = read(name)
    for prefix, text in render_all(DEFAULT.apply(record)).items():
        said = FILM_WORDS.search(text)
        assert said is None, f"{prefix}: {said.group(0) if said else ''}"
    assert schema_type(record) != "VideoObject"


@pytest.mark.parametrize("name", sorted(n for n in STATED if n.startswith("oai_dc/")))
def test_oai_dc_in_is_oai_dc_out_element_for_element(name):
    def elements(root: etree._Element) -> Counter:
        return Counter(
            (etree.QName(c).localname, (c.text or "").strip(), c.get(XML_LANG))
            for c in root.iterchildren(etree.Element)
        )

    source = etree.parse(str(PARTNERS / name)).getroot()
    served = etree.fromstring(render_all(read(name))["oai_dc"].encode())
    assert elements(served) == elements(source)


@pytest.mark.parametrize("name", sorted(n for n in STATED if n.startswith("marcxml/")))
def test_a_librarys_marc_is_written_back_whole_with_its_leader(name):
    source = etree.parse(str(PARTNERS / name)).getroot()
    source = source if source.tag == f"{{{MARC}}}record" else source[0]
    written = etree.fromstring(render_all(read(name))["marcxml"].encode())

    def fields(root: etree._Element) -> Counter:
        return Counter(f for f in map(from_element, root.iterchildren(etree.Element)) if f)

    added = fields(written) - fields(source)
    assert fields(source) - fields(written) == Counter()
    assert [(f.tag, f.first("a")) for f in added] == [("035", "(navette)" + read(name).identifier)]
    theirs, ours = source.findtext(f"{{{MARC}}}leader"), written.findtext(f"{{{MARC}}}leader")
    assert (ours[5:10], ours[17:20]) == (theirs[5:10], theirs[17:20])


# --- what a library's MARC says, understood for the other formats -----------------------


def _dc(name: str, element: str) -> list[str]:
    served = etree.fromstring(render_all(read(name))["oai_dc"].encode())
    return [e.text for e in served.iterfind(f"{{*}}{element}")]


def test_the_vendor_in_037_is_neither_the_publisher_nor_the_archive():
    name = "marcxml/avalon-7041954-grand-budapest.xml"
    record = read(name)
    assert record.source_archive is None
    assert "Midwest Tape" not in _dc(name, "publisher")


@pytest.mark.parametrize(
    ("name", "publishers"),
    [
        ("marcxml/avalon-7041954-grand-budapest.xml", ["Twentieth Century Fox Home Entertainment"]),
        ("marcxml/gw-alien-quadrilogy.xml", ["20th Century Fox"]),
        ("marcxml/gw-chinese-bubble.xml", ["backlight.vpro.nl", "Films Media Group"]),
        ("marcxml/gwu-eight-symphonies.xml", ["CRD"]),
    ],
)
def test_the_publisher_in_260_or_264_is_dc_publisher(name, publishers):
    assert _dc(name, "publisher") == publishers


def test_a_bracketed_function_after_a_260_name_is_its_role():
    record = read("marcxml/gw-chinese-bubble.xml")
    assert ("Distributor", "Films Media Group") in [
        (c.role, c.organisation) for c in record.credits
    ]


def test_a_person_in_several_roles_keeps_each_of_them():
    record = read("marcxml/avalon-7041954-grand-budapest.xml")
    roles = [c.role for c in record.credits if c.person and c.person.family_name == "Anderson"]
    assert roles == ["Director", "Screenwriter", "Producer"]
    mods = etree.fromstring(render_all(record)["mods"].encode())
    (anderson,) = [n for n in mods.iterfind("{*}name") if n.findtext("{*}namePart") == "Anderson"]
    codes = [t.text for t in anderson.iterfind("{*}role/{*}roleTerm[@type='code']")]
    assert codes == ["drt", "aus", "pro"]
    assert _dc("marcxml/avalon-7041954-grand-budapest.xml", "creator").count("Anderson, Wes") == 1


def test_a_person_in_several_roles_is_one_ebucore_entity_with_each_role():
    record = read("marcxml/avalon-7041954-grand-budapest.xml")
    ebucore = etree.fromstring(render_all(record)["ebucore"].encode())
    entities = [
        e
        for e in ebucore.iterfind("{*}coreMetadata/{*}creator")
        if e.findtext("{*}contactDetails/{*}familyName") == "Anderson"
    ]
    assert len(entities) == 1
    roles = [r.get("typeLabel") for r in entities[0].iterfind("{*}role")]
    assert roles == ["Director", "Screenwriter", "Producer"]


def test_an_entity_with_several_roles_is_read_back_as_the_same_credits():
    from mappings.ebucore_in import from_ebucore

    record = read("marcxml/avalon-7041954-grand-budapest.xml")
    again = from_ebucore(etree.fromstring(render_all(record)["ebucore"].encode()), "again")
    wes = [(c.kind, c.role) for c in again.credits if c.person and c.person.given_name == "Wes"]
    assert [role for _, role in wes] == ["Director", "Screenwriter", "Producer"]


def test_a_term_of_the_whole_relator_list_gets_its_code():
    record = read("marcxml/avalon-7041954-grand-budapest.xml")
    mods = etree.fromstring(render_all(record)["mods"].encode())
    (fox,) = [
        n
        for n in mods.iterfind("{*}name")
        if n.findtext("{*}namePart") == "Twentieth Century Fox Home Entertainment, Inc."
    ]
    codes = {t.text for t in fox.iterfind("{*}role/{*}roleTerm[@type='code']")}
    assert "fds" in codes


def test_an_obsolete_relator_code_is_read_and_never_written():
    from mappings.relators import code_for, label_for

    assert label_for("voc") == "Vocalist" and label_for("vocalist") == "Vocalist"
    assert code_for("Vocalist") is None and code_for("Singer") == "sng"


def test_a_relator_code_of_the_marc_list_is_its_role():
    record = read("marcxml/gwu-eight-symphonies.xml")
    assert ("Conductor", "Thomas") in [
        (c.role, c.person.family_name) for c in record.credits if c.person
    ]


def test_genre_terms_of_655_are_dc_types():
    assert "Documentary films" in _dc("marcxml/gw-vincent-chin.xml", "type")


def test_an_approximate_extent_stays_words_and_is_no_running_time():
    name = "marcxml/gw-alien-quadrilogy.xml"
    assert read(name).duration_seconds is None
    assert "9 videodiscs (ca. 3000 min.)" in _dc(name, "format")


def test_a_dc_publisher_is_an_agent_named_as_written():
    root = etree.fromstring(
        f'<oai_dc:dc xmlns:oai_dc="{OAI_DC}" xmlns:dc="{DC}"><dc:title>T</dc:title>'
        "<dc:publisher>Smith, John</dc:publisher></oai_dc:dc>"
    )
    (credit,) = from_oai_dc(root, "t").credits
    assert (credit.person, credit.organisation, credit.written) == (None, None, "Smith, John")


def test_a_dc_name_without_a_comma_is_neither_a_person_nor_an_organisation():
    root = etree.fromstring(
        f'<oai_dc:dc xmlns:oai_dc="{OAI_DC}" xmlns:dc="{DC}"><dc:title>T</dc:title>'
        "<dc:creator>Jane Smith</dc:creator><dc:type>MovingImage</dc:type></oai_dc:dc>"
    )
    record = from_oai_dc(root, "t")
    rendered = render_all(record)
    mods = etree.fromstring(rendered["mods"].encode())
    (name,) = mods.iterfind("{*}name")
    assert name.get("type") is None and name.findtext("{*}namePart") == "Jane Smith"
    marc = etree.fromstring(rendered["marcxml"].encode())
    tags = {f.get("tag") for f in marc.iterfind("{*}datafield")}
    assert "720" in tags and not tags & {"100", "110", "700", "710"}
    (entity,) = etree.fromstring(rendered["ebucore"].encode()).iterfind(".//{*}creator")
    assert [e.tag.split("}")[1] for e in entity.iter()] == [
        "creator",
        "contactDetails",
        "name",
        "role",
    ]
    assert _dc_of(rendered, "creator") == ["Jane Smith"]


def _dc_of(rendered: dict[str, str], element: str) -> list[str]:
    served = etree.fromstring(rendered["oai_dc"].encode())
    return [e.text for e in served.iterfind(f"{{*}}{element}")]


def _shape(element: etree._Element) -> tuple:
    """An element as data: name, attributes, text and children, whatever its prefixes."""
    return (
        element.tag,
        tuple(sorted(element.attrib.items())),
        (element.text or "").strip(),
        tuple(_shape(child) for child in element.iterchildren(etree.Element)),
    )


@pytest.mark.parametrize("name", sorted(n for n in STATED if n.startswith("mods/")))
def test_a_partners_mods_is_written_back_whole(name):
    source = etree.parse(str(PARTNERS / name)).getroot()
    written = etree.fromstring(render_all(read(name))["mods"].encode())
    theirs = Counter(_shape(e) for e in source.iterchildren(etree.Element))
    ours = Counter(_shape(e) for e in written.iterchildren(etree.Element))
    assert theirs - ours == Counter()
    assert [e[0] for e in (ours - theirs).elements()] == [f"{{{MODS}}}identifier"]


def test_a_mods_record_gives_its_speaker_its_creation_date_and_its_type_to_dc():
    name = "mods/stanford-ys174nw6600-kant-audio.xml"
    record = read(name)
    henrich = next(c for c in record.credits if c.person and c.person.family_name == "Henrich")
    assert henrich.role == "Speaker"
    assert Text("1990-09-25", type="Created") in record.dates and record.production_year is None
    assert "Sound" in _dc(name, "type") and "1990-09-25" in _dc(name, "date")


@pytest.mark.parametrize("name", sorted(n for n in STATED if n.startswith("edm/")))
def test_a_partners_edm_is_written_back_whole(name):
    record = read(name)
    source = etree.parse(str(PARTNERS / name)).getroot()
    assert _shape(etree.fromstring(record.edm_document.encode())) == _shape(source)


EDM_EXAMPLES = SHARED / "examples" / "edm"


@pytest.mark.skipif(
    not EDM_EXAMPLES.is_dir(), reason=f"the EDM examples are absent ({EDM_EXAMPLES})"
)
def test_europeanas_film_record_is_read_as_a_film_with_its_page_rights_and_archive():
    (item,) = read_xml((EDM_EXAMPLES / "metis-lodz-filmschool-video.xml").read_bytes(), "lodz.xml")
    record = item.record
    assert (record.resource_type, record.titles[0].value) == ("MovingImage", "Place To live")
    assert record.landing_page == (
        "http://fbc.pionier.net.pl/id/oai:etiudy.filmschool.lodz.pl:instudio-205"
    )
    assert record.rights_uri == "http://rightsstatements.org/vocab/InC/1.0/"
    assert record.source_archive == "Archiwum Filmowe - Szkoła Filmowa w Łodzi"
    assert ("Publisher", "Lodz Film School") in [(c.role, c.written) for c in record.credits]
    served = etree.fromstring(render_all(record, DEFAULT)["edm"].encode())
    assert _shape(served) == _shape(
        etree.parse(str(EDM_EXAMPLES / "metis-lodz-filmschool-video.xml")).getroot()
    )


@pytest.mark.skipif(
    not EDM_EXAMPLES.is_dir(), reason=f"the EDM examples are absent ({EDM_EXAMPLES})"
)
def test_europeanas_3d_record_states_no_dcmi_type():
    (item,) = read_xml((EDM_EXAMPLES / "metis-skara-brae-3d.xml").read_bytes(), "skara.xml")
    assert item.record.resource_type is None
    assert schema_type(item.record) == "CreativeWork"


def _local_shape(element: etree._Element) -> tuple:
    """As ``_shape``, by local names: a legacy EBUCore namespace is read as 1.10's."""
    return (
        etree.QName(element).localname,
        tuple(sorted(element.attrib.items())),
        (element.text or "").strip(),
        tuple(_local_shape(child) for child in element.iterchildren(etree.Element)),
    )


@pytest.mark.parametrize("name", sorted(n for n in STATED if n.startswith("ebucore/")))
def test_a_partners_ebucore_is_written_back_whole(name):
    source = etree.parse(str(PARTNERS / name)).getroot().find("{*}coreMetadata")
    written = etree.fromstring(render_all(read(name))["ebucore"].encode()).find("{*}coreMetadata")
    theirs = Counter(_local_shape(e) for e in source.iterchildren(etree.Element))
    ours = Counter(_local_shape(e) for e in written.iterchildren(etree.Element))
    assert theirs - ours == Counter()


# --- reasons an admin can find in the document -----------------------------------------


def _findings(name: str):
    return check(name, (PARTNERS / name).read_bytes()).findings


def test_a_refused_child_is_reported_on_its_own_line_with_the_documents_names():
    refused = [f for f in _findings("mods/dpla-ma.xml") if "is not allowed" in f.reason]
    assert (refused[0].line, refused[0].path) == (92, "/mods:mods/name[1]")
    assert refused[0].reason == "name is not allowed in mods:mods"


def test_a_legacy_ebucore_reason_keeps_the_documents_prefixes_and_lines_and_says_so():
    first = _findings("ebucore/vrt-getMetadataResponse.xml")[0]
    assert first.path.startswith("/ebu:ebuCoreMain/ebu:coreMetadata/") and "ns0" not in first.path
    assert first.line == 108
    assert "read as EBUCore 1.10: the document is in urn:ebu:metadata-schema:ebuCore_2012" in (
        first.reason
    )


def test_a_document_without_prefixes_is_reported_without_invented_ones():
    (first, *_) = _findings("marcxml/oclc-earth-is-born.xml")
    assert first.path == "/record/leader"


def _with_856(ind2: str, *subfields: tuple[str, str]):
    """The Grand Budapest record of Avalon with one more 856 (its own have no URL)."""
    from ingest.readers import read_xml

    name = "marcxml/avalon-7041954-grand-budapest.xml"
    root = etree.fromstring((PARTNERS / name).read_bytes())
    field = etree.SubElement(root, "{http://www.loc.gov/MARC21/slim}datafield", tag="856")
    field.set("ind1", "4")
    field.set("ind2", ind2)
    for code, value in subfields:
        etree.SubElement(field, "{http://www.loc.gov/MARC21/slim}subfield", code=code).text = value
    (item,) = read_xml(etree.tostring(root), "grand-budapest.xml")
    return item.record


def test_an_856_stating_a_file_type_is_no_landing_page():
    record = _with_856("0", ("u", "https://avalon.example.edu/media/7041954"), ("q", "video/mp4"))
    assert record.landing_page is None


def test_an_856_of_a_related_resource_is_no_landing_page():
    record = _with_856("2", ("u", "https://catdir.loc.gov/catdir/toc/7041954.html"))
    assert record.landing_page is None


def test_an_856_of_the_resource_as_a_web_page_is_its_landing_page():
    page = "https://avalon.example.edu/media_objects/7041954"
    record = _with_856("0", ("u", page), ("q", "text/html"))
    assert record.landing_page == page
