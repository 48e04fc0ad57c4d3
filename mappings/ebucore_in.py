"""EBUCore -> catalogue record, for ingest from partners and files.

Each ``coreMetadata`` child that the model understands entirely becomes fields;
any other (or one with attributes or content the model has no place for) is kept
verbatim in ``extra_xml`` and written back as it came.  So a foreign document
loses nothing, and Navette's own output reads back to the same record.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable

from lxml import etree

from catalogue.model import Credit, Keyframe, Part, Person, Record, Text, is_web_url
from mappings import ebucore_terms as terms
from mappings.durations import parse_seconds
from protocol.namespaces import DC, EBUCORE, XML_LANG, is_legacy_ebucore


class MappingError(ValueError):
    """The document cannot become a catalogue record; the message says why."""


_EBUCORE_PREFIX = "{%s}" % EBUCORE


def _q(local: str) -> str:
    return _EBUCORE_PREFIX + local


def _local(tag: str) -> str | None:
    """The local name of an EBUCore tag, None for a tag of another namespace."""
    return tag[len(_EBUCORE_PREFIX) :] if tag.startswith(_EBUCORE_PREFIX) else None


def _dcq(local: str) -> str:
    return "{%s}%s" % (DC, local)


def normalise_namespace(root: etree._Element) -> etree._Element:
    """A copy of ``root`` with legacy EBUCore namespaces renamed to the current one."""
    if not is_legacy_ebucore(etree.QName(root).namespace):
        return root
    copy = etree.fromstring(etree.tostring(root))
    for element in copy.iter():
        if isinstance(element.tag, str):
            name = etree.QName(element)
            if is_legacy_ebucore(name.namespace):
                element.tag = _q(name.localname)
    etree.cleanup_namespaces(copy, top_nsmap={"ebucore": EBUCORE, "dc": DC})
    return copy


def _children(element: etree._Element) -> list[etree._Element]:
    """Child elements, without comments and processing instructions."""
    return list(element.iterchildren(etree.Element))


def _attributes_within(element: etree._Element, allowed: frozenset[str]) -> bool:
    return all(name in allowed for name in element.keys())


def _has_only(element: etree._Element, attributes: frozenset[str], children: set[str]) -> bool:
    return _attributes_within(element, attributes) and all(
        child.tag in children for child in element.iterchildren(etree.Element)
    )


def _text(element: etree._Element) -> str:
    return element.text or ""


_TYPE_LABEL = frozenset({"typeLabel"})
_LANG = frozenset({XML_LANG})
_NOTHING: frozenset[str] = frozenset()


def _dc_texts(element: etree._Element, dc_local: str, type_: str | None) -> list[Text] | None:
    """The dc:* texts of a typed EBUCore element, or None if it holds more than that.

    Element trees are walked once per element (finds and sets cost more than the
    mapping itself, and a harvest reads every record through here)."""
    if not _attributes_within(element, _TYPE_LABEL):
        return None
    tag = _dcq(dc_local)
    texts = []
    for child in element.iterchildren(etree.Element):
        if child.tag != tag or len(child) or not _attributes_within(child, _LANG):
            return None
        texts.append(Text(child.text or "", child.get(XML_LANG), type_))
    return texts or None


def _serialise(element: etree._Element) -> str:
    """The element alone, declaring only the namespaces it uses, so its text is stable."""
    alone = copy.deepcopy(element)
    alone.tail = None
    etree.cleanup_namespaces(alone)
    return etree.tostring(alone, encoding="unicode")


_GIVEN_NAME, _FAMILY_NAME, _AFFILIATION = _q("givenName"), _q("familyName"), _q("affiliation")
_ORGANISATION, _ORGANISATION_NAME = _q("organisation"), _q("organisationName")
_PERIOD = _q("period")


def _affiliation(affiliation: etree._Element) -> str | None:
    """The organisation's name of an affiliation Navette writes, None if it holds more."""
    if len(affiliation) != 2:
        return None
    names: list[etree._Element] = []
    period = None
    for child in affiliation.iterchildren(etree.Element):
        if child.tag == _ORGANISATION:
            names += child.iterchildren(_ORGANISATION_NAME)
        elif child.tag == _PERIOD and period is None:
            period = child
    if len(names) != 1 or period is None or period.keys():
        return None
    return _text(names[0])


