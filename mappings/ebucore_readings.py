"""What the verbatim EBUCore of a record says, read the way EBUCore means it.

The EBUCore reader maps an element into the record's fields only when the model can hold
all of it; anything else (a ``title typeLabel="main"``, a role with a ``typeLink``, an
``organisationName typeLabel="acronym"``, an identifier with a ``formatLabel``) is kept
verbatim in ``extra_xml`` and written back as it came, so nothing is lost.  This module
reads the values such elements carry beside that verbatim copy: the element decides what
a value is, its ``typeLabel``/``typeLink``/``typeDefinition`` refine it, matched without
regard to case and through the MARC relator vocabulary for roles.  ``understood`` gives
the record with those values added, for what is derived from the record (simple DC, set
memberships) and never for EBUCore, which the verbatim copy already says.

One small reader per element, registered in ``READERS``.
"""

from __future__ import annotations

import copy
import re
import threading
from collections.abc import Callable
from dataclasses import replace

from lxml import etree

from catalogue.model import Credit, Person, Record, Text, is_web_url
from mappings import ebucore_terms as terms
from mappings.relators import LABELS
from protocol.namespaces import DC, EBUCORE, XML_LANG

_E = "{%s}" % EBUCORE
_DC = "{%s}" % DC

#: MARC relator codes of the roles a film credits, with the label the catalogue uses; a
#: role's typeLabel or typeLink is matched against both.
RELATORS = LABELS
_ROLE_LABELS = {label.lower(): label for label in RELATORS.values()}

Reader = Callable[[etree._Element, Record], None]


def _key(label: str | None) -> str:
    """A label compared without case, spaces or punctuation: 'Item No.' -> 'itemno'."""
    return re.sub(r"[\W_]+", "", (label or "").lower())


def _label(element: etree._Element) -> str | None:
    return element.get("typeLabel") or element.get("formatLabel")


def _texts(element: etree._Element, dc_local: str) -> list[Text]:
    """The dc:``dc_local`` texts an element holds, with their languages, each as the
    source wrote it, as Navette's own EBUCore reader keeps it: a statement reads the
    same in either shape."""
    return [
        Text(child.text or "", child.get(XML_LANG), _label(element))
        for child in element.iter(_DC + dc_local)
    ]


def _plain(texts: list[Text]) -> list[Text]:
    return [Text(t.value, t.lang) for t in texts]


def title(element: etree._Element, record: Record) -> None:
    record.titles.extend(_plain(_texts(element, "title")))


def alternative_title(element: etree._Element, record: Record) -> None:
    texts = _texts(element, "title")
    if _key(_label(element)) in ("series", "seriestitle", "serie"):
        record.series.extend(_plain(texts))
    else:
        record.alternative_titles.extend(texts)


def _role(entity: etree._Element, kind: str) -> str:
    for role in entity.iter(_E + "role"):
        label = (role.get("typeLabel") or "").strip()
        if label.lower() in _ROLE_LABELS:
            return _ROLE_LABELS[label.lower()]
        link = role.get("typeLink") or ""
        if terms.role_for_link(link):
            return terms.role_for_link(link)
        code = re.split(r"[/#]", link.rstrip("/"))[-1].lower() if link else ""
        if code in RELATORS:
            return RELATORS[code]
        if label.lower() in RELATORS:
            return RELATORS[label.lower()]
        if label:
            return label
    return kind.capitalize()


def _contact(contact: etree._Element, role: str, kind: str) -> Credit | None:
    # Names as the source wrote them, spaces and all, as Navette's own reader keeps them.
    family = contact.findtext(_E + "familyName")
    given = contact.findtext(_E + "givenName")
    if family is not None:
        affiliations = [
            name
            for affiliation in contact.iter(_E + "affiliation")
            if (name := affiliation.findtext(f".//{_E}organisationName")) is not None
        ]
        return Credit(role=role, kind=kind, person=Person(family, given, affiliations))
    name = contact.findtext(_E + "name")
    if name is None:
        name = contact.findtext(_E + "username")
    if name is not None:
        # A name in one piece cannot be split into family and given names: it is shown
        # as written.
        return Credit(role=role, kind=kind, organisation=name)
    return None


