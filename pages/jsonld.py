"""A record as schema.org JSON-LD, for search engines and linkers.

Embedded in the landing page's head.  Only what the record states is said: no upload
date is invented for a film the catalogue only describes, and the record is a
``VideoObject`` only when it is known to be a moving image (an ``AudioObject`` when it is
sound, a ``Map`` when its MARC says cartographic, a ``CreativeWork`` when nothing says).
"""

from __future__ import annotations

import json
from typing import Any

from catalogue.model import Credit, Record
from mappings import iiif
from mappings.durations import to_iso

SCHEMA_ORG = "https://schema.org"
#: Roles schema.org has a property for; every other credit is a ``contributor``.
ROLE_PROPERTIES = {"director": "director", "producer": "producer"}


def _agent(credit: Credit) -> dict[str, Any]:
    if credit.unqualified:
        return {"name": credit.written or ""}  # neither Person nor Organization: not said
    if credit.person is None:
        return {"@type": "Organization", "name": credit.organisation or ""}
    person = credit.person
    agent: dict[str, Any] = {
        "@type": "Person",
        "name": " ".join(p for p in (person.given_name, person.family_name) if p),
        "familyName": person.family_name,
    }
    if person.given_name:
        agent["givenName"] = person.given_name
    if person.affiliations:
        agent["affiliation"] = [{"@type": "Organization", "name": a} for a in person.affiliations]
    if credit.role:
        agent["jobTitle"] = credit.role
    return agent


Properties = dict[str, Any]


def _names(record: Record) -> Properties:
    others = [t.value for t in (*record.titles[1:], *record.alternative_titles)]
    description = "\n".join(t.value for t in record.abstracts or record.descriptions)
    return {
        "name": record.titles[0].value if record.titles else None,
        "alternateName": others,
        "description": description,
    }


def _time(record: Record) -> Properties:
    found: Properties = {}
    if record.duration_seconds is not None:
        found["duration"] = to_iso(record.duration_seconds)
    if record.production_year is not None:
        found["dateCreated"] = str(record.production_year)
    for date in record.dates:
        if any(word in (date.type or "").lower() for word in ("issue", "publi", "broadcast")):
            found.setdefault("datePublished", date.value)
        else:
            found.setdefault("dateCreated", date.value)
    return found


def _people(record: Record) -> Properties:
    found: Properties = {"thumbnailUrl": [k.image for k in record.keyframes]}
    for credit in record.credits:
        key = ROLE_PROPERTIES.get((credit.role or "").lower(), "contributor")
        found.setdefault(key, []).append(_agent(credit))
    return found


def _context(record: Record) -> Properties:
    identifiers = [record.identifier, *(t.value for t in record.identifiers)]
    if record.item_number:
        identifiers.append(record.item_number)
    return {
        "inLanguage": record.languages,
        "identifier": identifiers,
        "isPartOf": [{"@type": "CreativeWorkSeries", "name": t.value} for t in record.series],
        "keywords": [t.value for t in record.subjects],
        "audience": [{"@type": "Audience", "audienceType": a} for a in record.audiences],
        "videoQuality": record.definition,
    }


def _rights(record: Record) -> Properties:
    conditions = [t.value for t in record.rights]
    if record.distribution_restriction:
        conditions.append(record.distribution_restriction)
    publisher = record.source_archive
    return {
        "license": record.rights_uri,
        "conditionsOfAccess": "; ".join(conditions),
        "publisher": {"@type": "Organization", "name": publisher} if publisher else None,
    }


#: The properties, each group from its own reader; empty ones are left out.
PROPERTIES = (_names, _time, _people, _context, _rights)
#: DCMI type -> schema.org type.
SCHEMA_TYPES = {
    "MovingImage": "VideoObject",
    "Sound": "AudioObject",
    "StillImage": "ImageObject",
    "Image": "ImageObject",
    "Dataset": "Dataset",
    "Software": "SoftwareApplication",
    "Collection": "Collection",
    "Event": "Event",
}
#: Properties schema.org gives media objects only (a CreativeWork has no duration).
MEDIA_ONLY = {"duration", "videoQuality"}


def schema_type(record: Record) -> str:
    """The schema.org type the record's own statements support."""
    if (record.marc_leader or "")[6:7] in ("e", "f"):
        return "Map"
    return SCHEMA_TYPES.get(record.resource_type or "", "CreativeWork")


def json_ld(record: Record, url: str, manifest: str | None = None) -> dict[str, Any]:
    """The record (as published) as the schema.org thing whose page is ``url``; its IIIF
    Manifest, where there is one, as a work about it."""
    kind = schema_type(record)
    data: dict[str, Any] = {"@context": SCHEMA_ORG, "@type": kind, "@id": url, "url": url}
    if manifest is not None:
        data["subjectOf"] = {
            "@type": "CreativeWork",
            "url": manifest,
            "encodingFormat": iiif.MEDIA_TYPE,
        }
    for properties in PROPERTIES:
        data.update((key, value) for key, value in properties(record).items() if value)
    if kind not in ("VideoObject", "AudioObject"):
        for key in MEDIA_ONLY:
            data.pop(key, None)
    if kind != "VideoObject":
        data.pop("videoQuality", None)
    return data


def script_text(data: dict[str, Any]) -> str:
    """The JSON for a ``<script type="application/ld+json">``: nothing in it can close
    the element (``</script>``) or open a comment, whatever the record says."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