def _person(contact: etree._Element) -> Person | None:
    if contact.keys():
        return None
    given = family = None
    affiliations = []
    for child in contact.iterchildren(etree.Element):
        tag = child.tag
        if tag == _GIVEN_NAME:
            given = child if given is None else given
        elif tag == _FAMILY_NAME:
            family = child if family is None else family
        elif tag == _AFFILIATION:
            name = _affiliation(child)
            if name is None:
                return None
            affiliations.append(name)
        else:
            return None
    if family is None:
        return None
    return Person(
        family_name=_text(family),
        given_name=None if given is None else _text(given),
        affiliations=affiliations,
    )


_CONTACT_DETAILS, _ORGANISATION_DETAILS, _ROLE = (
    _q("contactDetails"),
    _q("organisationDetails"),
    _q("role"),
)
_ORGANISATION_CODE = _q("organisationCode")


def _our_role(role: etree._Element) -> bool:
    """A role as Navette writes it: its label, and the RoleCodeCS link of that label if any."""
    keys = role.keys()
    if keys == ["typeLabel"]:
        return terms.role_link(role.get("typeLabel")) is None
    return keys == ["typeLabel", "typeLink"] and role.get("typeLink") == terms.role_link(
        role.get("typeLabel")
    )


def _credit(entity: etree._Element, kind: str) -> Credit | str | None:
    """A credit, a laboratory code (str), or None when the entity is richer than that."""
    if entity.keys():
        return None
    roles, contacts, organisations = [], [], []
    for child in entity.iterchildren(etree.Element):
        tag = child.tag
        if tag == _ROLE:
            roles.append(child)
        elif tag == _CONTACT_DETAILS:
            contacts.append(child)
        elif tag == _ORGANISATION_DETAILS:
            organisations.append(child)
        else:
            return None
    if len(roles) != 1 or not _our_role(roles[0]):
        return None
    if len(contacts) > 1 or len(organisations) > 1 or not (contacts or organisations):
        return None
    role = roles[0].get("typeLabel")
    if role == terms.LABORATORY and kind == "contributor" and organisations and not contacts:
        details = organisations[0]
        codes = [
            code
            for holder in details.iterchildren(_ORGANISATION_CODE)
            for code in holder.iterchildren(_dcq("identifier"))
        ]
        if len(codes) == 1 and len(details) == 1 and not details.keys():
            return _text(codes[0])
        return None
    person = None
    if contacts:
        person = _person(contacts[0])
        if person is None:
            return None
    organisation = None
    if organisations:
        details = organisations[0]
        if details.keys() or len(details) != 1:
            return None
        names = list(details.iterchildren(_ORGANISATION_NAME))
        if len(names) != 1 or names[0].keys():
            return None
        organisation = _text(names[0])
    return Credit(role=role, kind=kind, person=person, organisation=organisation)


def _year(date: etree._Element) -> int | None:
    created = date.find(_q("created"))
    if date.attrib or len(date) != 1 or created is None or set(created.attrib) != {"year"}:
        return None
    value = created.get("year", "")
    return int(value) if re.fullmatch(r"\d{4}", value) else None


def _types(element: etree._Element) -> tuple[list[str], list[str]] | None:
    allowed = {_q("objectType"), _q("targetAudience")}
    if element.attrib or not _has_only(element, _NOTHING, allowed):
        return None
    objects, audiences = [], []
    for child in _children(element):
        if set(child.attrib) != {"typeLabel"} or len(child):
            return None
        (objects if child.tag == _q("objectType") else audiences).append(child.get("typeLabel"))
    return objects, audiences


