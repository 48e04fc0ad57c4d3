"""The OAI sets a record belongs to, derived from what it says.

Sets are hierarchical (``series:facing-the-universe``): a harvest of ``series``
also gets every record of every series.  A record belongs to the set of its
series, of each subject, and of its source archive, plus any set its native
file names explicitly.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from catalogue.model import Record, Text

#: Top-level sets, with their names.
ROOTS = {
    "series": "Series",
    "subject": "Subjects",
    "archive": "Source archives",
    "source": "Harvested partner archives",
}

_UNSAFE = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=4096)
def slug(text: str) -> str:
    """'Face à l'Univers' -> 'face-a-l-univers' (the characters a setSpec allows).

    Cached: a catalogue has few series and subjects, and every record asks."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _UNSAFE.sub("-", ascii_text.lower()).strip("-")[:120] or "untitled"


def _one_language(texts: list[Text]) -> list[Text]:
    """The texts in the language of the first one, so one subject makes one set."""
    if not texts:
        return []
    lang = texts[0].lang
    return [t for t in texts if t.lang == lang]


def record_sets(record: Record) -> dict[str, str]:
    """Set spec -> set name, for every set the record belongs to (leaves and their parents)."""
    sets: dict[str, str] = {}
    for text in _one_language(record.series)[:1]:
        sets[f"series:{slug(text.value)}"] = text.value
    for text in _one_language(record.subjects):
        sets[f"subject:{slug(text.value)}"] = text.value
    if record.source_archive:
        sets[f"archive:{slug(record.source_archive)}"] = record.source_archive
    for spec in record.sets:
        sets.setdefault(spec, spec)
    for spec in list(sets):
        parts = spec.split(":")
        for depth in range(1, len(parts)):
            parent = ":".join(parts[:depth])
            sets.setdefault(parent, ROOTS.get(parent, parent))
    return sets


def set_description(record: Record, spec: str) -> str | None:
    """A sentence describing a derived set, for its oai_dc setDescription."""
    kind = spec.split(":", 1)[0]
    if kind == "series":
        names = " / ".join(t.value for t in record.series)
        return f"Films of the series {names}."
    if kind == "subject":
        return "Films on this subject."
    if kind == "archive":
        return f"Records held by {record.source_archive}."
    return None


class UnknownSet(ValueError):
    """A set spec the catalogue does not have."""


def name_set(session, spec: str, name: str, description: str | None = None) -> None:
    """Give a set the name (and description) ListSets serves; kept by later writes."""
    from catalogue.tables import SetRow

    row = session.get(SetRow, spec)
    if row is None:
        raise UnknownSet(f"there is no set {spec!r} (see `navette sets list`)")
    if not name.strip():
        raise ValueError("a set's name cannot be empty")
    row.name = name.strip()
    if description is not None:
        row.description = description.strip() or None


def name_if_unnamed(session, spec: str, name: str) -> None:
    """Name a set that still carries its spec as its name (what a harvest knows of a
    partner: its repositoryName); a name an admin gave is kept."""
    from catalogue.tables import SetRow

    row = session.get(SetRow, spec)
    if row is not None and row.name == spec:
        row.name = name
