"""EBUCore -> catalogue record, for ingest from partners and files.

Each ``coreMetadata`` child that the model understands entirely becomes fields;
any other (or one with attributes or content the model has no place for) is kept
verbatim in ``extra_xml`` and written back as it came.  So a foreign document
loses nothing, and Navette's own output reads back to the same record.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree

from catalogue.model import MOVING_IMAGE, Record, Text, is_web_url
from mappings import ebucore_terms as terms
from mappings.ebucore_agents import Laboratory, read_credits
from mappings.ebucore_technical import read_format, read_keyframe, read_part
from mappings.ebucore_xml import (
    NOTHING,
    Foreign,
    bare,
    child_elements,
    dc_texts,
    dcq,
    has_only,
    normalise_namespace,
    only_child,
    q,
    serialise,
    text_of,
)
from mappings.resource_types import DCMI_TYPES, from_dc_types
from protocol.namespaces import EBUCORE

_DC_TYPE = dcq("type")


class MappingError(ValueError):
    """The document cannot become a catalogue record; the message says why."""


def _year(date: etree._Element) -> int | None:
    created = date.find(q("created"))
    if date.attrib or len(date) != 1 or created is None or set(created.attrib) != {"year"}:
        return None
    value = created.get("year", "")
    return int(value) if re.fullmatch(r"\d{4}", value) else None


def _dcmi(child: etree._Element) -> str | None:
    """The DCMI term a bare ``dc:type`` holds, exactly as Navette writes it."""
    value = text_of(child) if not child.attrib and not len(child) else None
    return value if value in DCMI_TYPES else None


def _types(element: etree._Element) -> tuple[list[str], list[str], str | None] | None:
    allowed = {q("objectType"), q("targetAudience"), _DC_TYPE}
    if element.attrib or not has_only(element, NOTHING, allowed):
        return None
    objects, audiences, kinds = [], [], []
    for child in child_elements(element):
        if child.tag == _DC_TYPE:
            kinds.append(_dcmi(child))
            continue
        if set(child.attrib) != {"typeLabel"} or len(child):
            return None
        (objects if child.tag == q("objectType") else audiences).append(child.get("typeLabel"))
    if len(kinds) > 1 or None in kinds:
        return None
    return objects, audiences, (kinds[0] if kinds else None)


def _plain_texts(dc_local: str, field: str, typed: bool) -> ChildReader:
    """A reader for an element holding only dc:``dc_local`` texts (``typed``: its
    typeLabel is kept as the texts' type; otherwise a typeLabel makes it foreign)."""

    def read(child: etree._Element, record: Record) -> bool:
        label = child.get("typeLabel")
        texts = dc_texts(child, dc_local, label)
        if texts is None or (label is not None and not typed):
            return False
        getattr(record, field).extend(texts)
        return True

    return read


def _alternative_title(child: etree._Element, record: Record) -> bool:
    label = child.get("typeLabel")
    texts = dc_texts(child, "title", label)
    if texts is None:
        return False
    if label == terms.SERIES:
        record.series.extend(Text(t.value, t.lang) for t in texts)
    else:
        record.alternative_titles.extend(texts)
    return True


def _agent(kind: str) -> ChildReader:
    def read(child: etree._Element, record: Record) -> bool:
        credits = read_credits(child, kind)
        if credits is None:
            return False
        if isinstance(credits, Laboratory):
            if credits.name is not None:
                if record.laboratory_names.get(credits.code, credits.name) != credits.name:
                    return False
                record.laboratory_names[credits.code] = credits.name
            record.laboratories.append(credits.code)
        else:
            record.credits.extend(credits)
        return True

    return read


def _description(child: etree._Element, record: Record) -> bool:
    label = child.get("typeLabel")
    texts = dc_texts(child, "description", label)
    if texts is None:
        return False
    field = {
        terms.ABSTRACT: record.abstracts,
        terms.PROCESS: record.process,
        terms.NOTES: record.notes,
    }.get(label or "")
    if field is None:
        record.descriptions.extend(texts)
    else:
        field.extend(Text(t.value, t.lang) for t in texts)
    return True


def _date(child: etree._Element, record: Record) -> bool:
    year = _year(child)
    if year is not None and record.production_year is None:
        record.production_year = year
        return True
    texts = dc_texts(child, "date", child.get("typeLabel"))
    if texts is None:
        return False
    record.dates.extend(texts)
    return True


def _type(child: etree._Element, record: Record) -> bool:
    types = _types(child)
    if types is None:
        return False
    record.object_types.extend(types[0])
    record.audiences.extend(types[1])
    record.resource_type = types[2] or record.resource_type
    return True


def _format_element(child: etree._Element, record: Record) -> bool:
    texts = None if child.keys() else dc_texts(child, "format", None)
    if texts is not None and len(texts) == 1:
        record.formats.extend(texts)
        return True
    return read_format(child, record)


#: Identifier labels whose value is a field of its own.
_SINGLE_IDENTIFIERS = {
    terms.LOCAL_IDENTIFIER: "identifier",
    terms.ITEM_NUMBER: "item_number",
    terms.LANDING_PAGE: "landing_page",
}


def _identifier(child: etree._Element, record: Record) -> bool:
    label = child.get("typeLabel")
    texts = dc_texts(child, "identifier", label)
    if texts is None or len(texts) != 1:
        return False
    value = texts[0].value
    single = _SINGLE_IDENTIFIERS.get(label or "")
    if single is None:
        record.identifiers.extend(texts)
    elif single == "identifier" and not record.identifier:
        record.identifier = value
    elif single != "identifier" and getattr(record, single) is None:
        setattr(record, single, value)
    else:
        return False
    return True


def _language(child: etree._Element, record: Record) -> bool:
    codes = child.findall(dcq("language"))
    if child.attrib or len(child) != 1 or len(codes) != 1 or codes[0].attrib:
        return False
    record.languages.append(text_of(codes[0]))
    return True


_EXPLOITATION_ISSUES = q("exploitationIssues")
_RIGHTS_LINK = q("rightsLink")


def _rights_statement(child: etree._Element, record: Record) -> bool:
    """``rights/@typeLink`` (and its ``rightsLink``): the rights statement's URI."""
    links = {child.get("typeLink")} - {None}
    if len(child) == 1 and child[0].tag == _RIGHTS_LINK and bare(child[0]):
        links.add((child[0].text or "").strip())
    elif len(child):
        return False
    if set(child.keys()) - {"typeLink", "typeLabel"} or len(links) != 1:
        return False
    uri = links.pop()
    if record.rights_uri is not None or not is_web_url(uri):
        return False
    record.rights_uri = uri
    return True


def _rights(child: etree._Element, record: Record) -> bool:
    if child.get("typeLink") is not None or only_child(child, _RIGHTS_LINK) is not None:
        return _rights_statement(child, record)
    label = child.get("typeLabel")
    issues = only_child(child, _EXPLOITATION_ISSUES)
    if issues is not None and not child.keys():
        if record.distribution_restriction is not None:
            return False
        record.distribution_restriction = text_of(issues)
        return True
    texts = dc_texts(child, "rights", label)
    if texts is None:
        return False
    if label == terms.DISTRIBUTION_RESTRICTION:
        if record.distribution_restriction is not None or len(texts) != 1 or texts[0].lang:
            return False
        record.distribution_restriction = texts[0].value
    else:
        record.rights.extend(texts)
    return True


def _part_element(child: etree._Element, record: Record) -> bool:
    keyframe = read_keyframe(child)
    if keyframe is not None:
        record.keyframes.append(keyframe)
        return True
    try:
        record.parts.append(read_part(child))
    except Foreign:
        return False
    return True


def _source(child: etree._Element, record: Record) -> bool:
    if child.attrib or len(child):
        return False
    record.sources.append(text_of(child))
    return True


ChildReader = Callable[[etree._Element, Record], bool]

#: coreMetadata child (its tag) -> the reader that maps it into the record, returning
#: False when the model cannot hold all of it (the element is then kept verbatim).
_READERS: dict[str, ChildReader] = {
    q("title"): _plain_texts("title", "titles", typed=False),
    q("subject"): _plain_texts("subject", "subjects", typed=False),
    q("relation"): _plain_texts("relation", "relations", typed=True),
    q("coverage"): _plain_texts("coverage", "coverage", typed=False),
    q("alternativeTitle"): _alternative_title,
    q("creator"): _agent("creator"),
    q("contributor"): _agent("contributor"),
    q("publisher"): _agent("publisher"),
    q("description"): _description,
    q("date"): _date,
    q("type"): _type,
    q("format"): _format_element,
    q("identifier"): _identifier,
    q("language"): _language,
    q("rights"): _rights,
    q("part"): _part_element,
    dcq("source"): _source,
}


def _read_child(child: etree._Element, record: Record) -> bool:
    """Map one coreMetadata child into the record; False if it must be kept verbatim."""
    reader = _READERS.get(child.tag)
    return reader is not None and reader(child, record)


def core_root(root: etree._Element) -> etree._Element:
    """The ``coreMetadata`` element of a document rooted at ebuCoreMain or coreMetadata."""
    root = normalise_namespace(root)
    if root.tag == q("coreMetadata"):
        return root
    if root.tag != q("ebuCoreMain"):
        raise MappingError(
            f"not an EBUCore document: the root element is {root.tag}, "
            f"expected {{{EBUCORE}}}ebuCoreMain"
        )
    core = root.find(q("coreMetadata"))
    if core is None:
        raise MappingError("ebuCoreMain has no coreMetadata element")
    return core


def from_ebucore(root: etree._Element, identifier: str = "") -> Record:
    """The record an EBUCore document describes.

    ``identifier`` is used when the document carries no Navette local identifier
    (a partner's OAI identifier, or a file name).
    """
    core = core_root(root)
    record = Record(identifier="")
    for child in child_elements(core):
        if not _read_child(child, record):
            record.extra_xml.append(serialise(child))
    main = core.getparent()
    if main is not None:
        record.ebucore_attributes = kept_attributes(main)
        provider = main.find(q("metadataProvider"))
        if provider is not None:
            names = provider.findall(f"{q('organisationDetails')}/{q('organisationName')}")
            if len(names) == 1:
                record.source_archive = text_of(names[0])
    if record.resource_type is None:
        record.resource_type = stated_type(core)
    if not record.identifier:
        record.identifier = identifier
    if not record.identifier:
        raise MappingError("the document carries no identifier and none was given")
    return record


#: Root attributes that say which EBUCore schema the document follows: Navette's
#: rendering follows 1.10 and says so in its own.
_NOT_KEPT = {"schema", "version", "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation"}


def kept_attributes(main: etree._Element) -> dict[str, str]:
    """The attributes of a partner's ``ebuCoreMain``, to be written back on it."""
    return {name: value for name, value in main.attrib.items() if name not in _NOT_KEPT}


def document_id(root: etree._Element) -> str | None:
    """The ``documentId`` an ``ebuCoreMain`` names its document by, if it has one."""
    return (root.get("documentId") or "").strip() or None


def stated_type(core: etree._Element) -> str | None:
    """The DCMI type a document states: a DCMI ``dc:type`` in its ``type``, else its
    formats (a video format: a moving image; an audio format described, ADM's included,
    and no video format: sound); else none."""
    said = [text_of(t) for t in core.iterfind(f"{q('type')}/{dcq('type')}")]
    kind = from_dc_types(value for value in said if value)
    if kind is not None:
        return kind
    if core.find(f".//{q('format')}/{q('videoFormat')}") is not None:
        return MOVING_IMAGE
    if core.find(f".//{q('format')}/{q('audioFormatExtended')}") is not None:
        return "Sound"
    for audio in core.iterfind(f".//{q('format')}/{q('audioFormat')}"):
        # A bare audioPresenceFlag is a film's sound or silence, not an audio resource.
        if len(audio) or set(audio.keys()) - {"audioPresenceFlag"}:
            return "Sound"
    return None
