"""MARCXML bibliographic record -> catalogue record, for library partners that offer MARC.

A table of small readers, one per tag, takes what each field says (titles, names with
their relators, dates, duration, summary, subjects, rights, links...) for the other
formats.  The partner's MARC itself is kept whole: its leader and every field as it
came (``Record.marc_leader``, ``Record.marc_fields``), so that MARC in -> record -> MARC
gives the library's record back, with only Navette's own 035 added (``marc_out``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree

from catalogue.model import Credit, Keyframe, Person, Record, Text, is_web_url
from mappings import marc_out, resource_types
from mappings.dc_in import is_web_page
from mappings.laboratories import parse_laboratory
from mappings.marc_fields import Field, from_element, to_xml
from mappings.people import parse_person
from mappings.relators import label_for
from protocol.namespaces import MARC

_RECORD = "{%s}record" % MARC
_LEADER = "{%s}leader" % MARC
#: ISBD punctuation a cataloguer ends a subfield with (" /", " :", " ;", ",", ".", " =").
_ISBD_END = re.compile(r"\s*[/:;,=]\s*$|(?<![A-Z])\.$")
_DURATION = re.compile(
    r"(?:(?P<h>\d+)\s*h(?:r|our)s?\.?,?\s*)?(?:(?P<m>\d+)\s*min(?:\.|utes?)?,?\s*)?"
    r"(?:(?P<s>\d+)\s*sec(?:\.|onds?)?)?"
)
_YEAR = re.compile(r"\b(\d{4})\b")
#: An extent given as an estimate ('ca. 3000 min.') is not an exact running time.
_APPROXIMATE = re.compile(r"\b(ca\.|circa|approx\.?|approximately|about)\s", re.IGNORECASE)
CONTROL_NUMBER = "Control number"
CREATOR_ROLES = {"Director", "Producer", "Author", "Creator", "Screenwriter", "Filmmaker"}


class NotMarc(ValueError):
    """The element is not a MARCXML bibliographic record."""


def clean(value: str) -> str:
    """'Zhu fu /' -> 'Zhu fu': the value without its closing ISBD punctuation."""
    return _ISBD_END.sub("", value.strip()).strip()


def records_in(element: etree._Element) -> list[etree._Element]:
    """The ``record`` elements of a MARCXML ``collection`` (or the record itself)."""
    if element.tag == _RECORD:
        return [element]
    return list(element.iter(_RECORD))


# --- readers, one per tag --------------------------------------------------------


def _008(field: Field, record: Record) -> None:
    value = field.value or ""
    if len(value) >= 38 and record.production_year is None and value[7:11].isdigit():
        record.production_year = int(value[7:11])
    language = value[35:38] if len(value) >= 38 else ""
    if language.isalpha() and language not in ("und", "zxx", "mul"):
        record.languages.append(language)


def _identifier(label: str) -> Callable[[Field, Record], None]:
    def read(field: Field, record: Record) -> None:
        for value in field.all("a"):
            if value.startswith("(navette)"):
                continue  # ours: the record's own identifier, written again on the way out
            record.identifiers.append(Text(value, type=label))

    return read


def _001(field: Field, record: Record) -> None:
    if field.value and field.value != record.identifier:
        record.identifiers.append(Text(field.value, type=CONTROL_NUMBER))


def _037(field: Field, record: Record) -> None:
    """The stock number; $b is where it can be bought (a vendor), never the archive."""
    record.item_number = record.item_number or field.first("a")


def _041(field: Field, record: Record) -> None:
    for code in field.all("a"):
        if code not in record.languages:
            record.languages.append(code)


def _245(field: Field, record: Record) -> None:
    parts = [clean(v) for v in field.all("a", "b", "n", "p") if clean(v)]
    if parts:
        record.titles.insert(0, Text(" : ".join(parts)))


def _246(field: Field, record: Record) -> None:
    title = clean(" ".join(field.all("a", "b")))
    if not title:
        return
    if field.ind2 == "1":
        record.titles.append(Text(title))
    else:
        record.alternative_titles.append(Text(title))


#: 264's second indicator: the function of the entity in $b.
_264_ROLES = {"0": "Producer", "1": "Publisher", "2": "Distributor", "3": "Manufacturer"}
_BRACKETED_ROLE = re.compile(r"\s*\[(?P<role>[^\]]+)\]\s*$")


def _publication(field: Field, record: Record) -> None:
    """260/264: each $b is an agent credited with the field's function ('[distributor]'
    after a name in 260 says so); $c gives the year."""
    role = "Publisher" if field.tag == "260" else _264_ROLES.get(field.ind2)
    for value in field.all("b") if role else []:
        name = clean(value)
        said = _BRACKETED_ROLE.search(name)
        label = (label_for(said["role"]) or role) if said else role
        name = _BRACKETED_ROLE.sub("", name).strip() if said else name
        if name:
            kind = "creator" if label == "Producer" else "publisher"
            record.credits.append(Credit(label, kind, organisation=name))
    for value in field.all("c"):
        year = _YEAR.search(value)
        if year and record.production_year is None and field.ind2 != "4":
            record.production_year = int(year.group(1))


def seconds_in(text: str) -> int | None:
    """'1 video file (9 min., 52 sec.)' -> 592; '1 videodisc (94 min.)' -> 5640."""
    for match in _DURATION.finditer(text):
        if any(match.group(g) for g in "hms"):
            h, m, s = (int(match.group(g) or 0) for g in "hms")
            return h * 3600 + m * 60 + s
    return None


def _300(field: Field, record: Record) -> None:
    extent = clean(" ".join(field.all("a")))
    seconds = None if _APPROXIMATE.search(extent) else seconds_in(extent)
    if seconds is None and extent:
        record.formats.append(Text(extent))  # no exact running time: the words as written
    if record.duration_seconds is None:
        record.duration_seconds = seconds
    details = " ".join(field.all("b")).lower()
    if re.search(r"\bsilent\b|\bsi\b", details):
        record.sound = False
    elif re.search(r"\bsound\b|\bsd\b", details):
        record.sound = True
    if re.search(r"black and white|\bb&w\b|\bb\s*&\s*w\b", details):
        record.colour = False
    elif re.search(r"\bcolou?r\b|\bcol\b", details):
        record.colour = True


def _306(field: Field, record: Record) -> None:
    value = field.first("a") or ""
    if len(value) == 6 and value.isdigit():
        record.duration_seconds = int(value[:2]) * 3600 + int(value[2:4]) * 60 + int(value[4:])


def _series(field: Field, record: Record) -> None:
    title = clean(" ".join(field.all("a")))
    if title and title not in [t.value for t in record.series]:
        record.series.append(Text(title))


def _500(field: Field, record: Record) -> None:
    text = field.first("a") or ""
    label, _, value = text.partition(": ")
    name = marc_out.LABELLED_NOTES.get(label)
    if name == "laboratories":
        for line in filter(str.strip, value.split(" ; ")):
            code, laboratory = parse_laboratory(line)
            record.laboratories.append(code)
            if laboratory:
                record.laboratory_names[code] = laboratory
    elif name in ("process", "dates", "relations", "coverage"):
        getattr(record, name).append(Text(value))
    elif name == "sources":
        record.sources.append(value)
    elif name in ("original_support", "delivery_support"):
        setattr(record, name, value)
    elif text:
        record.notes.append(Text(text))


def _506(field: Field, record: Record) -> None:
    record.distribution_restriction = record.distribution_restriction or field.first("a")


def _520(field: Field, record: Record) -> None:
    text = " ".join(field.all("a", "b"))
    if text:
        (record.abstracts if field.ind1 == "3" else record.descriptions).append(Text(text))


def _521(field: Field, record: Record) -> None:
    record.audiences += field.all("a")


def _538(field: Field, record: Record) -> None:
    for word in (field.first("a") or "").split():
        if word in ("SD", "HD", "4K") and record.definition is None:
            record.definition = word
        elif re.fullmatch(r"\d+(\.\d+)?:\d+", word) and record.aspect_ratio is None:
            record.aspect_ratio = word


def _540(field: Field, record: Record) -> None:
    record.rights += [Text(value) for value in field.all("a")]
    for uri in field.all("u"):
        if is_web_url(uri) and record.rights_uri is None:
            record.rights_uri = uri


def _subject(field: Field, record: Record) -> None:
    parts = [clean(v) for v in field.all("a", "b", "x", "y", "z", "v") if clean(v)]
    if parts:
        record.subjects.append(Text(" -- ".join(parts)))


def _roles(field: Field) -> list[str]:
    """Every role the field names, by code ($4) or term ($e), each once: a director who
    wrote and produced the film keeps all three."""
    roles = [label_for(code) for code in field.all("4")]
    roles += [label_for(term) or clean(term).capitalize() for term in field.all("e")]
    return list(dict.fromkeys(role for role in roles if role))


def _name(field: Field, record: Record) -> None:
    name = clean(" ".join(field.all("a")))
    if not name:
        return
    main = field.tag in ("100", "110")
    for role in _roles(field) or ["Creator" if main else "Contributor"]:
        kind = "creator" if role in CREATOR_ROLES or main else "contributor"
        record.credits.append(_credit(field, name, role, kind))


def _credit(field: Field, name: str, role: str, kind: str) -> Credit:
    """A 100/700 is a person, a 110/710 a body; a 720 says which by its first indicator
    (1 personal, 2 other), and with none it is a name of no stated type."""
    if field.tag in ("100", "700") or (field.tag == "720" and field.ind1 == "1"):
        person = parse_person(name) or Person(name)
        affiliation = field.first("u")
        if affiliation:
            person.affiliations = [a.strip() for a in affiliation.split(";") if a.strip()]
        return Credit(role, kind, person=person)
    if field.tag == "720" and field.ind1 != "2":
        return Credit(role, kind, written=name)
    return Credit(role, kind, organisation=name)


def _655(field: Field, record: Record) -> None:
    """A genre or form term (655): what DC's type carries beside the DCMI type."""
    genre = clean(" ".join(field.all("a")))
    if genre and genre not in record.object_types:
        record.object_types.append(genre)


