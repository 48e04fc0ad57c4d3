"""Catalogue record -> MARC 21 bibliographic record (MARCXML) for a videorecording.

Follows the MARC 21 Format for Bibliographic Data for projected media (leader/06
``g``, 007 videorecording, 008 visual materials) with RDA content, media and
carrier types; names carry relator terms ($e) and codes ($4).  Fields a partner's
MARC record held that this writer would not give back as they came are kept
verbatim in ``Record.marc_fields`` and written in place of what it would make.
``docs/mappings.md`` lists each field, its source and what is lost.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from catalogue.model import MOVING_IMAGE, Credit, Record
from mappings.builder import Markup, foreign, to_text
from mappings.durations import to_extent
from mappings.ebucore_readings import understood
from mappings.laboratories import laboratory_lines
from mappings.marc_fields import MARC_E, NSMAP, Field, control, data, group, to_markup
from mappings.people import format_person
from mappings.publication import Publication
from mappings.relators import TERMS, code_for
from protocol.namespaces import MARC, MARC_SCHEMA_URL, XSI, qname

#: Credits whose people appear on screen: the 511 participants note; others go in 508.
ON_SCREEN = {"personality", "actor", "performer", "interviewee", "speaker", "narrator"}
#: ISO 639-1 -> MARC language codes, for the languages catalogues name with two letters.
LANGUAGES = {
    "ar": "ara", "de": "ger", "en": "eng", "es": "spa", "fr": "fre", "it": "ita",
    "ja": "jpn", "nl": "dut", "pl": "pol", "pt": "por", "ru": "rus", "zh": "chi",
}  # fmt: skip
#: 500 notes the writer labels so the reader can give each back to its field.
LABELLED_NOTES = {
    "Laboratory": "laboratories",
    "Audiovisual process": "process",
    "Original support": "original_support",
    "Delivery support": "delivery_support",
    "Date": "dates",
    "Relation": "relations",
    "Coverage": "coverage",
    "Source": "sources",
}


def marc_language(code: str) -> str | None:
    code = code.strip().lower()
    if len(code) == 3 and code.isalpha():
        return code
    return LANGUAGES.get(code.split("-")[0])


def _languages(record: Record) -> list[str]:
    """The film's languages as MARC codes (a title's language says nothing of the film's)."""
    codes = [marc_language(code) for code in record.languages]
    return [code for code in dict.fromkeys(codes) if code]


def _credits(record: Record) -> list[Credit]:
    """People (700), organisations (710), then names of no stated type (720), as the
    fields stand in tag order: the order every field naming credits uses, so a record
    read back writes them alike."""
    return sorted(record.credits, key=lambda credit: (credit.person is None, credit.unqualified))


#: A leader as MARCXML's schema takes it.
LEADER = re.compile(
    r"[\d ]{5}[\dA-Za-z ][\dA-Za-z][\dA-Za-z ]{3}(2| )(2| )[\d ]{5}[\dA-Za-z ]{3}(4500|    )"
)


def leader(record: Record) -> str:
    """A partner's leader as it came; where the schema refuses it, its status, type, level,
    encoding and cataloguing form (05-09, 17-19) with the lengths and the entry map made
    again.  Otherwise: new (n), projected medium (g), monograph (m), Unicode (a), ISBD
    punctuation omitted (c)."""
    theirs = record.marc_leader
    if theirs is not None and LEADER.fullmatch(theirs):
        return theirs
    if theirs is not None:
        return f"00000{theirs[5:10]}2200000{theirs[17:20]}4500"
    return "00000ngm a2200000 c 4500"


def lacks(record: Record) -> str | None:
    """Why the record cannot be written as MARC 21 without inventing its type."""
    if record.marc_leader is not None or record.resource_type == MOVING_IMAGE:
        return None
    kind = record.resource_type or "of a type its source did not state"
    return (
        f"Navette writes MARC 21 for moving images and for records that came as MARC; "
        f"this record is {kind}, and MARC's leader, 007 and 008 would have to guess at it"
    )


def _007(record: Record) -> Field:
    colour = {True: "c", False: "b", None: "u"}[record.colour]
    sound = {True: "a", False: " ", None: "u"}[record.sound]
    return control("007", f"vz {colour}z{sound}uzu")


def _running_time(record: Record) -> str:
    if record.duration_seconds is None:
        return "---"
    minutes = round(record.duration_seconds / 60) or 1
    return f"{minutes:03d}" if minutes < 1000 else "000"


