"""Catalogue record -> MODS 3.8, the Library of Congress's descriptive format for libraries.

Names keep their parts, affiliations and roles (MARC relator term and code); the
series is a ``relatedItem type="series"``; the rights statement is an
``accessCondition`` linked to its URI.  ``docs/mappings.md`` lists each element.
"""

from __future__ import annotations

from catalogue.model import Credit, Record, Text, agents
from mappings.builder import Maker, Markup, foreign, to_text
from mappings.durations import to_extent
from mappings.ebucore_readings import understood
from mappings.laboratories import laboratory_lines
from mappings.marc_out import LABELLED_NOTES, marc_language
from mappings.publication import Publication
from mappings.relators import TERMS, code_for
from protocol.namespaces import MODS, MODS_SCHEMA_URL, MODS_VERSION, XLINK, XML_LANG, XSI, qname

NSMAP = {None: MODS, "xlink": XLINK, "xsi": XSI}
MODS_E = Maker(MODS, NSMAP)
HREF = qname(XLINK, "href")
#: The statement of use that accessCondition carries (MODS's suggested type values).
USE = "use and reproduction"


def _lang(text: Text) -> dict[str, str]:
    return {XML_LANG: text.lang} if text.lang else {}


def _titles(record: Record) -> list[Markup]:
    first, *others = record.titles or [Text(record.identifier)]
    titles = [MODS_E.titleInfo(MODS_E.title(first.value), _lang(first))]
    titles += [MODS_E.titleInfo(MODS_E.title(t.value), _lang(t), type="translated") for t in others]
    return titles + [
        MODS_E.titleInfo(MODS_E.title(t.value), _lang(t), type="alternative")
        for t in record.alternative_titles
    ]


def _role(role: str | None) -> Markup | None:
    code = code_for(role or "")
    if code is None:
        return MODS_E.role(MODS_E.roleTerm(role, type="text")) if role else None
    return MODS_E.role(
        MODS_E.roleTerm(TERMS[code], type="text", authority="marcrelator"),
        MODS_E.roleTerm(code, type="code", authority="marcrelator"),
    )


def _name(credit: Credit, roles: list[str]) -> Markup:
    if credit.unqualified:
        # MODS: a name without @type is one whose source did not say which it is.
        return MODS_E.name(MODS_E.namePart(credit.written or ""), *map(_role, roles))
    if credit.person is None:
        return MODS_E.name(MODS_E.namePart(credit.organisation or ""), *map(_role, roles),
                           type="corporate")  # fmt: skip
    person = credit.person
    parts = [MODS_E.namePart(person.family_name, type="family")]
    if person.given_name:
        parts.append(MODS_E.namePart(person.given_name, type="given"))
    parts += [MODS_E.affiliation(a) for a in person.affiliations]
    return MODS_E.name(*parts, *map(_role, roles), type="personal")


def _names(record: Record) -> list[Markup]:
    """One name per agent, with each of its roles (MODS names an agent once)."""
    return [_name(credit, roles) for credit, roles in agents(record.credits)]


def _origin(record: Record) -> Markup | None:
    dates = []
    if record.production_year is not None:
        dates.append(MODS_E.dateCreated(f"{record.production_year:04d}", encoding="w3cdtf",
                                        keyDate="yes"))  # fmt: skip
    dates += [MODS_E.dateOther(t.value, type=t.type) if t.type else MODS_E.dateOther(t.value)
              for t in record.dates]  # fmt: skip
    return MODS_E.originInfo(*dates, eventType="production") if dates else None


def _physical(record: Record) -> Markup | None:
    parts = []
    if record.original_support:
        parts.append(MODS_E.form(record.original_support, type="original support"))
    if record.delivery_support:
        parts.append(MODS_E.form(record.delivery_support, type="delivery support"))
    if record.duration_seconds is not None:
        parts.append(MODS_E.extent(to_extent(record.duration_seconds)))
    picture = [record.definition, record.aspect_ratio,
               {True: "color", False: "black and white", None: None}[record.colour],
               {True: "sound", False: "silent", None: None}[record.sound]]  # fmt: skip
    if any(picture):
        parts.append(MODS_E.note(", ".join(p for p in picture if p), type="technical"))
    parts += [MODS_E.note(t.value, _lang(t)) for t in record.formats]
    return MODS_E.physicalDescription(*parts) if parts else None


def _notes(record: Record) -> list[Markup]:
    notes = [MODS_E.note(t.value, _lang(t)) for t in record.notes]
    notes += [MODS_E.note(t.value, _lang(t), type="production") for t in record.process]
    if record.laboratories:
        notes.append(MODS_E.note(" ; ".join(laboratory_lines(record)), type="laboratory"))
    for label, name in LABELLED_NOTES.items():
        if name in ("relations", "sources"):
            for value in getattr(record, name):
                notes.append(MODS_E.note(getattr(value, "value", value), type=label.lower()))
    return notes