_NORMAL_PLAY_TIME = _q("normalPlayTime")
_VIDEO_ATTRIBUTES = frozenset({"videoFormatDefinition"})
_MEDIUM, _VIDEO_FORMAT = _q("medium"), _q("videoFormat")
_AUDIO_FORMAT, _DURATION = _q("audioFormat"), _q("duration")
_ASPECT_RATIO, _TECHNICAL_BOOLEAN = _q("aspectRatio"), _q("technicalAttributeBoolean")
_FACTOR_NUMERATOR, _FACTOR_DENOMINATOR = _q("factorNumerator"), _q("factorDenominator")


def _bare(element: etree._Element) -> bool:
    """No attributes and no children: all it holds is its text."""
    return not element.keys() and not len(element)


def _only_child(element: etree._Element, tag: str) -> etree._Element | None:
    """The element's one child (comments count), if it is a bare ``tag``."""
    if len(element) != 1 or element[0].tag != tag or not _bare(element[0]):
        return None
    return element[0]


def _aspect_ratio(item: etree._Element) -> str | None:
    if item.items() != [("typeLabel", terms.ASPECT_RATIO)] or len(item) != 2:
        return None
    numerator, denominator = item[0], item[1]
    if numerator.tag != _FACTOR_NUMERATOR or denominator.tag != _FACTOR_DENOMINATOR:
        return None
    if not (_bare(numerator) and _bare(denominator)):
        return None
    return f"{_text(numerator)}:{_text(denominator)}"


def _format(element: etree._Element, record: Record) -> bool:
    """Fill the record's technical fields from a Navette-shaped format; False if foreign
    (anything it does not hold entirely is kept verbatim instead)."""
    if element.keys():
        return False
    found: dict[str, object] = {}
    for child in element.iterchildren(etree.Element):
        tag = child.tag
        if tag == _MEDIUM:
            if sorted(child.keys()) != ["typeDefinition", "typeLabel"] or len(child):
                return False
            role = child.get("typeDefinition")
            if role == terms.ORIGINAL_SUPPORT and "original_support" not in found:
                found["original_support"] = child.get("typeLabel")
            elif role == terms.DELIVERY_SUPPORT and "delivery_support" not in found:
                found["delivery_support"] = child.get("typeLabel")
            else:
                return False
        elif tag == _VIDEO_FORMAT:
            if "video" in found or not _attributes_within(child, _VIDEO_ATTRIBUTES):
                return False
            found["video"] = True
            if child.get("videoFormatDefinition") is not None:
                found["definition"] = child.get("videoFormatDefinition")
            for item in child.iterchildren(etree.Element):
                if item.tag == _ASPECT_RATIO and "aspect_ratio" not in found:
                    ratio = _aspect_ratio(item)
                    if ratio is None:
                        return False
                    found["aspect_ratio"] = ratio
                elif (
                    item.tag == _TECHNICAL_BOOLEAN
                    and item.items() == [("typeLabel", terms.COLOUR)]
                    and not len(item)
                    and "colour" not in found
                ):
                    found["colour"] = (item.text or "").strip() in ("true", "1")
                else:
                    return False
        elif tag == _AUDIO_FORMAT:
            if "sound" in found or child.keys() != ["audioPresenceFlag"] or len(child):
                return False
            found["sound"] = child.get("audioPresenceFlag") in ("true", "1")
        elif tag == _DURATION:
            play = _only_child(child, _NORMAL_PLAY_TIME)
            if "duration_seconds" in found or play is None or child.keys():
                return False
            seconds = parse_seconds(play.text or "")
            if seconds is None:
                return False
            found["duration_seconds"] = seconds
        else:
            return False
    found.pop("video", None)
    if any(getattr(record, name) is not None for name in found):
        return False
    for name, value in found.items():
        setattr(record, name, value)
    return True