def _856(field: Field, record: Record) -> None:
    url = field.first("u")
    if not url or not is_web_url(url):
        return
    note = field.first("3") or ""
    if note.startswith("Storyboard image at "):
        record.keyframes.append(Keyframe(note.removeprefix("Storyboard image at "), url))
    elif record.landing_page is None and field.ind2 != "2" and is_web_page(url, field.first("q")):
        # 856 _2 is a related resource (a table of contents, a review), not the item's
        # page; $q states the file's media type (application/pdf is no landing page).
        record.landing_page = url


READERS: dict[str, Callable[[Field, Record], None]] = {
    "001": _001,
    "008": _008,
    "020": _identifier("ISBN"),
    "024": _identifier("Standard identifier"),
    "035": _identifier("System control number"),
    "037": _037,
    "041": _041,
    "100": _name,
    "110": _name,
    "245": _245,
    "246": _246,
    "260": _publication,
    "264": _publication,
    "300": _300,
    "306": _306,
    "490": _series,
    "500": _500,
    "506": _506,
    "520": _520,
    "521": _521,
    "538": _538,
    "540": _540,
    "600": _subject,
    "610": _subject,
    "611": _subject,
    "630": _subject,
    "650": _subject,
    "651": _subject,
    "655": _655,
    "700": _name,
    "710": _name,
    "720": _name,
    "830": _series,
    "856": _856,
}


