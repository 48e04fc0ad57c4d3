"""A person's name as one line of text: 'FAMILY, Given (Affiliation; Affiliation)'.

The form the library's CSV files and simple Dublin Core use; parsing it back gives
the same person.
"""

from __future__ import annotations

import re

from catalogue.model import Person

_PERSON = re.compile(
    r"^(?P<family>[^,()]+?)\s*,\s*(?P<given>[^()]*?)\s*(?:\((?P<affiliations>[^()]*)\))?\s*$"
)


def format_person(person: Person) -> str:
    name = f"{person.family_name}, {person.given_name or ''}".rstrip()
    if person.affiliations:
        name = f"{name} ({'; '.join(person.affiliations)})"
    return name


def parse_person(text: str) -> Person | None:
    """The person a line names, or None when it has no 'FAMILY, Given' comma."""
    match = _PERSON.match(text)
    if not match:
        return None
    affiliations = [a.strip() for a in (match["affiliations"] or "").split(";") if a.strip()]
    return Person(match["family"].strip(), match["given"].strip() or None, affiliations)