def agent(kind: str) -> Reader:
    """A reader for ``creator``, ``contributor`` or ``publisher``."""

    def read(element: etree._Element, record: Record) -> None:
        role = _role(element, kind)
        if _key(role) == _key(terms.LABORATORY):
            codes = [code.text or "" for code in element.iter(_DC + "identifier")]
            record.laboratories.extend(codes)
            names = [name.text or "" for name in element.iter(_E + "organisationName")]
            if len(codes) == 1 and len(names) == 1 and names[0]:
                record.laboratory_names.setdefault(codes[0], names[0])
            return
        for contact in element.iter(_E + "contactDetails"):
            credit = _contact(contact, role, kind)
            if credit is not None:
                record.credits.append(credit)
                return
        for name in element.iter(_E + "organisationName"):
            record.credits.append(Credit(role=role, kind=kind, organisation=name.text or ""))
            return

    return read


def subject(element: etree._Element, record: Record) -> None:
    record.subjects.extend(_plain(_texts(element, "subject")))


def description(element: etree._Element, record: Record) -> None:
    texts = _texts(element, "description")
    kind = _key(_label(element))
    if kind in ("abstract", "summary", "synopsis", "shortdescription", "longdescription"):
        record.abstracts.extend(_plain(texts))
    elif kind == _key(terms.PROCESS):
        record.process.extend(_plain(texts))
    elif kind == _key(terms.NOTES):
        record.notes.extend(_plain(texts))
    else:
        record.descriptions.extend(texts)


def date(element: etree._Element, record: Record) -> None:
    for created in element.iter(_E + "created", _E + "released", _E + "issued"):
        year = created.get("year") or (created.get("startYear"))
        if year and re.fullmatch(r"\d{4}", year) and record.production_year is None:
            record.production_year = int(year)
    record.dates.extend(_texts(element, "date"))


def identifier(element: etree._Element, record: Record) -> None:
    kind = _key(_label(element))
    for text in _texts(element, "identifier"):
        if kind in ("itemno", "itemnumber") and record.item_number is None:
            record.item_number = text.value
        elif (
            kind in ("landingpage", "url")
            and is_web_url(text.value.strip())
            and not record.landing_page
        ):
            record.landing_page = text.value.strip()
        elif kind != _key(terms.LOCAL_IDENTIFIER):
            record.identifiers.append(text)


def language(element: etree._Element, record: Record) -> None:
    record.languages.extend(t.value.strip() for t in _texts(element, "language"))


def rights(element: etree._Element, record: Record) -> None:
    texts = _texts(element, "rights")
    if _key(_label(element)) == _key(terms.DISTRIBUTION_RESTRICTION) and len(texts) == 1:
        record.distribution_restriction = record.distribution_restriction or texts[0].value
    else:
        record.rights.extend(texts)
    for issues in element.iter(_E + "exploitationIssues"):
        if issues.text and record.distribution_restriction is None:
            record.distribution_restriction = issues.text
    for holder in element.iter(_E + "rightsHolder"):
        for name in holder.iter(_E + "organisationName", _E + "name"):
            if name.text:
                record.rights.append(Text(name.text, type="Rights holder"))


def relation(element: etree._Element, record: Record) -> None:
    values = _texts(element, "relation")
    for link in element.iter(_E + "relationLink"):
        if (link.text or "").strip():
            values.append(Text(link.text.strip(), type=_label(element)))
    if _key(_label(element)) in ("series", "seriestitle") or element.tag in (
        _E + "isEpisodeOf",
        _E + "isMemberOf",
    ):
        record.series.extend(_plain(values))
    else:
        record.relations.extend(values)


