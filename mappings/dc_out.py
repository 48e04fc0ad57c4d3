"""Catalogue record -> simple Dublin Core in its OAI container (``oai_dc:dc``).

Simple DC has fifteen unqualified elements, so some structure is lost here (roles,
affiliations, series as such, technical qualifiers); ``docs/mappings.md`` says what.
"""

from __future__ import annotations

from lxml import etree

from catalogue.model import Credit, Record, Text
from mappings.builder import Maker, Markup, build, to_text
from mappings.durations import to_iso
from mappings.ebucore_readings import understood
from mappings.people import format_person
from protocol.namespaces import DC, OAI_DC, OAI_DC_SCHEMA_URL, XML_LANG, XSI, qname

NSMAP = {"oai_dc": OAI_DC, "dc": DC, "xsi": XSI}
OAI_DC_E = Maker(OAI_DC, NSMAP)
#: dc:* elements, here and inside EBUCore documents (both give DC the prefix dc).
DCE = Maker(DC, NSMAP)

#: DCMI Type Vocabulary term for films and videos.
MOVING_IMAGE = "MovingImage"


def dc_element(tag: str, text: Text | str) -> Markup:
    """A dc:* element with its text and, when the text has one, its xml:lang.

    EBUCore embeds the same elements, so ``ebucore_out`` builds them here too.
    """
    make = getattr(DCE, tag)
    if isinstance(text, str):
        return make(text)
    if text.lang:
        return make(text.value, **{XML_LANG: text.lang})
    return make(text.value)


def credit_name(credit: Credit) -> str:
    """'MIFSUD, Nicolas', or an organisation's name; affiliations in parentheses."""
    if credit.person is None:
        return credit.organisation or ""
    return format_person(credit.person)


def technical_formats(record: Record) -> list[str]:
    """The dc:format values: extent as xs:duration, then definition, ratio, colour, sound."""
    values = []
    if record.duration_seconds is not None:
        values.append(to_iso(record.duration_seconds))
    if record.definition:
        values.append(record.definition)
    if record.aspect_ratio:
        values.append(record.aspect_ratio)
    if record.colour is not None:
        values.append("colour" if record.colour else "black and white")
    if record.sound is not None:
        values.append("sound" if record.sound else "silent")
    return values


def _document(record: Record) -> Markup:
    record = understood(record)
    elements = []
    add = elements.append
    for text in record.titles + record.alternative_titles:
        add(dc_element("title", text))
    for credit in record.credits:
        add(dc_element(credit.kind, credit_name(credit)))
    for code in record.laboratories:
        add(dc_element("contributor", code))
    for text in record.subjects:
        add(dc_element("subject", text))
    for text in record.abstracts + record.descriptions + record.process + record.notes:
        add(dc_element("description", text))
    if record.production_year is not None:
        add(dc_element("date", f"{record.production_year:04d}"))
    for text in record.dates:
        add(dc_element("date", text))
    if record.audiovisual is not False and MOVING_IMAGE not in record.object_types:
        add(dc_element("type", MOVING_IMAGE))
    for kind in record.object_types:
        add(dc_element("type", kind))
    technical = technical_formats(record)
    for value in technical:
        add(dc_element("format", value))
    for support in (record.original_support, record.delivery_support):
        if support and support not in technical:
            # DCMI: format covers "the physical medium" of the resource.
            add(dc_element("format", support))
    for text in record.formats:
        add(dc_element("format", text))
    if record.landing_page:
        add(dc_element("identifier", record.landing_page))
    if record.item_number:
        add(dc_element("identifier", record.item_number))
    for text in record.identifiers:
        add(dc_element("identifier", text))
    for source in record.sources:
        add(dc_element("source", source))
    for language in record.languages:
        add(dc_element("language", language))
    for text in record.series + record.relations:
        add(dc_element("relation", text))
    for text in record.coverage:
        add(dc_element("coverage", text))
    for text in record.rights:
        add(dc_element("rights", text))
    if record.distribution_restriction:
        add(dc_element("rights", record.distribution_restriction))
    if record.rights_uri:
        add(dc_element("rights", record.rights_uri))
    return OAI_DC_E.dc(*elements, {qname(XSI, "schemaLocation"): f"{OAI_DC} {OAI_DC_SCHEMA_URL}"})


def to_oai_dc(record: Record) -> etree._Element:
    """The record as an ``oai_dc:dc`` element."""
    return build(_document(record), NSMAP)


def to_oai_dc_text(record: Record) -> str:
    """The record as a serialised ``oai_dc:dc`` element (what is stored)."""
    return to_text(_document(record), NSMAP)
