"""What a catalogue is browsed by: a record's series, subjects, decade and year, type,
languages, audiences, people and laboratories, one row each in ``record_facets``,
written with the record (``catalogue.store``) and gone with it when it is withdrawn.

A row says its language where the value has one (a series named in English and in
French is two rows), so that a visitor is shown the names in their language; the
list counts records, each once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from catalogue.model import Record

#: The facets a list of records is narrowed by, in the order the page shows them.
SHOWN = ("series", "subject", "decade", "year", "type", "language", "audience")
#: Those a landing page links from, besides: the people and laboratories of a film.
LINKED = ("person", "laboratory")
KINDS = SHOWN + LINKED
#: The widest value kept (a column of this width); longer ones are cut.
VALUE = 255


@dataclass(frozen=True)
class Facet:
    kind: str
    value: str
    #: The value's language ("" when it has none).
    lang: str = ""


def person_name(family: str, given: str | None) -> str:
    return f"{family}, {given}" if given else family


def facets(record: Record) -> list[Facet]:
    """The record's facet values, each once."""
    found: list[Facet] = []
    for kind, texts in (("series", record.series), ("subject", record.subjects)):
        found += [Facet(kind, t.value, t.lang or "") for t in texts if t.value.strip()]
    if record.production_year is not None:
        year = record.production_year
        found += [Facet("decade", f"{year - year % 10}s"), Facet("year", str(year))]
    if record.resource_type:
        found.append(Facet("type", record.resource_type))
    found += [Facet("language", code) for code in record.languages]
    found += [Facet("audience", audience) for audience in record.audiences]
    for credit in record.credits:
        if credit.person is not None:
            person = credit.person
            found.append(Facet("person", person_name(person.family_name, person.given_name)))
    for code in record.laboratories:
        found.append(Facet("laboratory", record.laboratory_names.get(code, code)))
    return _once(Facet(f.kind, f.value.strip()[:VALUE], f.lang[:8]) for f in found)


def _once(found: Iterable[Facet]) -> list[Facet]:
    return list(dict.fromkeys(f for f in found if f.value))