def _008(record: Record) -> Field:
    year = f"{record.production_year:04d}" if record.production_year is not None else "    "
    date_type = "s" if record.production_year is not None else "n"
    audience = (
        "g"
        if any("large" in a.lower() or "general" in a.lower() for a in record.audiences)
        else " "
    )
    language = (_languages(record) or ["und"])[0]
    value = (
        "||||||" + date_type + year + "    " + "xx " + _running_time(record) + " " + audience
        + "     " + " " + " " + "   " + "v" + "|" + language + " " + "d"
    )  # fmt: skip
    return control("008", value)


def _identifiers(record: Record) -> list[Field | None]:
    fields = [control("001", record.identifier)]
    by_type: dict[str | None, list[str]] = {}
    for text in record.identifiers:
        by_type.setdefault(text.type, []).append(text.value)
    fields += [data("020", " ", " ", ("a", value)) for value in by_type.pop("ISBN", [])]
    by_type.pop("Control number", None)  # a partner's 001: kept as its own field
    fields += [
        data("024", "8", " ", ("a", value))
        for kind, values in by_type.items()
        if kind != "System control number"
        for value in values
    ]
    fields += [
        data("035", " ", " ", ("a", value)) for value in by_type.get("System control number", [])
    ]
    fields.append(data("035", " ", " ", ("a", f"(navette){record.identifier}")))
    fields.append(data("037", " ", " ", ("a", record.item_number), ("b", record.source_archive)))
    fields += [data("041", " ", " ", ("a", code)) for code in _languages(record)]
    return fields


def _titles(record: Record) -> list[Field | None]:
    first, *others = record.titles or [None]
    fields = [data("245", "0", "0", ("a", first.value if first else record.identifier))]
    fields += [data("246", "3", "1", ("a", text.value)) for text in others]
    fields += [data("246", "3", " ", ("a", text.value)) for text in record.alternative_titles]
    return fields


def _producers(record: Record) -> list[str]:
    return [
        c.organisation or (format_person(c.person) if c.person else c.written)
        for c in record.credits
        if (c.role or "").lower() == "producer" and (c.organisation or c.person or c.written)
    ]


def _production(record: Record) -> list[Field | None]:
    year = f"{record.production_year:04d}" if record.production_year is not None else None
    names = _producers(record)
    return [data("264", " ", "0", *(("b", name) for name in names), ("c", year))]


def _description(record: Record) -> list[Field | None]:
    carrier = "1 video file" if "file" in (record.delivery_support or "").lower() else "1 video"
    extent = (
        f"{carrier} ({to_extent(record.duration_seconds)})" if record.duration_seconds else None
    )
    sound = {True: "sound", False: "silent", None: None}[record.sound]
    colour = {True: "color", False: "black and white", None: None}[record.colour]
    details = ", ".join(v for v in (sound, colour) if v) or None
    fields = [data("300", " ", " ", ("a", extent), ("b", details))]
    if record.duration_seconds is not None:
        hours, rest = divmod(record.duration_seconds, 3600)
        fields.append(data("306", " ", " ", ("a", f"{hours:02d}{rest // 60:02d}{rest % 60:02d}")))
    fields.append(data("336", " ", " ", ("a", "two-dimensional moving image"), ("b", "tdi"),
                       ("2", "rdacontent")))  # fmt: skip
    if carrier == "1 video file":
        fields.append(data("337", " ", " ", ("a", "computer"), ("b", "c"), ("2", "rdamedia")))
        fields.append(data("338", " ", " ", ("a", "online resource"), ("b", "cr"),
                           ("2", "rdacarrier")))  # fmt: skip
    else:
        fields.append(data("337", " ", " ", ("a", "video"), ("b", "v"), ("2", "rdamedia")))
        fields.append(data("338", " ", " ", ("a", "other"), ("b", "vz"), ("2", "rdacarrier")))
    return fields


def _series(record: Record) -> list[Field | None]:
    fields = [data("490", "1", " ", ("a", text.value)) for text in record.series]
    return fields + [data("830", " ", "0", ("a", text.value)) for text in record.series]


def _labelled(label: str, values: list) -> list[Field | None]:
    return [data("500", " ", " ", ("a", f"{label}: {getattr(v, 'value', v)}")) for v in values if v]


def _notes(record: Record) -> list[Field | None]:
    fields = [data("500", " ", " ", ("a", text.value)) for text in record.notes]
    if record.laboratories:
        fields += _labelled("Laboratory", [" ; ".join(laboratory_lines(record))])
    for label, name in LABELLED_NOTES.items():
        if name != "laboratories":
            value = getattr(record, name)
            fields += _labelled(label, value if isinstance(value, list) else [value])
    return fields


def _credit_line(credit: Credit) -> str:
    name = _display(credit)
    return f"{credit.role}: {name}" if name else credit.role


