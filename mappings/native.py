"""The native catalogue format as files: JSON Lines objects and CSV rows.

JSON Lines files hold one object per line, the JSON form of a catalogue record
(``catalogue.codec``, described by ``schemas/native-record.schema.json``).  CSV
files flatten the same object for spreadsheet users: ``field@lang`` columns for
texts in a language, `` | `` between the values of a list, credits as
``Role: FAMILY, Given (Affiliation; ...)``, keyframes as ``HH:MM:SS URL``.
"""

from __future__ import annotations

from typing import Any

from catalogue.codec import (
    SCALARS,
    STRING_LISTS,
    TEXT_LISTS,
    credit_dict,
    default_kind,
)
from catalogue.model import Credit, Record
from mappings.durations import parse_seconds, to_clock
from mappings.people import format_person, parse_person

LIST_SEPARATOR = " | "


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


def _duration(cell: str) -> tuple[str, int]:
    seconds = parse_seconds(cell) if not cell.isdigit() else int(cell)
    if seconds is None:
        raise RowError(f"column duration: {cell!r} is neither HH:MM:SS nor seconds")
    return "duration_seconds", seconds


def _year(cell: str) -> tuple[str, int]:
    if not cell.isdigit():
        raise RowError(f"column production_year: {cell!r} is not a year")
    return "production_year", int(cell)


#: Columns whose cell is more than text: column -> (cell -> (field, value)).
_CELLS: dict[str, Any] = {
    "duration": _duration,
    "production_year": _year,
    **{
        name: (lambda cell, name=name: (name, _yes_no(name, cell)))
        for name in ("colour", "sound", "audiovisual")
    },
    "credits": lambda cell: ("credits", [_credit_cell(part) for part in _split(cell)]),
    "keyframes": lambda cell: ("keyframes", [_keyframe_cell(part) for part in _split(cell)]),
    "laboratory_names": lambda cell: (
        "laboratory_names",
        dict(_named_cell(part) for part in _split(cell)),
    ),
}


def row_to_dict(row: dict[str, str]) -> dict[str, Any]:
    """A CSV row (header -> cell) as a native JSON object, ready for schema validation."""
    data: dict[str, Any] = {}
    if "resource_type" in row and not (row["resource_type"] or "").strip():
        data["resource_type"] = None  # the column is there and states no type
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
        elif name in _CELLS:
            field, value = _CELLS[name](cell)
            data[field] = value
        elif name in SCALARS:
            data[name] = cell
        else:
            raise RowError(f"unknown column {column!r}")
    return data


def _credit_name(credit: Credit) -> str:
    if credit.person is not None:
        return format_person(credit.person)
    if credit.organisation is not None:
        return credit.organisation
    return f'"{credit.written}"'  # named as written: neither a person nor an organisation


def _credit_cell(cell: str) -> dict[str, Any]:
    role, sep, who = cell.partition(":")
    if not sep or not who.strip():
        raise RowError(f"column credits: {cell!r} is not 'Role: name'")
    credit: dict[str, Any] = {"role": role.strip(), "kind": default_kind(role.strip())}
    who = who.strip()
    if len(who) > 2 and who[0] == who[-1] == '"':
        credit["written"] = who[1:-1]
        return credit
    person = parse_person(who)
    if person is None:
        credit["organisation"] = who.strip()
    else:
        credit["person"] = credit_dict(Credit("", person=person))["person"]
    return credit


def _named_cell(cell: str) -> tuple[str, str]:
    code, sep, name = cell.partition(":")
    if not sep or not code.strip() or not name.strip():
        raise RowError(f"column laboratory_names: {cell!r} is not 'CODE: name'")
    return code.strip(), name.strip()


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
    row["resource_type"] = record.resource_type or ""
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
    if record.laboratory_names:
        row["laboratory_names"] = LIST_SEPARATOR.join(
            f"{code}: {name}" for code, name in record.laboratory_names.items()
        )
    if record.credits:
        row["credits"] = LIST_SEPARATOR.join(f"{c.role}: {_credit_name(c)}" for c in record.credits)
    if record.keyframes:
        row["keyframes"] = LIST_SEPARATOR.join(f"{k.timecode} {k.image}" for k in record.keyframes)
    return row