def _time_value(element: etree._Element) -> str | None:
    children = _children(element)
    if element.attrib or len(children) != 1 or children[0].attrib:
        return None
    if children[0].tag not in (_q("timecode"), _q("normalPlayTime")):
        return None
    return _text(children[0])


_RELATION, _RELATION_LINK = _q("relation"), _q("relationLink")
_PART_START_TIME = _q("partStartTime")


def _keyframe(part: etree._Element) -> Keyframe | None:
    if part.items() != [("typeLabel", terms.KEYFRAME)]:
        return None
    children = _children(part)
    if len(children) != 2 or children[0].tag != _RELATION:
        return None
    relation, start = children
    if relation.items() != [("typeLabel", terms.KEYFRAME_IMAGE)]:
        return None
    link = _only_child(relation, _RELATION_LINK)
    play = _only_child(start, _NORMAL_PLAY_TIME)
    if link is None or play is None or start.tag != _PART_START_TIME or start.keys():
        return None
    return Keyframe(timecode=_text(play), image=_text(link))


def _part(element: etree._Element) -> Part:
    part = Part(part_id=element.get("partId"), name=element.get("partName"))
    extra_attributes = set(element.attrib) - {"partId", "partName"}
    if extra_attributes:
        raise _Foreign
    for child in _children(element):
        local = _local(child.tag)
        target = {
            "title": (part.titles, "title"),
            "description": (part.descriptions, "description"),
            "identifier": (part.identifiers, "identifier"),
            "relation": (part.relations, "relation"),
        }.get(local or "")
        if target is not None:
            texts = _dc_texts(child, target[1], child.get("typeLabel"))
            if texts is not None and (local != "title" or child.get("typeLabel") is None):
                target[0].extend(texts)
                continue
        if local == "partStartTime" and part.start is None:
            part.start = _time_value(child)
            if part.start is not None:
                continue
        if local == "partDuration" and part.duration is None:
            part.duration = _time_value(child)
            if part.duration is not None:
                continue
        if local in ("partStartTime", "partDuration", "partEndTime"):
            raise _Foreign
        part.extra_xml.append(_serialise(child))
    return part


class _Foreign(Exception):
    """Raised inside the reader when an element must be kept verbatim."""


def _plain_texts(dc_local: str, field: str, typed: bool) -> ChildReader:
    """A reader for an element holding only dc:``dc_local`` texts (``typed``: its
    typeLabel is kept as the texts' type; otherwise a typeLabel makes it foreign)."""

    def read(child: etree._Element, record: Record) -> bool:
        label = child.get("typeLabel")
        texts = _dc_texts(child, dc_local, label)
        if texts is None or (label is not None and not typed):
            return False
        getattr(record, field).extend(texts)
        return True

    return read


def _alternative_title(child: etree._Element, record: Record) -> bool:
    label = child.get("typeLabel")
    texts = _dc_texts(child, "title", label)
    if texts is None:
        return False
    if label == terms.SERIES:
        record.series.extend(Text(t.value, t.lang) for t in texts)
    else:
        record.alternative_titles.extend(texts)
    return True


def _agent(kind: str) -> ChildReader:
    def read(child: etree._Element, record: Record) -> bool:
        credit = _credit(child, kind)
        if credit is None:
            return False
        if isinstance(credit, str):
            record.laboratories.append(credit)
        else:
            record.credits.append(credit)
        return True

    return read


def _description(child: etree._Element, record: Record) -> bool:
    label = child.get("typeLabel")
    texts = _dc_texts(child, "description", label)
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
    texts = _dc_texts(child, "date", child.get("typeLabel"))
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
    return True


def _format_element(child: etree._Element, record: Record) -> bool:
    texts = None if child.keys() else _dc_texts(child, "format", None)
    if texts is not None and len(texts) == 1:
        record.formats.extend(texts)
        return True
    return _format(child, record)


#: Identifier labels whose value is a field of its own.
_SINGLE_IDENTIFIERS = {
    terms.LOCAL_IDENTIFIER: "identifier",
    terms.ITEM_NUMBER: "item_number",
    terms.LANDING_PAGE: "landing_page",
}


