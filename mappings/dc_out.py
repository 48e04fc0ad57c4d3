"""Catalogue record -> simple Dublin Core in its OAI container (``oai_dc:dc``).

Simple DC has fifteen unqualified elements, so some structure is lost here (roles,
affiliations, series as such, technical qualifiers); ``docs/mappings.md`` says what.
"""

from __future__ import annotations

from lxml import etree

from catalogue.model import Credit, Record, Text
from mappings.builder import Maker, Node, build
from mappings.durations import to_iso
from mappings.namespaces import DC, OAI_DC, OAI_DC_SCHEMA_URL, XML_LANG, XSI, qname
from mappings.people import format_person

NSMAP = {"oai_dc": OAI_DC, "dc": DC, "xsi": XSI}
OAI_DC_E = Maker(OAI_DC)
DCE = Maker(DC)

#: DCMI Type Vocabulary term for films and videos.
MOVING_IMAGE = "MovingImage"


def _dc(tag: str, text: Text | str) -> Node:
    if isinstance(text, str):
        return DCE(tag, text)
    return DCE(tag, text.value, {XML_LANG: text.lang} if text.lang else None)


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


def to_oai_dc(record: Record) -> etree._Element:
    """The record as an ``oai_dc:dc`` element."""
    elements = []
    add = elements.append
    for text in record.titles + record.alternative_titles:
        add(_dc("title", text))
    for credit in record.credits:
        add(_dc(credit.kind, credit_name(credit)))
    for code in record.laboratories:
        add(_dc("contributor", code))
    for text in record.subjects:
        add(_dc("subject", text))
    for text in record.abstracts + record.descriptions + record.process + record.notes:
        add(_dc("description", text))
    if record.production_year is not None:
        add(_dc("date", f"{record.production_year:04d}"))
    for text in record.dates:
        add(_dc("date", text.value))
    add(_dc("type", MOVING_IMAGE))
    for kind in record.object_types:
        add(_dc("type", kind))
    for value in technical_formats(record):
        add(_dc("format", value))
    if record.landing_page:
        add(_dc("identifier", record.landing_page))
    if record.item_number:
        add(_dc("identifier", record.item_number))
    for text in record.identifiers:
        add(_dc("identifier", text.value))
    for source in record.sources:
        add(_dc("source", source))
    for language in record.languages:
        add(_dc("language", language))
    for text in record.series + record.relations:
        add(_dc("relation", text))
    for text in record.coverage:
        add(_dc("coverage", text))
    for text in record.rights:
        add(_dc("rights", text))
    if record.distribution_restriction:
        add(_dc("rights", record.distribution_restriction))
    root = OAI_DC_E.dc(*elements, {qname(XSI, "schemaLocation"): f"{OAI_DC} {OAI_DC_SCHEMA_URL}"})
    return build(root, NSMAP)
