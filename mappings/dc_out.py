"""Catalogue record -> simple Dublin Core in its OAI container (``oai_dc:dc``).

Simple DC has fifteen unqualified elements, so some structure is lost here (roles,
affiliations, series as such, technical qualifiers); ``docs/mappings.md`` says what.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from lxml import etree

from catalogue.model import Credit, Record, Text
from mappings.builder import Maker, Markup, build, to_text
from mappings.durations import to_iso
from mappings.ebucore_readings import understood
from mappings.laboratories import laboratory_lines
from mappings.people import format_person
from mappings.resource_types import states
from protocol.namespaces import DC, OAI_DC, OAI_DC_SCHEMA_URL, XML_LANG, XSI, qname

NSMAP = {"oai_dc": OAI_DC, "dc": DC, "xsi": XSI}
OAI_DC_E = Maker(OAI_DC, NSMAP)
#: dc:* elements, here and inside EBUCore documents (both give DC the prefix dc).
DCE = Maker(DC, NSMAP)


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
    if credit.written is not None:
        return credit.written
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


Element = tuple[str, Text | str]


def _titles(record: Record) -> Iterator[Element]:
    for text in record.titles + record.alternative_titles:
        yield "title", text


def _agents(record: Record) -> Iterator[Element]:
    roles: dict[tuple[str, str], set[str]] = {}
    for credit in record.credits:
        said = (credit.kind, credit_name(credit))
        if said in roles and credit.role not in roles[said]:
            continue  # one name in several roles: DC has no roles, so it is named once
        roles.setdefault(said, set()).add(credit.role)
        yield said
    # DCMI: a contributor is named; the code stays, so the laboratory is identified.
    for line in laboratory_lines(record):
        yield "contributor", line


def _descriptions(record: Record) -> Iterator[Element]:
    for text in record.abstracts + record.descriptions + record.process + record.notes:
        yield "description", text


def _dates(record: Record) -> Iterator[Element]:
    if record.production_year is not None:
        yield "date", f"{record.production_year:04d}"
    for text in record.dates:
        yield "date", text


def _types(record: Record) -> Iterator[Element]:
    kind = record.resource_type
    if kind is not None and not states(record.object_types, kind):
        yield "type", kind
    for kind in record.object_types:
        yield "type", kind


def _formats(record: Record) -> Iterator[Element]:
    technical = technical_formats(record)
    for value in technical:
        yield "format", value
    for support in (record.original_support, record.delivery_support):
        if support and support not in technical:
            # DCMI: format covers "the physical medium" of the resource.
            yield "format", support
    for text in record.formats:
        yield "format", text


def _identifiers(record: Record) -> Iterator[Element]:
    for value in (record.landing_page, record.item_number):
        if value:
            yield "identifier", value
    for text in record.identifiers:
        yield "identifier", text


def _rights(record: Record) -> Iterator[Element]:
    for text in record.rights:
        yield "rights", text
    for value in (record.distribution_restriction, record.rights_uri):
        if value:
            yield "rights", value


def _each(name: str, values: Callable[[Record], list]) -> Callable[[Record], Iterator[Element]]:
    def elements(record: Record) -> Iterator[Element]:
        for value in values(record):
            yield name, value

    return elements


#: The fifteen elements in the order Navette writes them, each from its own reader.
ELEMENTS: tuple[Callable[[Record], Iterator[Element]], ...] = (
    _titles,
    _agents,
    _each("subject", lambda record: record.subjects),
    _descriptions,
    _dates,
    _types,
    _formats,
    _identifiers,
    _each("source", lambda record: record.sources),
    _each("language", lambda record: record.languages),
    _each("relation", lambda record: record.series + record.relations),
    _each("coverage", lambda record: record.coverage),
    _rights,
)


def _document(record: Record) -> Markup:
    record = understood(record)
    elements = [dc_element(name, value) for part in ELEMENTS for name, value in part(record)]
    return OAI_DC_E.dc(*elements, {qname(XSI, "schemaLocation"): f"{OAI_DC} {OAI_DC_SCHEMA_URL}"})


def to_oai_dc(record: Record) -> etree._Element:
    """The record as an ``oai_dc:dc`` element."""
    return build(_document(record), NSMAP)


def to_oai_dc_text(record: Record) -> str:
    """The record as a serialised ``oai_dc:dc`` element (what is stored)."""
    return to_text(_document(record), NSMAP)