def from_marc(element: etree._Element, identifier: str) -> Record:
    """The catalogue record of one MARCXML ``record`` (NotMarc if it is none)."""
    if element.tag != _RECORD:
        raise NotMarc(f"{element.tag} is not a MARCXML record")
    stated = element.findtext(_LEADER)
    leader = (stated or "").ljust(24)[:24]
    record = Record(identifier=identifier)
    fields = [f for f in map(from_element, element.iterchildren(etree.Element)) if f]
    for field in fields:
        reader = READERS.get(field.tag)
        if reader is not None:
            reader(field, record)
    record.languages = list(dict.fromkeys(record.languages))
    if any((f.first("a") or "").startswith("(navette)") for f in fields if f.tag == "035"):
        # Written by Navette, whose 037 $b names the archive the film comes from.
        record.source_archive = next((f.first("b") for f in fields if f.tag == "037"), None)
    # 260/264 $b and a 710 may name the same publisher or producer in the same role.
    record.credits = [c for n, c in enumerate(record.credits) if c not in record.credits[:n]]
    control = {f.tag: f.value or "" for f in fields if f.value is not None}
    content = [code for f in fields if f.tag == "336" for code in f.all("b")]
    record.resource_type = resource_types.from_marc(leader, control, content)
    record.marc_leader = leader if stated else None
    record.marc_fields = [to_xml(field) for field in fields if not _ours(field, record)]
    return record


def _ours(field: Field, record: Record) -> bool:
    """Navette's own 035 naming the record (written again on the way out)."""
    return field.tag == "035" and field.subfields == (("a", f"(navette){record.identifier}"),)
