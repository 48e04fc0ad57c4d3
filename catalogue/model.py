"""The catalogue record, as the video library describes a film.

The model keeps the structure of the library's data sheet (a person keeps family
name, given name and ordered affiliations; every text keeps its language) so that
no crosswalk has to guess what a flattened string meant.  It is plain data: the
crosswalks in ``mappings`` and the tables in ``catalogue.tables`` read and write it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import quote, urlsplit, urlunsplit

#: Credit kinds: who stands behind the camera (creator), in front of it or beside it
#: (contributor), or distributes the film (publisher).  They follow EBUCore's
#: creator / contributor / publisher and Dublin Core's elements of the same names.
CREDIT_KINDS = ("creator", "contributor", "publisher")

#: Video definitions the library uses on its data sheets.
DEFINITIONS = ("SD", "HD", "4K")


@dataclass
class Text:
    """A piece of text with its language and, where it matters, its kind.

    ``type`` carries the label of an alternative title, a description, an
    identifier, a date, a relation or a rights statement (EBUCore's ``typeLabel``).
    """

    value: str
    lang: str | None = None
    type: str | None = None


@dataclass
class Person:
    family_name: str
    given_name: str | None = None
    #: Laboratories, universities and agencies, in the order the data sheet gives them.
    affiliations: list[str] = field(default_factory=list)


@dataclass
class Credit:
    """Someone who made the film: a person or an organisation, with a role."""

    role: str
    kind: str = "contributor"
    person: Person | None = None
    organisation: str | None = None
    #: The name as the source wrote it, where that is not how Navette writes the person
    #: ('Schell , Jeff'): formats that carry a name as text give it back so.  Without a
    #: person or an organisation, the credit is an agent named as written whose source
    #: does not say whether it is a person or an organisation (a DC creator "Jane Smith").
    written: str | None = None

    @property
    def unqualified(self) -> bool:
        """Named only as written: neither said to be a person nor an organisation."""
        return self.person is None and self.organisation is None

    def agent(self) -> tuple:
        """Who is credited, whatever the role: the same agent in two roles is one."""
        person = self.person
        who = person and (person.family_name, person.given_name, tuple(person.affiliations))
        return (self.organisation, who, self.written if self.unqualified else None)


def agents(credits: list[Credit], in_order: bool = False) -> list[tuple[Credit, list[str]]]:
    """Each agent once, with its roles in the order they came.

    A format that names an agent with several roles (MODS's name) names Wes Anderson
    once as director, screenwriter and producer, not three times.  ``in_order`` (for
    EBUCore, whose entity is read back as credits): only credits that follow one another
    are one agent, of the same kind (creator, contributor) and each role once, so the
    credits come back in their order, repeats included.
    """
    if in_order:
        runs: list[tuple[Credit, list[str]]] = []
        for credit in credits:
            if runs and _continues(runs[-1], credit):
                runs[-1][1].append(credit.role)
            else:
                runs.append((credit, [credit.role]))
        return runs
    grouped: dict[tuple, tuple[Credit, list[str]]] = {}
    for credit in credits:
        roles = grouped.setdefault(credit.agent(), (credit, []))[1]
        if credit.role not in roles:
            roles.append(credit.role)
    return list(grouped.values())


def _continues(run: tuple[Credit, list[str]], credit: Credit) -> bool:
    first, roles = run
    return (first.kind, first.agent(), first.written) == (
        credit.kind,
        credit.agent(),
        credit.written,
    ) and credit.role not in roles


@dataclass
class Keyframe:
    """One image of the storyboard: where it stands in the film and where it lives."""

    timecode: str
    image: str


@dataclass
class Part:
    """A segment of a programme (EBUCore ``part``), kept with its own description."""

    part_id: str | None = None
    name: str | None = None
    titles: list[Text] = field(default_factory=list)
    descriptions: list[Text] = field(default_factory=list)
    identifiers: list[Text] = field(default_factory=list)
    relations: list[Text] = field(default_factory=list)
    start: str | None = None
    duration: str | None = None
    #: EBUCore elements of the part that the model has no field for, kept verbatim.
    extra_xml: list[str] = field(default_factory=list)


@dataclass
class Provenance:
    """Where a harvested record came from: the OAI ``originDescription`` fields."""

    base_url: str
    identifier: str
    datestamp: str
    metadata_namespace: str
    harvest_date: datetime
    altered: bool = True
    #: The partner's own ``originDescription``, kept as it came, to nest ours around it.
    earlier_xml: str | None = None


#: The longest record identifier the catalogue keeps (characters): long enough for URLs
#: and partners' prefixed OAI identifiers, short enough for PostgreSQL's index rows.
IDENTIFIER_LENGTH = 500
#: The DCMI type of the library's own films (``mappings.resource_types`` has the others).
MOVING_IMAGE = "MovingImage"


@dataclass
class Record:
    """A catalogue record: one film of the library, or what a partner describes."""

    identifier: str
    titles: list[Text] = field(default_factory=list)
    alternative_titles: list[Text] = field(default_factory=list)
    series: list[Text] = field(default_factory=list)
    abstracts: list[Text] = field(default_factory=list)
    descriptions: list[Text] = field(default_factory=list)
    duration_seconds: int | None = None
    production_year: int | None = None
    dates: list[Text] = field(default_factory=list)
    definition: str | None = None
    aspect_ratio: str | None = None
    colour: bool | None = None
    sound: bool | None = None
    original_support: str | None = None
    delivery_support: str | None = None
    credits: list[Credit] = field(default_factory=list)
    laboratories: list[str] = field(default_factory=list)
    #: A laboratory's name by its code, where the source gave it (the seed's sheet does not).
    laboratory_names: dict[str, str] = field(default_factory=dict)
    process: list[Text] = field(default_factory=list)
    notes: list[Text] = field(default_factory=list)
    rights: list[Text] = field(default_factory=list)
    distribution_restriction: str | None = None
    #: The rights statement as a URI (rightsstatements.org or Creative Commons): what
    #: Europeana's edm:rights requires, and what EBUCore carries as rights/@typeLink.
    rights_uri: str | None = None
    subjects: list[Text] = field(default_factory=list)
    audiences: list[str] = field(default_factory=list)
    object_types: list[str] = field(default_factory=list)
    #: The kind of resource, a DCMI Type term (``mappings.resource_types``), as the source
    #: stated it; None where it did not, and then no format is told one.
    resource_type: str | None = None
    #: dc:format values the model cannot type (MIME types, sizes, page counts), as stated.
    formats: list[Text] = field(default_factory=list)
    item_number: str | None = None
    identifiers: list[Text] = field(default_factory=list)
    landing_page: str | None = None
    languages: list[str] = field(default_factory=list)
    keyframes: list[Keyframe] = field(default_factory=list)
    relations: list[Text] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    coverage: list[Text] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    #: The archive the record belongs to (ours, or the partner it was harvested from).
    source_archive: str | None = None
    #: EBUCore elements the model has no field for (technical formats of foreign
    #: documents, events, ...), kept verbatim so that re-export loses nothing.
    extra_xml: list[str] = field(default_factory=list)
    #: The attributes of a partner's ``ebuCoreMain`` (its documentId, dateLastModified,
    #: writingLibraryName, xml:lang, ...; Clark-notation names), written back on it.
    ebucore_attributes: dict[str, str] = field(default_factory=dict)
    #: MARC fields of a partner's MARC record that the MARC writer would not give back
    #: as they came (MARCXML ``datafield``/``controlfield`` elements), kept verbatim.
    marc_fields: list[str] = field(default_factory=list)
    #: The leader of a partner's MARC record, written back with the record's own type,
    #: level and encoding (positions 05-09 and 17-19).
    marc_leader: str | None = None
    #: The top-level elements of a partner's MODS record, kept verbatim and written back.
    mods_elements: list[str] = field(default_factory=list)
    #: A partner's EDM document (``rdf:RDF``), kept verbatim and written back.
    edm_document: str | None = None

    # What the store and the OAI header carry rather than the metadata itself.
    sets: list[str] = field(default_factory=list)
    provenance: Provenance | None = None
    datestamp: datetime | None = None
    deleted: bool = False

    def title(self, lang: str | None = None) -> str:
        """The title to show: in ``lang`` when there is one, else the first."""
        for text in self.titles:
            if lang is None or text.lang == lang:
                return text.value
        return self.titles[0].value if self.titles else self.identifier


# --- Links a record may carry: web addresses, never code -------------------------------
#
# A landing page or a storyboard image ends up in an ``href`` or ``src`` of pages people
# open (the OAI browser view, the admin pages): a ``javascript:`` or ``data:`` link
# there runs script on our origin.  Every door (native files, EBUCore, oai_dc, harvest)
# goes through the same preparation, which refuses a record holding one.

#: The schemes a link may use (docs/mappings.md, "Links").
WEB_SCHEMES = ("http", "https")


#: A space or a control character, which a browser strips from a link.
_STRIPPED = re.compile(r"[\x00-\x20]")


def is_web_url(value: str) -> bool:
    """An absolute http(s) URL with a host, and no characters a browser would strip."""
    if value != value.strip() or _STRIPPED.search(value) is not None:
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.netloc)


#: What RFC 3986 allows in a URI besides letters and digits ('%' begins an escape).
_URI_SAFE = "-._~:/?#[]@!$&'()*+,;=%"
_LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def as_uri(value: str) -> str | None:
    """The web address as a URI, fit for an HTTP header or a link: the host in IDNA
    ('例え.jp' -> 'xn--r8jz45g.jp'), every character outside RFC 3986 percent-encoded as
    UTF-8 (so '>' or '"' cannot end a Link header's target).  None when it cannot be made
    one: not an http(s) URL, a host IDNA refuses, a port that is no number."""
    if not is_web_url(value):
        return None
    parts = urlsplit(value)
    try:
        host = (parts.hostname or "").encode("idna").decode("ascii")
        port = f":{parts.port}" if parts.port is not None else ""
    except (UnicodeError, ValueError):
        return None
    if not host:
        return None
    host = f"[{host}]" if ":" in host else host
    user = parts.netloc.rpartition("@")[0]
    user = f"{_escaped(user)}@" if user else ""
    path, query, fragment = (_escaped(p) for p in (parts.path, parts.query, parts.fragment))
    return urlunsplit((parts.scheme.lower(), f"{user}{host}{port}", path, query, fragment))


def _escaped(text: str) -> str:
    return quote(_LONE_PERCENT.sub("%25", text), safe=_URI_SAFE)


def unsafe_links(record: Record) -> list[str]:
    """Each link of the record that is not a web address, said in words."""
    found = []
    for name, value in (
        ("landing page", record.landing_page),
        ("rights statement", record.rights_uri),
    ):
        if value is not None and not is_web_url(value):
            found.append(f"its {name} {value!r} is not an http(s) URL")
        elif value is not None and as_uri(value) is None:
            found.append(f"its {name} {value!r} cannot be written as a URI (its host or port)")
    for keyframe in record.keyframes:
        if not is_web_url(keyframe.image):
            found.append(f"its storyboard image {keyframe.image!r} is not an http(s) URL")
    return found
