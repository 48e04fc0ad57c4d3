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

from flask_babel import gettext, lazy_gettext

from catalogue import facets
from catalogue.model import Credit, Keyframe, Person, Record, Text
from mappings.durations import to_clock

#: The roles the library's data sheet names, said in the page's language, one and many.
ROLES = {
    "Personality": (lazy_gettext("Personality"), lazy_gettext("Personalities")),
    "Director": (lazy_gettext("Director"), lazy_gettext("Directors")),
    "Producer": (lazy_gettext("Producer"), lazy_gettext("Producers")),
}


@dataclass
class Name:
    """A credited person or organisation: 'MIFSUD Nicolas' and the affiliations."""

    name: str
    affiliations: list[str] = field(default_factory=list)
    #: The person as the catalogue is browsed by them (``catalogue.facets``), if a person.
    browse: str | None = None


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
    laboratories: list[tuple[str, str]]
    keyframes: list[Keyframe]
    landing_page: str | None
    more: list[tuple[str, list[str]]]


def person_name(person: Person) -> str:
    """'MIFSUD Nicolas': family name first, as the data sheet writes it."""
    return f"{person.family_name} {person.given_name or ''}".strip()


def _name(credit: Credit) -> Name:
    if credit.person is not None:
        person = credit.person
        browse = facets.person_name(person.family_name, person.given_name)
        return Name(person_name(person), list(person.affiliations), browse)
    return Name(credit.organisation or credit.written or "")


def _credits(record: Record) -> list[tuple[str, list[Name]]]:
    groups: dict[str, list[Name]] = {}
    for credit in record.credits:
        groups.setdefault(credit.role or credit.kind.capitalize(), []).append(_name(credit))
    return [
        (str(ROLES[role][len(names) > 1]) if role in ROLES else role, names)
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
        line.append(gettext("Color") if record.colour else gettext("Black and white"))
    if record.sound is not None:
        line.append(gettext("Sound") if record.sound else gettext("Silent"))
    return line


def _laboratories(record: Record) -> list[tuple[str, str]]:
    """Each laboratory as the sheet writes it, and as the catalogue is browsed by it."""
    found = []
    for code in record.laboratories:
        name = record.laboratory_names.get(code)
        found.append((f"{code} ({name})" if name else code, name or code))
    return found


def _technical(record: Record) -> list[tuple[str, str]]:
    rows = [
        (gettext("Item No."), record.item_number),
        (gettext("Public"), ", ".join(record.audiences)),
        (gettext("Original Support"), record.original_support),
        (gettext("Delivery support"), record.delivery_support),
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
        (gettext("Identifier"), [record.identifier]),
        (gettext("Description"), _texts(record.descriptions)),
        (gettext("Dates"), _texts(record.dates)),
        (gettext("Languages"), record.languages),
        (gettext("Identifiers"), _texts(record.identifiers)),
        (gettext("Relations"), _texts(record.relations)),
        (gettext("Sources"), record.sources),
        (gettext("Coverage"), _texts(record.coverage)),
        (gettext("Formats"), _texts(record.formats)),
        (gettext("Type"), record.object_types),
        (gettext("Source archive"), [record.source_archive] if record.source_archive else []),
        (gettext("Parts"), [part.name or part.part_id or "part" for part in record.parts]),
        (
            gettext("Other EBUCore elements"),
            [gettext("%(num)s kept as received", num=len(record.extra_xml))]
            if record.extra_xml
            else [],
        ),
    ]
    return [(label, values) for label, values in rows if values]


def _first_in(texts: list[Text], language: str | None) -> list[Text]:
    """The texts, those in ``language`` first (the visitor's, when the record has it)."""
    return sorted(texts, key=lambda text: text.lang != language) if language else list(texts)


def sheet(record: Record, language: str | None = None) -> Sheet:
    """The data sheet of the record (as published: landing page and rights filled in),
    its titles, series and subjects in ``language`` first where it has them."""
    titles = _first_in(record.titles, language)
    first = titles[0] if titles else None
    return Sheet(
        title=first.value if first else record.identifier,
        title_lang=first.lang if first else None,
        other_titles=[*titles[1:], *record.alternative_titles],
        series=_first_in(record.series, language),
        facts=facts(record),
        abstracts=_lines(record.abstracts),
        credits=_credits(record),
        process=_lines(record.process),
        notes=_lines(record.notes),
        rights=record.rights,
        restriction=record.distribution_restriction,
        rights_uri=record.rights_uri,
        subjects=_first_in(record.subjects, language),
        technical=_technical(record),
        laboratories=_laboratories(record),
        keyframes=record.keyframes,
        landing_page=record.landing_page,
        more=_more(record),
    )
