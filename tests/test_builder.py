"""The text writer writes, byte for byte, what lxml serialises for the same tree.

Stored renderings are compared by content hash: if the same record were written
differently, every record would look changed to downstream harvesters.  The
oracles are lxml's own ElementMaker and serialiser, and the renderings earlier
releases stored.
"""

from __future__ import annotations

import functools
import hashlib
from datetime import datetime

import pytest
from hypothesis import given, settings
from lxml import etree
from lxml.builder import ElementMaker

from catalogue.model import Provenance, Record, Text
from ingest.prepare import RenderingInvalid, prepare
from mappings import dc_out, ebucore_out
from mappings.builder import Maker, build, foreign, to_text
from mappings.ebucore_in import from_ebucore
from mappings.ebucore_out import to_ebucore_text
from mappings.formats import FORMATS, render_all
from mappings.provenance import about_xml
from mappings.publication import DEFAULT
from protocol.namespaces import DC, EBUCORE, OAI_DC, PROVENANCE, XML_LANG, XSI
from tests.conftest import EBU_EXAMPLES
from tests.generated import generate
from tests.test_roundtrip_property import records as any_record

#: The crosswalks written with mappings.builder's Maker.
BUILT_WITH_MAKER = ("oai_dc", "ebucore")

NSMAP = {"ebucore": EBUCORE, "dc": DC, "xsi": XSI}
E, DCE = Maker(EBUCORE, NSMAP), Maker(DC, NSMAP)
LXML_E = ElementMaker(namespace=EBUCORE, nsmap=NSMAP)
LXML_DC = ElementMaker(namespace=DC, nsmap=NSMAP)
T = datetime(2026, 11, 24, 10, 0, 0)

#: sha256 of the oai_dc and EBUCore renderings of ``generate(200, seed=7)``, and of the
#: EBUCore renderings of EBU's examples, as stored since the crosswalks' version 7 (an
#: agent in several roles is one EBUCore entity; a partner's ebuCoreMain attributes are
#: written back).  A change here changes content hashes: it needs a new version.
STORED_DIGEST = "d7a436a823637ba112c5b8ad98193dbe0972444952d89e357de54ae0cbbfedd6"
EBU_EXAMPLES_DIGEST = "4c9cfce5149a03a63ba0b37eca191c7a13ec56d8a9e4379b7f04a3fc777af6b3"


def lxml_text(element: etree._Element) -> str:
    return etree.tostring(element, encoding="unicode")


def test_renderings_are_the_bytes_earlier_releases_stored():
    digest = hashlib.sha256()
    for record in generate(200, seed=7):
        for _, text in sorted(render_all(record).items()):
            if _ in BUILT_WITH_MAKER:
                digest.update(text.encode())
    assert digest.hexdigest() == STORED_DIGEST


@pytest.mark.skipif(not EBU_EXAMPLES.is_dir(), reason=f"EBU's examples are absent: {EBU_EXAMPLES}")
def test_renderings_of_ebus_examples_are_the_bytes_earlier_releases_stored():
    digest = hashlib.sha256()
    for path in sorted(EBU_EXAMPLES.glob("*.xml")):
        record = from_ebucore(etree.parse(str(path)).getroot(), path.stem)
        digest.update(render_all(record)["ebucore"].encode())
    assert digest.hexdigest() == EBU_EXAMPLES_DIGEST


class LxmlMaker:
    """lxml's ElementMaker, taking None children as ours does: the oracle."""

    def __init__(self, namespace: str, nsmap: dict) -> None:
        self.maker = ElementMaker(namespace=namespace, nsmap=nsmap)

    def __call__(self, local: str, *children, **attributes) -> etree._Element:
        return self.maker(local, *[c for c in children if c is not None], **attributes)

    def __getattr__(self, local: str):
        return functools.partial(self, local)


def lxml_rendering(record: Record, prefix: str) -> str:
    """The record rendered by the same crosswalk code, with lxml making the tree."""
    with pytest.MonkeyPatch.context() as patch:
        for module, maker, namespace, nsmap in (
            (ebucore_out, "E", EBUCORE, ebucore_out.NSMAP),
            (dc_out, "DCE", DC, {"dc": DC}),
            (ebucore_out, "DCE", DC, {"dc": DC}),
            (dc_out, "OAI_DC_E", OAI_DC, dc_out.NSMAP),
        ):
            patch.setattr(module, maker, LxmlMaker(namespace, nsmap))
        patch.setattr(ebucore_out, "foreign", lambda xml, nsmap: etree.fromstring(xml))
        for module in (ebucore_out, dc_out):
            patch.setattr(module, "to_text", lambda root, nsmap: lxml_text(root))
        return FORMATS[prefix].write(record, DEFAULT)


