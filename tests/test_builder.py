"""The text writer writes, byte for byte, what lxml serialises for the same tree.

Stored renderings are compared by content hash: if the writer wrote the same
document differently, every record would look changed to downstream harvesters.
The oracle is the tree built element by element with lxml and serialised by it.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given, settings
from lxml import etree

from catalogue.model import Provenance, Record, Text
from mappings import dc_out, ebucore_out
from mappings.builder import Maker, Node, build, to_text
from mappings.ebucore_in import from_ebucore
from mappings.namespaces import DC, EBUCORE, PROVENANCE, XML_LANG, XSI
from mappings.provenance import NSMAP as PROVENANCE_NSMAP
from mappings.provenance import _document as provenance_document
from mappings.publish import RenderingInvalid, prepare
from navette.generate import generate
from tests.conftest import EBU_EXAMPLES
from tests.test_roundtrip_property import records as any_record

NSMAP = {"ebucore": EBUCORE, "dc": DC, "xsi": XSI}
E, DCE = Maker(EBUCORE), Maker(DC)


def lxml_tree(node: Node, nsmap: dict) -> str:
    """The oracle: the tree built with lxml's own SubElement and serialised by lxml."""

    def fill(element: etree._Element, node: Node) -> None:
        last = None
        for child in node.children:
            if isinstance(child, Node):
                last = etree.SubElement(element, child.tag, child.attributes)
                fill(last, child)
            elif isinstance(child, str):
                if last is None:
                    element.text = (element.text or "") + child
                else:
                    last.tail = (last.tail or "") + child
            else:
                element.append(child)
                last = child

    root = etree.Element(node.tag, node.attributes, nsmap=nsmap)
    fill(root, node)
    return etree.tostring(root, encoding="unicode")


def same_text(make_node, nsmap: dict) -> None:
    """``make_node`` is called twice: foreign elements move into the tree they join."""
    assert to_text(make_node(), nsmap) == lxml_tree(make_node(), nsmap)


@pytest.mark.parametrize("record", list(generate(40, seed=5)), ids=lambda r: r.identifier)
def test_generated_records_are_written_as_lxml_writes_them(record):
    same_text(lambda: ebucore_out._document(record), ebucore_out.NSMAP)
    same_text(lambda: dc_out._document(record), dc_out.NSMAP)


@settings(max_examples=80, deadline=None)
@given(any_record)
def test_any_record_is_written_as_lxml_writes_it(record):
    same_text(lambda: ebucore_out._document(record), ebucore_out.NSMAP)
    same_text(lambda: dc_out._document(record), dc_out.NSMAP)


@pytest.mark.parametrize("path", sorted(EBU_EXAMPLES.glob("*.xml")), ids=lambda p: p.name)
def test_foreign_elements_of_ebu_documents_are_written_as_lxml_writes_them(path):
    record = from_ebucore(etree.parse(str(path)).getroot(), path.stem)
    kept = record.extra_xml + [xml for part in record.parts for xml in part.extra_xml]
    assert kept, "the example should carry elements Navette keeps verbatim"
    same_text(lambda: ebucore_out._document(record), ebucore_out.NSMAP)


def test_a_foreign_element_takes_the_documents_prefixes_and_keeps_its_own_namespaces():
    def node():
        renamed = etree.fromstring('<e:x xmlns:e="urn:ebu:metadata-schema:ebucore"><e:y/></e:x>')
        other = etree.fromstring('<o:z xmlns:o="urn:other" o:a="1"><o:w>t</o:w></o:z>')
        return E.ebuCoreMain(E.coreMetadata(renamed, "between", other))

    same_text(node, NSMAP)
    assert "<ebucore:x><ebucore:y/></ebucore:x>" in to_text(node(), NSMAP)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "a & b < c > d",
        "quotes \" and ' stay",
        "line\nbreak\ttab\rreturn",
        "]]>",
        "Ωμέγα 火星 🚀",
    ],
)
def test_text_and_attributes_are_escaped_as_libxml2_escapes_them(text):
    same_text(
        lambda: E.title(DCE.title(text, {XML_LANG: "fr"}), text, E.empty(), text, typeLabel=text),
        NSMAP,
    )


def test_an_element_with_empty_text_is_not_self_closed():
    assert to_text(E.title(DCE.title("")), NSMAP).endswith("<dc:title></dc:title></ebucore:title>")


def test_a_document_in_a_default_namespace_is_written_as_lxml_writes_it():
    origin = (
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
        earlier_xml=origin,
    )
    same_text(lambda: provenance_document(provenance), PROVENANCE_NSMAP)
    assert etree.QName(build(provenance_document(provenance), PROVENANCE_NSMAP)).namespace == (
        PROVENANCE
    )


def test_a_record_with_a_character_xml_cannot_carry_is_refused_with_the_reason():
    record = Record(identifier="film-1", titles=[Text("Mars\x01Express", "en")])
    with pytest.raises(RenderingInvalid, match="not well-formed"):
        prepare(record, check=False)
