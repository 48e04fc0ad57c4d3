"""EDM (the Europeana Data Model, RDF/XML) -> catalogue record, for aggregators and
archives that offer EDM.

The described object is the ``edm:ProvidedCHO`` (or, in records Europeana has already
processed, the provider's ``ore:Proxy``); a table of small readers, one per property,
takes what each says, an ``rdf:resource`` read through the contextual class it names
(``edm:Agent``, ``skos:Concept``, ``edm:Place``, ``edm:TimeSpan``: its ``skos:prefLabel``).
The ``ore:Aggregation`` gives the landing page (``edm:isShownAt``), the rights statement
(``edm:rights``) and the archive (``edm:dataProvider``).  The partner's EDM itself is kept
whole (``Record.edm_document``) and written back as it came.
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from catalogue.model import Record, Text
from mappings.dc_in import credit_of, is_web_page
from mappings.durations import parse_seconds
from mappings.ebucore_in import MappingError
from mappings.ebucore_xml import serialise
from protocol.namespaces import DC, DCTERMS, EDM, ORE, RDF, XML_LANG

SKOS = "http://www.w3.org/2004/02/skos/core#"
_ABOUT, _RESOURCE = "{%s}about" % RDF, "{%s}resource" % RDF
#: edm:type -> DCMI type.  Europeana's 3D is a digital model as often as an object: no
#: DCMI type says which, so none is read.
TYPES = {"VIDEO": "MovingImage", "SOUND": "Sound", "IMAGE": "Image", "TEXT": "Text"}
CONTEXTUAL = ("{%s}Agent" % EDM, "{%s}Concept" % SKOS, "{%s}Place" % EDM, "{%s}TimeSpan" % EDM)

Labels = dict[str, str]
Reader = Callable[[str, etree._Element, Record], None]


def _labels(root: etree._Element) -> Labels:
    """Each contextual resource's preferred label (in English where there are several)."""
    found: Labels = {}
    for tag in CONTEXTUAL:
        for entity in root.iter(tag):
            labels = entity.findall("{%s}prefLabel" % SKOS)
            english = [label for label in labels if label.get(XML_LANG) == "en"]
            chosen = (english or labels)[:1]
            if chosen and entity.get(_ABOUT) and (chosen[0].text or "").strip():
                found[entity.get(_ABOUT)] = chosen[0].text.strip()
    return found


def _value(element: etree._Element, labels: Labels) -> Text | None:
    """A property's literal, or the label of the resource it points to (else its URI)."""
    resource = element.get(_RESOURCE)
    if resource is not None:
        return Text(labels.get(resource, resource))
    text = " ".join((element.text or "").split())
    return Text(text, element.get(XML_LANG)) if text else None


def _texts(field: str, kind: str | None = None) -> Reader:
    def read(value: str, element: etree._Element, record: Record) -> None:
        text = Text(value, element.get(XML_LANG), kind)
        getattr(record, field).append(text)

    return read


def _agent(kind: str) -> Reader:
    def read(value: str, element: etree._Element, record: Record) -> None:
        record.credits.append(credit_of(kind, value))

    return read


def _created(value: str, element: etree._Element, record: Record) -> None:
    if value.isdigit() and len(value) == 4 and record.production_year is None:
        record.production_year = int(value)
    else:
        record.dates.append(Text(value, element.get(XML_LANG), "Created"))


def _extent(value: str, element: etree._Element, record: Record) -> None:
    seconds = parse_seconds(value)
    if seconds is not None and record.duration_seconds is None:
        record.duration_seconds = seconds
    else:
        record.formats.append(Text(value, element.get(XML_LANG)))


def _edm_type(value: str, element: etree._Element, record: Record) -> None:
    record.resource_type = record.resource_type or TYPES.get(value.strip().upper())


def _plain(field: str) -> Reader:
    def read(value: str, element: etree._Element, record: Record) -> None:
        getattr(record, field).append(value)

    return read


def _q(namespace: str, local: str) -> str:
    return "{%s}%s" % (namespace, local)


READERS: dict[str, Reader] = {
    _q(DC, "title"): _texts("titles"),
    _q(DCTERMS, "alternative"): _texts("alternative_titles"),
    _q(DC, "creator"): _agent("creator"),
    _q(DC, "contributor"): _agent("contributor"),
    _q(DC, "publisher"): _agent("publisher"),
    _q(DC, "description"): _texts("abstracts"),
    _q(DC, "subject"): _texts("subjects"),
    _q(DC, "type"): lambda value, element, record: record.object_types.append(value),
    _q(DC, "date"): _texts("dates"),
    _q(DCTERMS, "created"): _created,
    _q(DCTERMS, "issued"): _texts("dates", "Issued"),
    _q(DC, "language"): _plain("languages"),
    _q(DC, "identifier"): _texts("identifiers"),
    _q(DC, "format"): _texts("formats"),
    _q(DCTERMS, "medium"): _texts("formats"),
    _q(DCTERMS, "extent"): _extent,
    _q(DC, "relation"): _texts("relations"),
    _q(DCTERMS, "isPartOf"): _texts("relations", "Is part of"),
    _q(DC, "source"): _plain("sources"),
    _q(DC, "coverage"): _texts("coverage"),
    _q(DCTERMS, "spatial"): _texts("coverage"),
    _q(DCTERMS, "temporal"): _texts("coverage"),
    _q(DC, "rights"): _texts("rights"),
    _q(EDM, "type"): _edm_type,
}


def _described(root: etree._Element) -> list[etree._Element]:
    """Where the object is described: the provider's proxy, else the ProvidedCHO."""
    proxies = [
        proxy
        for proxy in root.iterchildren(_q(ORE, "Proxy"))
        if (proxy.findtext(_q(EDM, "europeanaProxy")) or "").strip() != "true"
    ]
    return proxies or root.findall(_q(EDM, "ProvidedCHO"))[:1]


def _aggregation(root: etree._Element, labels: Labels, record: Record) -> None:
    aggregation = root.find(_q(ORE, "Aggregation"))
    if aggregation is None:
        return
    shown = aggregation.find(_q(EDM, "isShownAt"))
    if shown is not None and is_web_page(shown.get(_RESOURCE, "")):
        record.landing_page = shown.get(_RESOURCE)
    rights = aggregation.find(_q(EDM, "rights"))
    if rights is not None and rights.get(_RESOURCE):
        record.rights_uri = rights.get(_RESOURCE)
    provider = aggregation.find(_q(EDM, "dataProvider"))
    name = _value(provider, labels) if provider is not None else None
    record.source_archive = name.value if name else None


def from_edm(root: etree._Element, identifier: str) -> Record:
    """The catalogue record of one ``rdf:RDF`` EDM document (MappingError if none)."""
    if root.tag != _q(RDF, "RDF"):
        raise MappingError(f"not an EDM document: the root element is {root.tag}")
    described = _described(root)
    if not described:
        raise MappingError("the EDM document has no edm:ProvidedCHO")
    labels = _labels(root)
    record = Record(identifier=identifier)
    for element in described:
        for child in element.iterchildren(etree.Element):
            reader = READERS.get(child.tag)
            value = _value(child, labels) if reader is not None else None
            if value is not None:
                reader(value.value, child, record)
    _aggregation(root, labels, record)
    record.edm_document = serialise(root)
    return record