@settings(max_examples=80, deadline=None)
@given(any_record)
def test_any_record_is_written_as_lxml_writes_it(record):
    for prefix in BUILT_WITH_MAKER:
        assert FORMATS[prefix].write(record, DEFAULT) == lxml_rendering(record, prefix)


@pytest.mark.parametrize(
    "text",
    ["", "a & b < c > d", "quotes \" and ' stay", "line\nbreak\ttab\rreturn", "]]>", "火星 🚀"],
)
def test_text_and_attributes_are_escaped_as_libxml2_escapes_them(text):
    ours = E.title(DCE.title(text, {XML_LANG: "fr"}), text, E.empty(), text, typeLabel=text)
    theirs = LXML_E.title(
        LXML_DC.title(text, {XML_LANG: "fr"}), text, LXML_E.empty(), text, typeLabel=text
    )
    assert to_text(ours, NSMAP) == lxml_text(theirs)


def test_an_element_with_empty_text_is_not_self_closed():
    assert to_text(E.title(DCE.title("")), NSMAP).endswith("<dc:title></dc:title></ebucore:title>")


def test_a_foreign_element_takes_the_documents_prefixes_and_keeps_its_own_namespaces():
    renamed = '<e:x xmlns:e="urn:ebu:metadata-schema:ebucore" a="1"><e:y/></e:x>'
    other = '<o:z xmlns:o="urn:other" o:a="1"><o:w>t</o:w></o:z>'
    ours = E.coreMetadata(foreign(renamed, NSMAP), "between", foreign(other, NSMAP))
    theirs = LXML_E.coreMetadata(etree.fromstring(renamed), "between", etree.fromstring(other))
    assert to_text(ours, NSMAP) == lxml_text(theirs)
    assert '<ebucore:x a="1"><ebucore:y/></ebucore:x>' in to_text(ours, NSMAP)


@pytest.mark.parametrize("path", sorted(EBU_EXAMPLES.glob("*.xml")), ids=lambda p: p.name)
def test_elements_kept_verbatim_are_written_as_lxml_writes_them(path):
    record = from_ebucore(etree.parse(str(path)).getroot(), path.stem)
    kept = record.extra_xml + [xml for part in record.parts for xml in part.extra_xml]
    assert kept, "the example should carry elements Navette keeps verbatim"
    assert to_ebucore_text(record) == lxml_rendering(record, "ebucore")


def test_a_document_in_a_default_namespace_is_written_as_lxml_writes_it():
    earlier = (
        '<originDescription xmlns="http://www.openarchives.org/OAI/2.0/provenance" '
        'harvestDate="2020-01-01T00:00:00Z" altered="false"><baseURL>http://a</baseURL>'
        "</originDescription>"
    )
    provenance = Provenance(
        "http://partner/oai",
        "oai:p:1",
        "2024-01-01T00:00:00Z",
        EBUCORE,
        datetime(2026, 11, 24, 10, 0, 0),
        earlier_xml=earlier,
    )
    text = about_xml(provenance)
    assert text.startswith(f'<provenance xmlns="{PROVENANCE}" xmlns:xsi="{XSI}"')
    assert lxml_text(etree.fromstring(text)) == text
    assert text.count("<originDescription ") == 2


def test_build_gives_the_element_of_the_text():
    root = E.ebuCoreMain(E.coreMetadata(), version="1.10")
    assert lxml_text(build(root, NSMAP)) == to_text(root, NSMAP)


def test_a_record_with_a_character_xml_cannot_carry_is_refused_with_the_reason():
    record = Record(identifier="film-1", titles=[Text("Mars\x01Express", "en")])
    with pytest.raises(RenderingInvalid, match="not well-formed"):
        prepare(record, check=False)


def test_a_provenance_with_a_character_xml_cannot_carry_is_refused():
    provenance = Provenance("http://partner/oai", "oai:p:\x01", "2024-01-01T00:00:00Z", EBUCORE, T)
    with pytest.raises(ValueError, match="cannot carry"):
        about_xml(provenance)