def _display(credit: Credit) -> str:
    """A credit's name as a note gives it; an organisation credit may have an empty name."""
    person = credit.person
    if person is None:
        return credit.organisation or credit.written or ""
    name = f"{person.given_name or ''} {person.family_name}".strip()
    return f"{name} ({', '.join(person.affiliations)})" if person.affiliations else name


def _credit_notes(record: Record) -> list[Field | None]:
    credits = _credits(record)
    behind = [c for c in credits if (c.role or "").lower() not in ON_SCREEN]
    on_screen = [c for c in credits if (c.role or "").lower() in ON_SCREEN and c.person]
    fields = [data("508", " ", " ", ("a", "; ".join(_credit_line(c) for c in behind)))]
    return [*fields, data("511", "0", " ", ("a", "; ".join(_display(c) for c in on_screen)))]


def _summaries(record: Record) -> list[Field | None]:
    fields = [data("520", "3", " ", ("a", text.value)) for text in record.abstracts]
    fields += [data("520", " ", " ", ("a", text.value)) for text in record.descriptions]
    fields += [data("521", " ", " ", ("a", audience)) for audience in record.audiences]
    picture = " ".join(v for v in (record.definition, record.aspect_ratio) if v)
    fields += [data("538", " ", " ", ("a", picture or None))]
    fields += [data("506", " ", " ", ("a", record.distribution_restriction))]
    fields += [data("540", " ", " ", ("a", text.value)) for text in record.rights]
    return [*fields, data("540", " ", " ", ("u", record.rights_uri))]


def _subjects(record: Record) -> list[Field | None]:
    return [data("650", " ", "4", ("a", text.value)) for text in record.subjects]


def _name(credit: Credit) -> Field | None:
    code = code_for(credit.role or "")
    term = TERMS.get(code) if code else (credit.role or "").lower() or None
    if credit.person is not None:
        person = credit.person
        name = (
            f"{person.family_name}, {person.given_name}"
            if person.given_name
            else person.family_name
        )
        affiliation = "; ".join(person.affiliations) or None
        return data("700", "1", " ", ("a", name), ("e", term), ("u", affiliation), ("4", code))
    if credit.unqualified:
        # 720 #_: an uncontrolled name whose type (person or body) is not specified.
        return data("720", " ", " ", ("a", credit.written), ("e", term), ("4", code))
    return data("710", "2", " ", ("a", credit.organisation), ("e", term), ("4", code))


def _names(record: Record) -> list[Field | None]:
    return [_name(credit) for credit in _credits(record)]


def _links(record: Record) -> list[Field | None]:
    fields = []
    if record.landing_page:
        fields.append(data("856", "4", "0", ("u", record.landing_page), ("z", "Landing page")))
    return fields + [
        data("856", "4", "2", ("3", f"Storyboard image at {k.timecode}"), ("u", k.image))
        for k in record.keyframes
    ]


#: The writers of each group of fields, in the order of their tags.
WRITERS: list[Callable[[Record], list[Field | None]]] = [
    lambda record: [_007(record), _008(record)],
    _identifiers,
    _titles,
    _production,
    _description,
    _series,
    _notes,
    _credit_notes,
    _summaries,
    _subjects,
    _names,
    _links,
]


def fields(record: Record) -> list[Field]:
    """The MARC fields the writer makes of the record, in tag order (leader aside)."""
    made = [field for write in WRITERS for field in write(record) if field is not None]
    return sorted(made, key=lambda field: field.tag)


def _tag_of(xml: str) -> str:
    return xml.split('tag="', 1)[1][:3] if 'tag="' in xml else ""


def _ours(record: Record) -> Field | None:
    """Navette's 035 naming the record, added to a partner's MARC: how a library that
    harvests the record from Navette finds it again (the partner's 001 stays its own)."""
    return data("035", " ", " ", ("a", f"(navette){record.identifier}"))


def _made(record: Record) -> list[tuple[str, Markup]]:
    if record.marc_leader is not None:
        return [("035", to_markup(_ours(record)))]
    record = understood(record)
    kept = {group(_tag_of(xml)) for xml in record.marc_fields}
    return [(f.tag, to_markup(f)) for f in fields(record) if group(f.tag) not in kept]


def _document(record: Record) -> Markup:
    made = _made(record)
    made += [(_tag_of(xml), foreign(xml, NSMAP)) for xml in record.marc_fields]
    made.sort(key=lambda pair: pair[0])
    return MARC_E.record(
        MARC_E.leader(leader(record)),
        *(markup for _, markup in made),
        {qname(XSI, "schemaLocation"): f"{MARC} {MARC_SCHEMA_URL}"},
    )


def to_marcxml_text(record: Record, publication: Publication | None = None) -> str:
    """The record (as published) as a serialised MARCXML ``record``."""
    return to_text(_document(record), NSMAP)
