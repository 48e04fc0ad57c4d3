"""A record as the library's data sheet shows it, ready for a template.

The seed's detailed data sheet is the model: the heading and series, one line of
facts ("00:09:52  2019  HD 16/9  Color  Sound"), the abstract's paragraphs, the
credits, the audiovisual process and notes line by line, rights, subjects, the
technical sheet and the storyboard.  Everything else the record holds follows under
"More", so no field of the record goes unseen.  The landing page and the admin
sheet both show this; neither template decides what a field looks like.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from catalogue.model import Credit, Keyframe, Person, Record, Text
from mappings.durations import to_clock

#: Plural labels for roles the data sheet groups ("Personalities: A; B").
PLURALS = {"Personality": "Personalities", "Director": "Directors", "Producer": "Producers"}


@dataclass
class Name:
    """A credited person or organisation: 'MIFSUD Nicolas' and the affiliations."""

    name: str
    affiliations: list[str] = field(default_factory=list)


@dataclass
class Sheet:
    title: str
    title_lang: str | None
    other_titles: list[Text]
    series: list[Text]
    facts: list[str]
    abstracts: list[tuple[str | None, list[str]]]
    credits: list[tuple[str, list[Name]]]
    process: list[tuple[str | None, list[str]]]
    notes: list[tuple[str | None, list[str]]]
    rights: list[Text]
    restriction: str | None
    rights_uri: str | None
    subjects: list[Text]
    technical: list[tuple[str, str]]
    keyframes: list[Keyframe]
    landing_page: str | None
    more: list[tuple[str, list[str]]]


def person_name(person: Person) -> str:
    """'MIFSUD Nicolas': family name first, as the data sheet writes it."""
    return f"{person.family_name} {person.given_name or ''}".strip()


def _name(credit: Credit) -> Name:
    if credit.person is not None:
        return Name(person_name(credit.person), list(credit.person.affiliations))
    return Name(credit.organisation or credit.written or "")


def _credits(record: Record) -> list[tuple[str, list[Name]]]:
    groups: dict[str, list[Name]] = {}
    for credit in record.credits:
        groups.setdefault(credit.role or credit.kind.capitalize(), []).append(_name(credit))
    return [
        (PLURALS.get(role, role) if len(names) > 1 else role, names)
        for role, names in groups.items()
    ]


def _lines(texts: list[Text]) -> list[tuple[str | None, list[str]]]:
    """Each text with its lines (or paragraphs): what the sheet breaks, we break."""
    return [
        (text.lang, [line.strip() for line in text.value.splitlines() if line.strip()])
        for text in texts
    ]


def facts(record: Record) -> list[str]:
    """'00:09:52', '2019', 'HD 16/9', 'Color', 'Sound': the data sheet's line of facts."""
    line = []
    if record.duration_seconds is not None:
        line.append(to_clock(record.duration_seconds))
    if record.production_year is not None:
        line.append(str(record.production_year))
    picture = " ".join(
        part for part in (record.definition, (record.aspect_ratio or "").replace(":", "/")) if part
    )
    if picture:
        line.append(picture)
    if record.colour is not None:
        line.append("Color" if record.colour else "Black and white")
    if record.sound is not None:
        line.append("Sound" if record.sound else "Silent")
    return line


def _laboratory(record: Record, code: str) -> str:
    name = record.laboratory_names.get(code)
    return f"{code} ({name})" if name else code


def _technical(record: Record) -> list[tuple[str, str]]:
    rows = [
        ("Item No.", record.item_number),
        ("Public", ", ".join(record.audiences)),
        ("Original Support", record.original_support),
        ("Laboratory", " ; ".join(_laboratory(record, code) for code in record.laboratories)),
        ("Delivery support", record.delivery_support),
    ]
    return [(label, value) for label, value in rows if value]


def _texts(texts: list[Text]) -> list[str]:
    return [
        " ".join(part for part in (f"{t.type}:" if t.type else "", t.value, _lang(t)) if part)
        for t in texts
    ]


def _lang(text: Text) -> str:
    return f"({text.lang})" if text.lang else ""


def _more(record: Record) -> list[tuple[str, list[str]]]:
    rows = [
        ("Identifier", [record.identifier]),
        ("Description", _texts(record.descriptions)),
        ("Dates", _texts(record.dates)),
        ("Languages", record.languages),
        ("Identifiers", _texts(record.identifiers)),
        ("Relations", _texts(record.relations)),
        ("Sources", record.sources),
        ("Coverage", _texts(record.coverage)),
        ("Formats", _texts(record.formats)),
        ("Type", record.object_types),
        ("Source archive", [record.source_archive] if record.source_archive else []),
        ("Parts", [part.name or part.part_id or "part" for part in record.parts]),
        (
            "Other EBUCore elements",
            [f"{len(record.extra_xml)} kept as received"] if record.extra_xml else [],
        ),
    ]
    return [(label, values) for label, values in rows if values]


def sheet(record: Record) -> Sheet:
    """The data sheet of the record (as published: landing page and rights filled in)."""
    first = record.titles[0] if record.titles else None
    return Sheet(
        title=first.value if first else record.identifier,
        title_lang=first.lang if first else None,
        other_titles=[*record.titles[1:], *record.alternative_titles],
        series=record.series,
        facts=facts(record),
        abstracts=_lines(record.abstracts),
        credits=_credits(record),
        process=_lines(record.process),
        notes=_lines(record.notes),
        rights=record.rights,
        restriction=record.distribution_restriction,
        rights_uri=record.rights_uri,
        subjects=record.subjects,
        technical=_technical(record),
        keyframes=record.keyframes,
        landing_page=record.landing_page,
        more=_more(record),
    )
