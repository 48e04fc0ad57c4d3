"""MODS -> catalogue record, for libraries and aggregators (Stanford, Avalon, DPLA's hubs)
that offer MODS.

A table of small readers, one per top-level MODS element, takes what each says (titles,
names with every role, the type of resource, genres, publication, languages, extents,
abstracts, notes, subjects, series, identifiers, the landing page, rights, audiences) for
the other formats.  The partner's MODS itself is kept whole: every top-level element as it
came (``Record.mods_elements``), written back by ``mods_out`` beside Navette's own local
identifier, so MODS in -> record -> MODS loses nothing, ``recordInfo`` and
``classification`` included.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree

from catalogue.codec import default_kind
from catalogue.model import Credit, Person, Record, Text
from mappings.dc_in import is_web_page
from mappings.durations import parse_seconds
from mappings.ebucore_in import MappingError
from mappings.ebucore_xml import serialise
from mappings.people import parse_person
from mappings.relators import label_for
from mappings.resource_types import from_dc_types
from protocol.namespaces import MODS, XLINK, XML_LANG

_M = "{%s}" % MODS
_HREF = "{%s}href" % XLINK
_YEAR = re.compile(r"^\d{4}$")
#: typeOfResource (MODS 3.8's values) -> DCMI type; 'mixed material' and 'software,
#: multimedia' say too little to name one.
TYPES = {
    "text": "Text",
    "notated music": "Text",
    "cartographic": "Image",
    "still image": "StillImage",
    "moving image": "MovingImage",
    "sound recording": "Sound",
    "sound recording-musical": "Sound",
    "sound recording-nonmusical": "Sound",
    "three dimensional object": "PhysicalObject",
}
#: The rights statements a MODS accessCondition may link to (as edm:rights accepts them).
_RIGHTS_URI = re.compile(r"^https?://(rightsstatements\.org|creativecommons\.org)/")


def _text(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


def _lang(element: etree._Element) -> str | None:
    return element.get(XML_LANG) or element.get("lang")


def _child_texts(element: etree._Element, local: str) -> list[str]:
    return [t for t in (_text(c) for c in element.iterchildren(_M + local)) if t]


# --- readers, one per top-level element ------------------------------------------------


def _title_info(element: etree._Element, record: Record) -> None:
    parts = [
        " ".join(_child_texts(element, "nonSort") + _child_texts(element, "title")),
        *_child_texts(element, "subTitle"),
    ]
    title = " : ".join(p for p in parts if p)
    if not title:
        return
    kind = element.get("type")
    if kind is None or kind == "translated":
        record.titles.append(Text(title, _lang(element)))
    else:
        record.alternative_titles.append(Text(title, _lang(element), kind.capitalize()))


def _roles(element: etree._Element) -> list[str]:
    roles = []
    for term in element.iterfind(f"{_M}role/{_M}roleTerm"):
        value = _text(term)
        if value:
            roles.append(label_for(value) or value[:1].upper() + value[1:])
    return list(dict.fromkeys(roles))


def _person(element: etree._Element) -> Person:
    family = " ".join(_text(p) for p in element.iterfind(f"{_M}namePart[@type='family']"))
    given = " ".join(_text(p) for p in element.iterfind(f"{_M}namePart[@type='given']")) or None
    if family:
        return Person(family, given)
    whole = ", ".join(_text(p) for p in element.iterfind(f"{_M}namePart") if not p.get("type"))
    return parse_person(whole) or Person(whole)


def _name(element: etree._Element, record: Record) -> None:
    personal = element.get("type") == "personal"
    if personal:
        person: Person | None = _person(element)
        if not person.family_name:
            return
        person.affiliations = _child_texts(element, "affiliation")
        organisation = None
    else:
        person = None
        organisation = ", ".join(_child_texts(element, "namePart"))
        if not organisation:
            return
    primary = element.get("usage") == "primary"
    for role in _roles(element) or ["Creator" if primary else "Contributor"]:
        kind = "creator" if primary else default_kind(role)
        record.credits.append(Credit(role, kind, person, organisation))


def _type_of_resource(element: etree._Element, record: Record) -> None:
    kind = TYPES.get(_text(element).lower())
    if kind is not None and record.resource_type is None:
        record.resource_type = kind


def _genre(element: etree._Element, record: Record) -> None:
    genre = _text(element)
    if genre and genre not in record.object_types:
        record.object_types.append(genre)
    if record.resource_type is None and element.get("authority") == "dct":
        record.resource_type = from_dc_types([genre])


def _origin_info(element: etree._Element, record: Record) -> None:
    for publisher in _child_texts(element, "publisher"):
        record.credits.append(Credit("Publisher", "publisher", organisation=publisher))
    for child in element.iterchildren(etree.Element):
        local, value = etree.QName(child).localname, _text(child)
        if not value or local not in ("dateCreated", "dateIssued", "copyrightDate", "dateOther"):
            continue
        if local == "dateCreated" and _YEAR.match(value) and record.production_year is None:
            record.production_year = int(value)  # a creation date, said as such
            continue
        label = {"dateCreated": "Created", "dateIssued": "Issued", "copyrightDate": "Copyright"}
        record.dates.append(Text(value, type=label.get(local, child.get("type"))))


def _language(element: etree._Element, record: Record) -> None:
    for term in element.iterfind(f"{_M}languageTerm[@type='code']"):
        if _text(term) and _text(term) not in record.languages:
            record.languages.append(_text(term))


def _physical_description(element: etree._Element, record: Record) -> None:
    for extent in _child_texts(element, "extent"):
        seconds = parse_seconds(extent)
        if seconds is not None and record.duration_seconds is None:
            record.duration_seconds = seconds
        else:
            record.formats.append(Text(extent))
    for local in ("form", "internetMediaType"):
        record.formats += [Text(value) for value in _child_texts(element, local)]


def _abstract(element: etree._Element, record: Record) -> None:
    if _text(element):
        record.abstracts.append(Text(_text(element), _lang(element)))


def _note(element: etree._Element, record: Record) -> None:
    if _text(element):
        record.notes.append(Text(_text(element), _lang(element)))


def _subject(element: etree._Element, record: Record) -> None:
    places = ("geographic", "temporal", "hierarchicalGeographic", "cartographics")
    topics, where = [], []
    for child in element.iterchildren(etree.Element):
        value = _text(child)
        if value:
            (where if etree.QName(child).localname in places else topics).append(value)
    if topics:
        record.subjects.append(Text(" -- ".join(topics), _lang(element)))
    if where:
        record.coverage.append(Text(" -- ".join(where), _lang(element)))


def _related_item(element: etree._Element, record: Record) -> None:
    title = " ".join(_text(t) for t in element.iterfind(f"{_M}titleInfo/{_M}title"))
    if element.get("type") == "series" and title:
        record.series.append(Text(title))
    elif title:
        record.relations.append(Text(title, type=element.get("type")))


def _identifier(element: etree._Element, record: Record) -> None:
    if _text(element):
        record.identifiers.append(Text(_text(element), type=element.get("type")))


def _location(element: etree._Element, record: Record) -> None:
    for url in element.iterfind(f"{_M}url"):
        shown = url.get("usage") == "primary display" or url.get("access") == "object in context"
        if shown and is_web_page(_text(url)) and record.landing_page is None:
            record.landing_page = _text(url)


def _access_condition(element: etree._Element, record: Record) -> None:
    link = element.get(_HREF) or ""
    if _RIGHTS_URI.match(link) and record.rights_uri is None:
        record.rights_uri = link
    if not _text(element):
        return
    if element.get("type") == "restriction on access":
        record.distribution_restriction = record.distribution_restriction or _text(element)
    else:
        record.rights.append(Text(_text(element), _lang(element)))


def _target_audience(element: etree._Element, record: Record) -> None:
    if _text(element):
        record.audiences.append(_text(element))


READERS: dict[str, Callable[[etree._Element, Record], None]] = {
    "titleInfo": _title_info,
    "name": _name,
    "typeOfResource": _type_of_resource,
    "genre": _genre,
    "originInfo": _origin_info,
    "language": _language,
    "physicalDescription": _physical_description,
    "abstract": _abstract,
    "note": _note,
    "subject": _subject,
    "relatedItem": _related_item,
    "identifier": _identifier,
    "location": _location,
    "accessCondition": _access_condition,
    "targetAudience": _target_audience,
}


def records_in(element: etree._Element) -> list[etree._Element]:
    """The ``mods`` elements of a ``modsCollection`` (or the record itself)."""
    if element.tag == _M + "mods":
        return [element]
    return list(element.iterchildren(_M + "mods"))


def from_mods(element: etree._Element, identifier: str) -> Record:
    """The catalogue record of one ``mods`` element (MappingError if it is none)."""
    if element.tag != _M + "mods":
        raise MappingError(f"not a MODS document: the root element is {element.tag}")
    record = Record(identifier=identifier)
    kept = []
    for child in element.iterchildren(etree.Element):
        reader = READERS.get(etree.QName(child).localname)
        if reader is not None and etree.QName(child).namespace == MODS:
            reader(child, record)
        kept.append(serialise(child))
    if not record.titles and record.alternative_titles:
        record.titles.append(record.alternative_titles.pop(0))
    record.mods_elements = kept
    return record
