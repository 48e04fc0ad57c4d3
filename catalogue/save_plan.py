"""What a batch of records does to the store, decided without the database.

Given the batch and what the store holds of those identifiers, the plan says which
rows to insert, which to update (their renderings and sets replaced), which to
refresh only (same content, new fingerprint or provenance) and which sets are new;
``store`` reads what the plan needs and applies it in a few statements.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from catalogue import codec
from catalogue.searched_text import searchable
from catalogue.sets import record_sets, set_description
from protocol.set_specs import is_set_spec

if TYPE_CHECKING:
    from catalogue.store import Written


class UnservableSet(ValueError):
    """A record names a set OAI-PMH cannot carry: stored, it would make every header
    and ListSets page holding it invalid.  ``ingest.prepare`` refuses such a record
    with the reason; the store refuses it from any writer that did not go through it."""


class StoredRow(Protocol):
    """What the plan needs to know of a stored record (a row of ``records``)."""

    id: int
    deleted: bool
    content_hash: str
    fingerprint: str | None
    about: str | None
    source: str | None


def format_list(prefixes: Iterable[str]) -> str:
    """' ebucore oai_dc ': the form ``RecordRow.formats`` keeps, padded for whole-word matches."""
    return f" {' '.join(sorted(prefixes))} "


def content_hash(renderings: Mapping[str, str], specs: Iterable[str]) -> str:
    """What a record disseminates: its renderings and its sets.  Its datestamp moves
    only when this changes."""
    digest = hashlib.sha256()
    for prefix in sorted(renderings):
        digest.update(prefix.encode() + b"\0" + renderings[prefix].encode() + b"\0")
    for spec in sorted(specs):
        digest.update(b"set\0" + spec.encode() + b"\0")
    return digest.hexdigest()


@dataclass
class Plan:
    #: identifier -> the new row's values.
    inserts: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: identifier -> values of a row whose content changed (``row_id`` names it).
    updates: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: identifier -> values of a row whose content is the same but not its fingerprint.
    refreshed: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: identifier -> the record and its sets, for the renderings and memberships to write.
    contents: dict[str, tuple[Written, dict[str, str]]] = field(default_factory=dict)
    #: identifier -> its ``record_contents`` values (JSON form, search line), for every
    #: record inserted, updated or refreshed.
    record_contents: dict[str, dict[str, Any]] = field(default_factory=dict)
    new_sets: list[dict[str, str | None]] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)


def memberships(batch: list[Written]) -> list[dict[str, str]]:
    """Each record's sets (spec -> name), as the caller made them or from the record."""
    return [
        item.sets if item.sets is not None else record_sets(item.full_record()) for item in batch
    ]


def _values(item: Written, specs: dict[str, str]) -> dict[str, Any]:
    return {
        "content_hash": item.content_hash or content_hash(item.renderings, specs),
        "about": item.about,
        "fingerprint": item.fingerprint,
        "set_specs": " ".join(sorted(specs)),
        "formats": format_list(item.renderings),
    }


def _record_contents(item: Written) -> dict[str, Any]:
    return {
        "data": item.data if item.data is not None else codec.to_dict(item.record),
        **(item.searchable if item.searchable is not None else searchable(item.full_record())),
    }


def plan(
    batch: list[Written],
    stored: Mapping[str, StoredRow],
    known_sets: set[str],
    now: datetime,
    source: str | None,
    sets: list[dict[str, str]] | None = None,
) -> Plan:
    """The plan for ``batch``, given the stored rows by identifier and the sets that exist
    (``sets``: the records' ``memberships`` when the caller made them already)."""
    result = Plan()
    known = set(known_sets)
    for item, specs in zip(batch, sets if sets is not None else memberships(batch), strict=True):
        for spec, name in specs.items():
            if spec not in known:
                if not is_set_spec(spec):
                    raise UnservableSet(
                        f"{item.identifier}: its set {spec!r} is not an OAI-PMH setSpec "
                        "(letters, digits and -_.!~*'() in parts separated by colons)"
                    )
                known.add(spec)
                description = set_description(item.full_record(), spec)
                result.new_sets.append({"spec": spec, "name": name, "description": description})
        _classify(result, item, specs, stored.get(item.identifier), now, source)
    return result


def _classify(
    result: Plan,
    item: Written,
    specs: dict[str, str],
    row: StoredRow | None,
    now: datetime,
    source: str | None,
) -> None:
    identifier = item.identifier
    values = _values(item, specs)
    digest = values["content_hash"]
    if identifier in result.inserts:
        # The same record twice in one batch: the last one is what is kept.
        same = result.inserts[identifier]["content_hash"] == digest
        result.counts["unchanged" if same else "updated"] += 1
        result.inserts[identifier].update(values)
        result.contents[identifier] = (item, specs)
        result.record_contents[identifier] = _record_contents(item)
    elif row is None:
        result.inserts[identifier] = {
            "identifier": identifier,
            "datestamp": now,
            "created": now,
            "deleted": False,
            "deleted_at": None,
            "source": source,
            **values,
        }
        result.contents[identifier] = (item, specs)
        result.record_contents[identifier] = _record_contents(item)
        result.counts["new"] += 1
    elif row.deleted or row.content_hash != digest or identifier in result.updates:
        result.updates[identifier] = {
            "row_id": row.id,
            "datestamp": now,
            "deleted": False,
            "deleted_at": None,
            "source": source if source is not None else row.source,
            **values,
        }
        result.refreshed.pop(identifier, None)
        result.contents[identifier] = (item, specs)
        result.record_contents[identifier] = _record_contents(item)
        result.counts["updated"] += 1
    else:
        if item.fingerprint is None or (item.fingerprint, item.about) != (
            row.fingerprint,
            row.about,
        ):
            result.refreshed[identifier] = {
                "row_id": row.id,
                "about": item.about,
                "fingerprint": item.fingerprint,
            }
            result.record_contents[identifier] = _record_contents(item)
        result.counts["unchanged"] += 1