def _rights(record: Record) -> list[Markup]:
    conditions = [MODS_E.accessCondition(t.value, _lang(t), type=USE) for t in record.rights]
    if record.distribution_restriction:
        conditions.append(
            MODS_E.accessCondition(record.distribution_restriction, type="restriction on access")
        )
    if record.rights_uri:
        conditions.append(MODS_E.accessCondition(record.rights_uri, {HREF: record.rights_uri},
                                                  type=USE))  # fmt: skip
    return conditions


def _identifiers(record: Record) -> list[Markup]:
    found = [MODS_E.identifier(record.identifier, type="local")]
    if record.item_number:
        found.append(MODS_E.identifier(record.item_number, type="item number"))
    return found + [
        MODS_E.identifier(t.value, type=t.type) if t.type else MODS_E.identifier(t.value)
        for t in record.identifiers
    ]


def _location(record: Record) -> Markup | None:
    urls = []
    if record.landing_page:
        urls.append(MODS_E.url(record.landing_page, usage="primary display",
                               access="object in context"))  # fmt: skip
    urls += [MODS_E.url(k.image, access="preview", note=f"Storyboard image at {k.timecode}")
             for k in record.keyframes]  # fmt: skip
    return MODS_E.location(*urls) if urls else None


#: DCMI type -> MODS typeOfResource (MODS 3.8's values).
TYPES_OF_RESOURCE = {
    "MovingImage": "moving image",
    "Sound": "sound recording",
    "StillImage": "still image",
    "Image": "still image",
    "Text": "text",
    "Software": "software, multimedia",
    "Dataset": "software, multimedia",
    "InteractiveResource": "software, multimedia",
    "PhysicalObject": "three dimensional object",
    "Collection": "mixed material",
}
#: A partner's MARC leader/06 says more than the DCMI type: a map, music, a sound recording
#: that is or is not music.
BY_LEADER = {
    "a": "text", "t": "text", "c": "notated music", "d": "notated music", "e": "cartographic",
    "f": "cartographic", "i": "sound recording-nonmusical",
    "j": "sound recording-musical", "k": "still image", "m": "software, multimedia",
    "o": "mixed material", "p": "mixed material", "r": "three dimensional object",
}  # fmt: skip


def _type_of_resource(record: Record) -> Markup | None:
    leader = record.marc_leader or ""
    term = BY_LEADER.get(leader[6:7]) or TYPES_OF_RESOURCE.get(record.resource_type or "")
    if term is None:
        return None
    return (
        MODS_E.typeOfResource(term, collection="yes")
        if leader[7:8] == "c"
        else (MODS_E.typeOfResource(term))
    )


def _theirs(record: Record) -> Markup:
    """A partner's MODS as it came, with Navette's local identifier: how a library that
    harvests the record from Navette finds it again."""
    kept = [foreign(xml, NSMAP) for xml in record.mods_elements]
    ours = MODS_E.identifier(record.identifier, type="local")
    return MODS_E.mods(
        *kept,
        ours if ours not in kept else None,
        {qname(XSI, "schemaLocation"): f"{MODS} {MODS_SCHEMA_URL}"},
        version=MODS_VERSION,
    )


def _document(record: Record) -> Markup:
    if record.mods_elements:
        return _theirs(record)
    record = understood(record)
    languages = [code for code in (marc_language(c) for c in record.languages) if code]
    children = [
        *_titles(record),
        *_names(record),
        _type_of_resource(record),
        *(MODS_E.genre(kind) for kind in record.object_types),
        _origin(record),
        *(
            MODS_E.language(MODS_E.languageTerm(code, type="code", authority="iso639-2b"))
            for code in languages
        ),
        _physical(record),
        *(MODS_E.abstract(t.value, _lang(t)) for t in record.abstracts),
        *(MODS_E.abstract(t.value, _lang(t), type="summary") for t in record.descriptions),
        *(MODS_E.targetAudience(audience) for audience in record.audiences),
        *_notes(record),
        *(MODS_E.subject(MODS_E.topic(t.value), _lang(t)) for t in record.subjects),
        *(MODS_E.subject(MODS_E.geographic(t.value), _lang(t)) for t in record.coverage),
        *(
            MODS_E.relatedItem(MODS_E.titleInfo(MODS_E.title(t.value), _lang(t)), type="series")
            for t in record.series
        ),
        *_identifiers(record),
        _location(record),
        *_rights(record),
    ]
    return MODS_E.mods(
        *children,
        {qname(XSI, "schemaLocation"): f"{MODS} {MODS_SCHEMA_URL}"},
        version=MODS_VERSION,
    )


def to_mods_text(record: Record, publication: Publication | None = None) -> str:
    """The record (as published) as a serialised MODS 3.8 ``mods`` element."""
    return to_text(_document(record), NSMAP)
