"""Catalogue record -> EBUCore 1.10 (``ebucore:ebuCoreMain``).

A pure function of the record.  EBUCore 1.10 lets the children of
``coreMetadata`` come in any order, so elements are written in the record's own
order, which is what makes the way back (``ebucore_in``) lossless.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

from lxml import etree

from catalogue.model import MOVING_IMAGE, Credit, Keyframe, Part, Record, Text, agents
from mappings import ebucore_terms as terms
from mappings.builder import Maker, Markup, build, foreign, to_text
from mappings.dc_out import DCE, dc_element, technical_formats
from mappings.durations import is_timecode, to_iso
from mappings.ebucore_in import stated_type
from protocol.namespaces import (
    DC,
    EBUCORE,
    EBUCORE_SCHEMA_URL,
    EBUCORE_VERSION,
    XSI,
    qname,
)

NSMAP = {"ebucore": EBUCORE, "dc": DC, "xsi": XSI}
E = Maker(EBUCORE, NSMAP)


def _attrs(**values: str | None) -> dict[str, str]:
    """Only the attributes that have a value (lxml refuses None)."""
    return {k: v for k, v in values.items() if v is not None}


def _typed(tag: str, dc_tag: str, text: Text, label: str | None = None) -> Markup:
    return E(tag, dc_element(dc_tag, text), **_attrs(typeLabel=label or text.type))


def _entity(tag: str, credit: Credit, roles: list[str]) -> Markup:
    """One agent, with each of its roles (EBUCore's entity holds several)."""
    children = []
    if credit.unqualified:
        # EBUCore's entity has no name of unstated type: contactDetails' bare name is its
        # unstructured one, with no family and given name made up.
        children.append(E.contactDetails(E.name(credit.written or "")))
    if credit.person is not None:
        person = credit.person
        names = []
        if person.given_name is not None:
            names.append(E.givenName(person.given_name))
        names.append(E.familyName(person.family_name))
        affiliations = [
            E.affiliation(E.organisation(E.organisationName(name)), E.period())
            for name in person.affiliations
        ]
        children.append(E.contactDetails(*names, *affiliations))
    if credit.organisation is not None:
        children.append(E.organisationDetails(E.organisationName(credit.organisation)))
    for role in roles:
        children.append(E.role(**_attrs(typeLabel=role, typeLink=terms.role_link(role))))
    return E(tag, *children)


def _laboratory(code: str, name: str | None) -> Markup:
    # EBU Tech 3293, organisationDetailsType: organisationName, then organisationCode.
    return E.contributor(
        E.organisationDetails(
            E.organisationName(name) if name else None,
            E.organisationCode(DCE.identifier(code)),
        ),
        E.role(typeLabel=terms.LABORATORY),
    )


def _supports(record: Record) -> Iterator[Markup]:
    """Each support its own instantiation, as EBU's examples give each copy (the archive
    MXF, the preview MP4) a ``format`` of its own: the role names the format, ``medium``
    its carrier (EBU Tech 3293, formatType: "the physical or digital manifestation")."""
    for support, role in (
        (record.original_support, terms.ORIGINAL_SUPPORT),
        (record.delivery_support, terms.DELIVERY_SUPPORT),
    ):
        if support is not None:
            yield E.format(E.medium(typeLabel=support), typeLabel=role)


def _picture_facts(record: Record) -> list[str]:
    """Picture facts of a record not known to be a moving image, said as plain formats:
    in a videoFormat they would make it one."""
    if record.resource_type == MOVING_IMAGE:
        return []
    picture = replace(record, duration_seconds=None, sound=None)
    return technical_formats(picture)


def _format(record: Record) -> Markup | None:
    children = []
    video = []
    if record.resource_type != MOVING_IMAGE:
        record = replace(record, aspect_ratio=None, colour=None, definition=None)
    if record.aspect_ratio is not None:
        numerator, denominator = record.aspect_ratio.split(":")
        video.append(
            E.aspectRatio(
                E.factorNumerator(numerator),
                E.factorDenominator(denominator),
                typeLabel=terms.ASPECT_RATIO,
            )
        )
    if record.colour is not None:
        video.append(E.technicalAttributeBoolean(_bool(record.colour), typeLabel=terms.COLOUR))
    if video or record.definition is not None:
        children.append(E.videoFormat(*video, **_attrs(videoFormatDefinition=record.definition)))
    if record.sound is not None:
        children.append(E.audioFormat(audioPresenceFlag=_bool(record.sound)))
    if record.duration_seconds is not None:
        children.append(E.duration(E.normalPlayTime(to_iso(record.duration_seconds))))
    return E.format(*children) if children else None


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _time(tag: str, value: str) -> Markup:
    """A part's start or duration, in the element its shape calls for."""
    if is_timecode(value):
        return E(tag, E.timecode(value))
    return E(tag, E.normalPlayTime(value))


def _part(part: Part) -> Markup:
    children = [_typed("title", "title", t) for t in part.titles]
    children += [_typed("description", "description", t) for t in part.descriptions]
    children += [_typed("identifier", "identifier", t) for t in part.identifiers]
    children += [_typed("relation", "relation", t) for t in part.relations]
    children += [foreign(xml, NSMAP) for xml in part.extra_xml]
    if part.start is not None:
        children.append(_time("partStartTime", part.start))
    if part.duration is not None:
        children.append(_time("partDuration", part.duration))
    return E.part(*children, **_attrs(partId=part.part_id, partName=part.name))


def _keyframe(keyframe: Keyframe) -> Markup:
    return E.part(
        E.relation(E.relationLink(keyframe.image), typeLabel=terms.KEYFRAME_IMAGE),
        E.partStartTime(E.normalPlayTime(keyframe.timecode)),
        typeLabel=terms.KEYFRAME,
    )


def _titles(record: Record) -> Iterator[Markup]:
    for text in record.titles:
        yield E.title(dc_element("title", text))
    for text in record.alternative_titles:
        yield _typed("alternativeTitle", "title", text)
    for text in record.series:
        yield _typed("alternativeTitle", "title", text, terms.SERIES)


def _agents(record: Record) -> Iterator[Markup]:
    for credit, roles in agents(record.credits, in_order=True):
        yield _entity(credit.kind, credit, roles)
    for code in record.laboratories:
        yield _laboratory(code, record.laboratory_names.get(code))


def _subjects(record: Record) -> Iterator[Markup]:
    for text in record.subjects:
        yield E.subject(dc_element("subject", text))


def _descriptions(record: Record) -> Iterator[Markup]:
    for texts, label in (
        (record.abstracts, terms.ABSTRACT),
        (record.descriptions, None),
        (record.process, terms.PROCESS),
        (record.notes, terms.NOTES),
    ):
        for text in texts:
            yield _typed("description", "description", text, label)


def _dates(record: Record) -> Iterator[Markup]:
    if record.production_year is not None:
        yield E.date(E.created(year=f"{record.production_year:04d}"))
    for text in record.dates:
        yield _typed("date", "date", text)


def _evident(record: Record, kind: str) -> bool:
    """Whether the formats written already say the type (``ebucore_in.stated_type``):
    a foreign document's type read from its formats is not said a second time."""
    verbatim = [*record.extra_xml, *(xml for part in record.parts for xml in part.extra_xml)]
    if kind == MOVING_IMAGE:
        facts = (record.aspect_ratio, record.colour, record.definition)
        return any(f is not None for f in facts) or any("videoFormat" in x for x in verbatim)
    kept = [xml for xml in verbatim if "audioFormat" in xml]
    if kind != "Sound" or not kept:
        return False
    core = build(E.coreMetadata(*(foreign(xml, NSMAP) for xml in kept)), NSMAP)
    return stated_type(core) == "Sound"


def _types(record: Record) -> Iterator[Markup]:
    kind = record.resource_type
    stated = kind is not None and not _evident(record, kind)
    if stated or record.object_types or record.audiences:
        yield E.type(
            dc_element("type", kind) if stated else None,
            *[E.objectType(typeLabel=kind) for kind in record.object_types],
            *[E.targetAudience(typeLabel=audience) for audience in record.audiences],
        )


def _formats(record: Record) -> Iterator[Markup]:
    technical = _format(record)
    if technical is not None:
        yield technical
    yield from _supports(record)
    for value in _picture_facts(record):
        yield E.format(dc_element("format", value))
    for text in record.formats:
        yield E.format(dc_element("format", text))


def _identifiers(record: Record) -> Iterator[Markup]:
    yield E.identifier(DCE.identifier(record.identifier), typeLabel=terms.LOCAL_IDENTIFIER)
    if record.item_number is not None:
        yield E.identifier(DCE.identifier(record.item_number), typeLabel=terms.ITEM_NUMBER)
    if record.landing_page is not None:
        yield E.identifier(DCE.identifier(record.landing_page), typeLabel=terms.LANDING_PAGE)
    for text in record.identifiers:
        yield _typed("identifier", "identifier", text)


def _context(record: Record) -> Iterator[Markup]:
    """Sources, languages, relations and coverage, in EBUCore's order."""
    for source in record.sources:
        yield DCE.source(source)
    for language in record.languages:
        yield E.language(DCE.language(language))
    for text in record.relations:
        yield _typed("relation", "relation", text)
    for text in record.coverage:
        yield E.coverage(dc_element("coverage", text))


def _rights(record: Record) -> Iterator[Markup]:
    for text in record.rights:
        yield _typed("rights", "rights", text)
    if record.distribution_restriction is not None:
        # EBU Tech 3293, rightsType: exploitationIssues states restrictions on use.
        yield E.rights(E.exploitationIssues(record.distribution_restriction))
    if record.rights_uri is not None:
        statement = E.rightsLink(record.rights_uri)
        yield E.rights(statement, typeLabel=terms.RIGHTS_STATEMENT, typeLink=record.rights_uri)


def _kept_and_parts(record: Record) -> Iterator[Markup]:
    """What came verbatim, then the segments, then the storyboard."""
    yield from (foreign(xml, NSMAP) for xml in record.extra_xml)
    yield from (_part(part) for part in record.parts)
    yield from (_keyframe(keyframe) for keyframe in record.keyframes)


#: The children of coreMetadata in the order of its XSD sequence, each from its writer.
WRITERS: tuple[Callable[[Record], Iterator[Markup]], ...] = (
    _titles,
    _agents,
    _subjects,
    _descriptions,
    _dates,
    _types,
    _formats,
    _identifiers,
    _context,
    _rights,
    _kept_and_parts,
)


def core_metadata(record: Record) -> Markup:
    """``ebucore:coreMetadata`` for the record."""
    return E.coreMetadata(*[child for write in WRITERS for child in write(record)])


def _document(record: Record) -> Markup:
    provider = None
    if record.source_archive is not None:
        provider = E.metadataProvider(
            E.organisationDetails(E.organisationName(record.source_archive))
        )
    return E.ebuCoreMain(
        core_metadata(record),
        provider,
        {
            qname(XSI, "schemaLocation"): f"{EBUCORE} {EBUCORE_SCHEMA_URL}",
            **record.ebucore_attributes,
        },
        version=EBUCORE_VERSION,
    )


def to_ebucore(record: Record) -> etree._Element:
    """The record as an ``ebucore:ebuCoreMain`` document element."""
    return build(_document(record), NSMAP)


def to_ebucore_text(record: Record) -> str:
    """The record as a serialised ``ebucore:ebuCoreMain`` document (what is stored)."""
    return to_text(_document(record), NSMAP)