def coverage(element: etree._Element, record: Record) -> None:
    record.coverage.extend(_plain(_texts(element, "coverage")))


def type_(element: etree._Element, record: Record) -> None:
    for kind in element.iter(_E + "objectType", _E + "genre"):
        if kind.get("typeLabel"):
            record.object_types.append(kind.get("typeLabel"))
    for audience in element.iter(_E + "targetAudience"):
        if audience.get("typeLabel"):
            record.audiences.append(audience.get("typeLabel"))


_RELATIONS = (
    "relation isVersionOf hasVersion isReplacedBy replaces isRequiredBy requires isPartOf "
    "hasPart isReferencedBy references isFormatOf hasFormat isEpisodeOf isMemberOf hasMember "
    "sameAs hasTrackPart isNextInSequence followsInSequence"
).split()

#: coreMetadata element (local name) -> its reader.
READERS: dict[str, Reader] = {
    "title": title,
    "alternativeTitle": alternative_title,
    "creator": agent("creator"),
    "contributor": agent("contributor"),
    "publisher": agent("publisher"),
    "subject": subject,
    "description": description,
    "date": date,
    "type": type_,
    "identifier": identifier,
    "language": language,
    "rights": rights,
    "coverage": coverage,
    **dict.fromkeys(_RELATIONS, relation),
}


def _relabelled(reading: Record) -> None:
    """Typed texts whose label, read without case, names a field of their own."""
    keep = []
    for text in reading.alternative_titles:
        if _key(text.type) in ("series", "seriestitle", "serie"):
            reading.series.append(Text(text.value, text.lang))
        else:
            keep.append(text)
    reading.alternative_titles = keep
    keep = []
    for text in reading.identifiers:
        kind = _key(text.type)
        if kind in ("itemno", "itemnumber") and reading.item_number is None:
            reading.item_number = text.value
        else:
            keep.append(text)
    reading.identifiers = keep
    for credit in reading.credits:
        credit.role = _vocabulary_role(credit.role) or credit.role


def _vocabulary_role(role: str) -> str | None:
    """The catalogue's label for a role written in another case or as a relator code."""
    lowered = role.lower()
    canonical = _ROLE_LABELS.get(lowered) or RELATORS.get(lowered)
    return canonical if canonical != role else None


def _needs_reading(record: Record) -> bool:
    return (
        bool(record.extra_xml)
        or any(text.type for text in (*record.alternative_titles, *record.identifiers))
        or any(_vocabulary_role(credit.role) for credit in record.credits)
    )


#: The last record understood in this thread and its reading: each writer asks for the
#: reading of the record it writes, and a record is written in every format in turn.
_last = threading.local()


def understood(record: Record) -> Record:
    """The record with what its verbatim EBUCore elements say added to its fields.

    Read once per record, not once per writer: the four writers that ask in turn for the
    same record (the same object, which no one changes once read) share one reading.
    Before, each made its own, with a deep copy of the record: 44 % of a harvest of
    EBUCore written the ordinary way (issue 33)."""
    if not _needs_reading(record):
        return record
    last = getattr(_last, "pair", None)
    if last is not None and last[0] is record:
        return last[1]
    reading = _copy(record)
    _relabelled(reading)
    for xml in record.extra_xml:
        try:
            element = etree.fromstring(xml)
        except etree.XMLSyntaxError:
            continue
        name = etree.QName(element)
        reader = READERS.get(name.localname) if name.namespace == EBUCORE else None
        if reader is not None:
            reader(element, reading)
    _last.pair = (record, reading)
    return reading


def _copy(record: Record) -> Record:
    """A copy the readers may add to: its lists new, and its credits, whose roles are
    relabelled; the texts, people and values the readers only read are shared."""
    lists = {name: list(value) for name, value in vars(record).items() if isinstance(value, list)}
    lists["credits"] = [copy.copy(credit) for credit in record.credits]
    return replace(record, **lists)
