"""The native catalogue format: a record as a JSON object, and as a CSV row.

JSON Lines files hold one object per line, shaped like ``catalogue.model.Record``
(see ``schemas/native-record.schema.json``).  CSV files flatten the same object
for spreadsheet users: ``field@lang`` columns for texts in a language, `` | ``
between the values of a list, credits as ``Role: FAMILY, Given (Affiliation; ...)``.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from catalogue.model import Credit, Keyframe, Part, Person, Record, Text
from mappings.durations import parse_seconds, to_clock
from mappings.people import format_person, parse_person

#: Record fields that hold lists of texts.
TEXT_LISTS = (
    "titles", "alternative_titles", "series", "abstracts", "descriptions", "dates",
    "process", "notes", "rights", "subjects", "identifiers", "relations", "coverage",
)
#: Record fields that hold lists of plain strings.
STRING_LISTS = (
    "laboratories", "audiences", "object_types", "languages", "sources", "sets", "extra_xml",
)
SCALARS = (
    "identifier", "duration_seconds", "production_year", "definition", "aspect_ratio",
    "colour", "sound", "original_support", "delivery_support", "distribution_restriction",
    "item_number", "landing_page", "source_archive",
)
#: Roles written as EBUCore/DC creators; any other role is a contributor.
CREATOR_ROLES = {"producer", "director", "author", "creator", "scriptwriter"}
PUBLISHER_ROLES = {"publisher", "distributor"}

LIST_SEPARATOR = " | "


def _text_dict(text: Text) -> dict[str, str]:
    return {k: v for k, v in dataclasses.asdict(text).items() if v is not None}


def to_dict(record: Record) -> dict[str, Any]:
    """The record as a native JSON object (empty fields left out)."""
    data: dict[str, Any] = {}
    for name in SCALARS:
        value = getattr(record, name)
        if value is not None:
            data[name] = value
    for name in TEXT_LISTS:
        if getattr(record, name):
            data[name] = [_text_dict(t) for t in getattr(record, name)]
    for name in STRING_LISTS:
        if getattr(record, name):
            data[name] = list(getattr(record, name))
    if record.credits:
        data["credits"] = [_credit_dict(c) for c in record.credits]
    if record.keyframes:
        data["keyframes"] = [dataclasses.asdict(k) for k in record.keyframes]
    if record.parts:
        data["parts"] = [_part_dict(p) for p in record.parts]
    return data


def _credit_dict(credit: Credit) -> dict[str, Any]:
    data: dict[str, Any] = {"role": credit.role, "kind": credit.kind}
    if credit.person is not None:
        person: dict[str, Any] = {"family_name": credit.person.family_name}
        if credit.person.given_name is not None:
            person["given_name"] = credit.person.given_name
        if credit.person.affiliations:
            person["affiliations"] = list(credit.person.affiliations)
        data["person"] = person
    if credit.organisation is not None:
        data["organisation"] = credit.organisation
    return data


def _part_dict(part: Part) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name in ("part_id", "name", "start", "duration"):
        if getattr(part, name) is not None:
            data[name] = getattr(part, name)
    for name in ("titles", "descriptions", "identifiers", "relations"):
        if getattr(part, name):
            data[name] = [_text_dict(t) for t in getattr(part, name)]
    if part.extra_xml:
        data["extra_xml"] = list(part.extra_xml)
    return data


def _texts(items: list[dict[str, str]] | None) -> list[Text]:
    return [Text(i["value"], i.get("lang"), i.get("type")) for i in items or []]


def from_dict(data: dict[str, Any]) -> Record:
    """The record a native JSON object describes (validate it against the schema first)."""
    record = Record(identifier=data["identifier"])
    for name in SCALARS:
        if name in data:
            setattr(record, name, data[name])
    for name in TEXT_LISTS:
        setattr(record, name, _texts(data.get(name)))
    for name in STRING_LISTS:
        setattr(record, name, list(data.get(name, [])))
    record.credits = [_credit(c) for c in data.get("credits", [])]
    record.keyframes = [Keyframe(k["timecode"], k["image"]) for k in data.get("keyframes", [])]
    record.parts = [_part(p) for p in data.get("parts", [])]
    return record


def _credit(data: dict[str, Any]) -> Credit:
    person = None
    if "person" in data:
        p = data["person"]
        person = Person(p["family_name"], p.get("given_name"), list(p.get("affiliations", [])))
    kind = data.get("kind") or default_kind(data["role"])
    return Credit(data["role"], kind, person, data.get("organisation"))


def _part(data: dict[str, Any]) -> Part:
    return Part(
        part_id=data.get("part_id"),
        name=data.get("name"),
        titles=_texts(data.get("titles")),
        descriptions=_texts(data.get("descriptions")),
        identifiers=_texts(data.get("identifiers")),
        relations=_texts(data.get("relations")),
        start=data.get("start"),
        duration=data.get("duration"),
        extra_xml=list(data.get("extra_xml", [])),
    )


def default_kind(role: str) -> str:
    lowered = role.lower()
    if lowered in CREATOR_ROLES:
        return "creator"
    if lowered in PUBLISHER_ROLES:
        return "publisher"
    return "contributor"


# --- CSV -------------------------------------------------------------------------

class RowError(ValueError):
    """A CSV cell that cannot be read; the message names the column."""


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(LIST_SEPARATOR.strip()) if part.strip()]


def _yes_no(column: str, cell: str) -> bool:
    lowered = cell.strip().lower()
    if lowered in ("yes", "true", "1", "colour", "color", "sound"):
        return True
    if lowered in ("no", "false", "0", "black and white", "silent"):
        return False
    raise RowError(f"column {column}: {cell!r} is not yes or no")


def row_to_dict(row: dict[str, str]) -> dict[str, Any]:
    """A CSV row (header -> cell) as a native JSON object, ready for schema validation."""
    data: dict[str, Any] = {}
    for column, cell in row.items():
        if column is None:
            raise RowError("the row has more cells than the header has columns")
        cell = (cell or "").strip()
        if not cell:
            continue
        name, _, lang = column.partition("@")
        if name in TEXT_LISTS:
            data.setdefault(name, []).extend(
                {"value": v, **({"lang": lang} if lang else {})} for v in _split(cell)
            )
        elif name in STRING_LISTS:
            data[name] = _split(cell)
        elif name == "duration":
            seconds = parse_seconds(cell) if not cell.isdigit() else int(cell)
            if seconds is None:
                raise RowError(f"column duration: {cell!r} is neither HH:MM:SS nor seconds")
            data["duration_seconds"] = seconds
        elif name == "production_year":
            if not cell.isdigit():
                raise RowError(f"column production_year: {cell!r} is not a year")
            data["production_year"] = int(cell)
        elif name in ("colour", "sound"):
            data[name] = _yes_no(name, cell)
        elif name == "credits":
            data["credits"] = [_credit_cell(part) for part in _split(cell)]
        elif name == "keyframes":
            data["keyframes"] = [_keyframe_cell(part) for part in _split(cell)]
        elif name in SCALARS:
            data[name] = cell
        else:
            raise RowError(f"unknown column {column!r}")
    return data


def _credit_cell(cell: str) -> dict[str, Any]:
    role, sep, who = cell.partition(":")
    if not sep or not who.strip():
        raise RowError(f"column credits: {cell!r} is not 'Role: name'")
    credit: dict[str, Any] = {"role": role.strip(), "kind": default_kind(role.strip())}
    person = parse_person(who.strip())
    if person is None:
        credit["organisation"] = who.strip()
    else:
        credit["person"] = _credit_dict(Credit("", person=person))["person"]
    return credit


def _keyframe_cell(cell: str) -> dict[str, str]:
    timecode, _, image = cell.partition(" ")
    if not image.strip():
        raise RowError(f"column keyframes: {cell!r} is not 'HH:MM:SS URL'")
    return {"timecode": timecode, "image": image.strip()}


def to_row(record: Record) -> dict[str, str]:
    """The record as a CSV row (the inverse of ``row_to_dict`` for catalogue records)."""
    row: dict[str, str] = {}
    for name in TEXT_LISTS:
        for text in getattr(record, name):
            column = f"{name}@{text.lang}" if text.lang else name
            row[column] = LIST_SEPARATOR.join(filter(None, [row.get(column), text.value]))
    for name in STRING_LISTS:
        if getattr(record, name):
            row[name] = LIST_SEPARATOR.join(getattr(record, name))
    for name in SCALARS:
        value = getattr(record, name)
        if value is None:
            continue
        if name == "duration_seconds":
            row["duration"] = to_clock(value)
        elif isinstance(value, bool):
            row[name] = "yes" if value else "no"
        else:
            row[name] = str(value)
    if record.credits:
        row["credits"] = LIST_SEPARATOR.join(
            f"{c.role}: {format_person(c.person) if c.person else c.organisation}"
            for c in record.credits
        )
    if record.keyframes:
        row["keyframes"] = LIST_SEPARATOR.join(f"{k.timecode} {k.image}" for k in record.keyframes)
    return row
