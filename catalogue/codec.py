"""The catalogue record as a JSON object: how the store keeps it and the native format reads it.

The object is shaped like ``catalogue.model.Record`` (see
``schemas/native-record.schema.json``); empty fields are left out.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import orjson

from catalogue.model import MOVING_IMAGE, Credit, Keyframe, Part, Person, Provenance, Record, Text
from protocol.dates import format_datestamp, parse_datestamp

#: Record fields that hold lists of texts.
TEXT_LISTS = (
    "titles",
    "alternative_titles",
    "series",
    "abstracts",
    "descriptions",
    "dates",
    "process",
    "notes",
    "rights",
    "subjects",
    "identifiers",
    "relations",
    "coverage",
    "formats",
)
#: Record fields that hold lists of plain strings.
STRING_LISTS = (
    "laboratories",
    "audiences",
    "object_types",
    "languages",
    "sources",
    "sets",
    "extra_xml",
    "marc_fields",
    "mods_elements",
)
SCALARS = (
    "identifier",
    "resource_type",
    "duration_seconds",
    "production_year",
    "definition",
    "aspect_ratio",
    "colour",
    "sound",
    "original_support",
    "delivery_support",
    "distribution_restriction",
    "rights_uri",
    "item_number",
    "landing_page",
    "source_archive",
    "marc_leader",
    "edm_document",
)
#: Roles written as EBUCore/DC creators; any other role is a contributor.
CREATOR_ROLES = {"producer", "director", "author", "creator", "scriptwriter"}
PUBLISHER_ROLES = {"publisher", "distributor"}

LIST_SEPARATOR = " | "


def _text_dict(text: Text) -> dict[str, str]:
    data = {"value": text.value}
    if text.lang is not None:
        data["lang"] = text.lang
    if text.type is not None:
        data["type"] = text.type
    return data


def to_dict(record: Record) -> dict[str, Any]:
    """The record as a native JSON object (empty fields left out)."""
    data: dict[str, Any] = {}
    for name in SCALARS:
        value = getattr(record, name)
        if value is not None:
            data[name] = value
    if record.resource_type is None:
        data["resource_type"] = None  # left out, it would be read as a film (MovingImage)
    for name in TEXT_LISTS:
        if getattr(record, name):
            data[name] = [_text_dict(t) for t in getattr(record, name)]
    for name in STRING_LISTS:
        if getattr(record, name):
            data[name] = list(getattr(record, name))
    if record.laboratory_names:
        data["laboratory_names"] = dict(record.laboratory_names)
    if record.ebucore_attributes:
        data["ebucore_attributes"] = dict(record.ebucore_attributes)
    if record.credits:
        data["credits"] = [credit_dict(c) for c in record.credits]
    if record.keyframes:
        data["keyframes"] = [{"timecode": k.timecode, "image": k.image} for k in record.keyframes]
    if record.parts:
        data["parts"] = [_part_dict(p) for p in record.parts]
    if record.provenance is not None:
        data["provenance"] = _provenance_dict(record.provenance)
    return data


def _provenance_dict(provenance: Provenance) -> dict[str, Any]:
    # Shallow: every field is immutable, and asdict's deep copies cost more than the rest.
    data = {field.name: getattr(provenance, field.name) for field in dataclasses.fields(provenance)}
    data["harvest_date"] = format_datestamp(provenance.harvest_date)
    return {k: v for k, v in data.items() if v is not None}


def credit_dict(credit: Credit) -> dict[str, Any]:
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
    if credit.written is not None:
        data["written"] = credit.written
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
    if data.get("audiovisual") is True and "resource_type" not in data:
        record.resource_type = MOVING_IMAGE  # the native format's earlier yes/no column
    for name in TEXT_LISTS:
        setattr(record, name, _texts(data.get(name)))
    for name in STRING_LISTS:
        setattr(record, name, list(data.get(name, [])))
    record.laboratory_names = dict(data.get("laboratory_names", {}))
    record.ebucore_attributes = dict(data.get("ebucore_attributes", {}))
    record.credits = [_credit(c) for c in data.get("credits", [])]
    record.keyframes = [Keyframe(k["timecode"], k["image"]) for k in data.get("keyframes", [])]
    record.parts = [_part(p) for p in data.get("parts", [])]
    if "provenance" in data:
        p = dict(data["provenance"])
        p["harvest_date"] = parse_datestamp(p["harvest_date"])
        record.provenance = Provenance(**p)
    return record


def _credit(data: dict[str, Any]) -> Credit:
    person = None
    if "person" in data:
        p = data["person"]
        person = Person(p["family_name"], p.get("given_name"), list(p.get("affiliations", [])))
    kind = data.get("kind") or default_kind(data["role"])
    return Credit(data["role"], kind, person, data.get("organisation"), data.get("written"))


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


class JSONText(str):
    """JSON already serialised: ``dumps`` (the store's serialiser) writes it as it is."""

    __slots__ = ()


def loads(text: str | bytes) -> Any:
    """The store's JSON read back: orjson, a fifth of json's time (a page of 50 records
    read 5 ms of JSON with json), with json's own reading for what orjson refuses
    (an integer past 64 bits, which a partner's record may hold)."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def dumps(value: Any, sort_keys: bool = False) -> str:
    """JSON text for the store and the fingerprints: orjson, ten times json's speed
    (a harvest writes every record's JSON), with json's own output for what orjson
    refuses (lone surrogates, which cleaned text never holds)."""
    if value.__class__ is JSONText:
        return value
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS if sort_keys else 0).decode()
    except orjson.JSONEncodeError:
        return json.dumps(value, sort_keys=sort_keys, ensure_ascii=False, separators=(",", ":"))