def _identifier(child: etree._Element, record: Record) -> bool:
    label = child.get("typeLabel")
    texts = _dc_texts(child, "identifier", label)
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
    codes = child.findall(_dcq("language"))
    if child.attrib or len(child) != 1 or len(codes) != 1 or codes[0].attrib:
        return False
    record.languages.append(_text(codes[0]))
    return True


_EXPLOITATION_ISSUES = _q("exploitationIssues")
_RIGHTS_LINK = _q("rightsLink")


def _rights_statement(child: etree._Element, record: Record) -> bool:
    """``rights/@typeLink`` (and its ``rightsLink``): the rights statement's URI."""
    links = {child.get("typeLink")} - {None}
    if len(child) == 1 and child[0].tag == _RIGHTS_LINK and _bare(child[0]):
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
    if child.get("typeLink") is not None or _only_child(child, _RIGHTS_LINK) is not None:
        return _rights_statement(child, record)
    label = child.get("typeLabel")
    issues = _only_child(child, _EXPLOITATION_ISSUES)
    if issues is not None and not child.keys():
        if record.distribution_restriction is not None:
            return False
        record.distribution_restriction = _text(issues)
        return True
    texts = _dc_texts(child, "rights", label)
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
    keyframe = _keyframe(child)
    if keyframe is not None:
        record.keyframes.append(keyframe)
        return True
    try:
        record.parts.append(_part(child))
    except _Foreign:
        return False
    return True


def _source(child: etree._Element, record: Record) -> bool:
    if child.attrib or len(child):
        return False
    record.sources.append(_text(child))
    return True


ChildReader = Callable[[etree._Element, Record], bool]

#: coreMetadata child (its tag) -> the reader that maps it into the record, returning
#: False when the model cannot hold all of it (the element is then kept verbatim).
_READERS: dict[str, ChildReader] = {
    _q("title"): _plain_texts("title", "titles", typed=False),
    _q("subject"): _plain_texts("subject", "subjects", typed=False),
    _q("relation"): _plain_texts("relation", "relations", typed=True),
    _q("coverage"): _plain_texts("coverage", "coverage", typed=False),
    _q("alternativeTitle"): _alternative_title,
    _q("creator"): _agent("creator"),
    _q("contributor"): _agent("contributor"),
    _q("publisher"): _agent("publisher"),
    _q("description"): _description,
    _q("date"): _date,
    _q("type"): _type,
    _q("format"): _format_element,
    _q("identifier"): _identifier,
    _q("language"): _language,
    _q("rights"): _rights,
    _q("part"): _part_element,
    _dcq("source"): _source,
}


def _read_child(child: etree._Element, record: Record) -> bool:
    """Map one coreMetadata child into the record; False if it must be kept verbatim."""
    reader = _READERS.get(child.tag)
    return reader is not None and reader(child, record)


def core_root(root: etree._Element) -> etree._Element:
    """The ``coreMetadata`` element of a document rooted at ebuCoreMain or coreMetadata."""
    root = normalise_namespace(root)
    if root.tag == _q("coreMetadata"):
        return root
    if root.tag != _q("ebuCoreMain"):
        raise MappingError(
            f"not an EBUCore document: the root element is {root.tag}, "
            f"expected {{{EBUCORE}}}ebuCoreMain"
        )
    core = root.find(_q("coreMetadata"))
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
    for child in _children(core):
        if not _read_child(child, record):
            record.extra_xml.append(_serialise(child))
    main = core.getparent()
    if main is not None:
        provider = main.find(_q("metadataProvider"))
        if provider is not None:
            names = provider.findall(f"{_q('organisationDetails')}/{_q('organisationName')}")
            if len(names) == 1:
                record.source_archive = _text(names[0])
    if not record.identifier:
        record.identifier = identifier
    if not record.identifier:
        raise MappingError("the document carries no identifier and none was given")
    return record
