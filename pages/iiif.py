"""The catalogue for IIIF clients beyond one Manifest: a Collection per set (viewers
browse them, aggregators walk them) and the Change Discovery API 1.0's Activity
Streams, by which IIIF aggregators follow what was created, updated and deleted.

    /iiif/collection.json              the top Collection: one Collection per set
    /iiif/sets/<spec>.json             a set's Manifests, or its pages past PER_PAGE
    /iiif/sets/<spec>/<n>.json         one page of a large set
    /iiif/activity/all-changes.json    the OrderedCollection of changes
    /iiif/activity/pages/<n>.json      a page of it, oldest changes first

Changes are read as the ResourceSync Change Lists read them (``resourcesync.listing``):
a record's latest change, at its datestamp, so both protocols announce the same ones.
Open to scripts of any origin, as IIIF clients in a browser need.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Response, abort, url_for
from sqlalchemy import func, select

from catalogue import codec
from catalogue.tables import RecordContent, RecordRow, RecordSet, SetRow
from mappings.iiif import CONTEXT, languages
from pages.views import blueprint, publication, sessions
from protocol.dates import format_datestamp
from resourcesync import listing

DISCOVERY = "http://iiif.io/api/discovery/1/context.json"
#: Manifests a set's Collection lists itself; a larger set is split into pages of these.
PER_PAGE = 1000
#: Activities a Change Discovery page holds.
PER_ACTIVITY_PAGE = 1000
#: Every live record has this rendering (OAI-PMH requires it): its changes are all.
EVERY_RECORD = "oai_dc"
KINDS = {"created": "Create", "updated": "Update", "deleted": "Delete"}


def _json(made: dict[str, Any], context: str = CONTEXT) -> Response:
    body = json.dumps({"@context": context, **made}, ensure_ascii=False, indent=1)
    return Response(
        body,
        mimetype=f'application/ld+json;profile="{context}"',
        headers={"Access-Control-Allow-Origin": "*"},
    )


def _url(endpoint: str, **values) -> str:
    return (publication().site_url or "") + url_for(endpoint, **values)


def _manifest_url(identifier: str) -> str:
    """Beside the landing page, as the Manifest itself says its address is."""
    return f"{publication().landing_page(identifier)}/manifest.json"


@blueprint.get("/iiif/collection.json")
def iiif_collection():
    with sessions()() as db:
        sets = db.execute(select(SetRow.spec, SetRow.name).order_by(SetRow.spec)).all()
    return _json(
        {
            "id": _url("pages.iiif_collection"),
            "type": "Collection",
            "label": {"none": [publication().provider or "Navette"]},
            "items": [
                {
                    "id": _url("pages.iiif_set", spec=spec),
                    "type": "Collection",
                    "label": {"none": [name or spec]},
                }
                for spec, name in sets
            ],
        }
    )


def _members(spec: str):
    return (
        select(RecordRow.id)
        .join(RecordSet, RecordSet.record_id == RecordRow.id)
        .where(RecordSet.spec == spec, RecordRow.deleted.is_(False))
    )


def _manifests(db, spec: str, page: int) -> list[dict[str, Any]]:
    """A page of the set's Manifests, each labelled with its record's titles."""
    rows = db.execute(
        select(RecordRow.identifier, RecordContent.data)
        .join(RecordContent, RecordContent.record_id == RecordRow.id)
        .where(RecordRow.id.in_(_members(spec).scalar_subquery()))
        .order_by(RecordRow.id)
        .offset((page - 1) * PER_PAGE)
        .limit(PER_PAGE)
    )
    made = []
    for identifier, data in rows:
        record = codec.from_dict(data)
        label = languages(record.titles) or {"none": [identifier]}
        made.append({"id": _manifest_url(identifier), "type": "Manifest", "label": label})
    return made


def _set_name(db, spec: str) -> str:
    name = db.scalar(select(SetRow.name).where(SetRow.spec == spec))
    if name is None:
        abort(404)
    return name or spec


@blueprint.get("/iiif/sets/<spec>.json")
def iiif_set(spec: str):
    with sessions()() as db:
        name = _set_name(db, spec)
        count = db.scalar(select(func.count()).select_from(_members(spec).subquery()))
        pages = -(-count // PER_PAGE)
        if pages <= 1:
            items = _manifests(db, spec, 1)
        else:
            items = [
                {
                    "id": _url("pages.iiif_set_page", spec=spec, page=page),
                    "type": "Collection",
                    "label": {"none": [f"{name} ({page}/{pages})"]},
                }
                for page in range(1, pages + 1)
            ]
    made = {"id": _url("pages.iiif_set", spec=spec), "type": "Collection"}
    return _json({**made, "label": {"none": [name]}, "items": items})


@blueprint.get("/iiif/sets/<spec>/<int:page>.json")
def iiif_set_page(spec: str, page: int):
    with sessions()() as db:
        name = _set_name(db, spec)
        items = _manifests(db, spec, page) if page >= 1 else []
    if not items:
        abort(404)
    return _json(
        {
            "id": _url("pages.iiif_set_page", spec=spec, page=page),
            "type": "Collection",
            "label": {"none": [f"{name} ({page})"]},
            "partOf": [{"id": _url("pages.iiif_set", spec=spec), "type": "Collection"}],
            "items": items,
        }
    )


def _activity_page(number: int) -> dict[str, str]:
    return {"id": _url("pages.iiif_activity_page", number=number), "type": "OrderedCollectionPage"}


def _collection() -> dict[str, str]:
    return {"id": _url("pages.iiif_activity"), "type": "OrderedCollection"}


@blueprint.get("/iiif/activity/all-changes.json")
def iiif_activity():
    with sessions()() as db:
        starts = listing.change_pages(db, EVERY_RECORD, PER_ACTIVITY_PAGE)
        total = db.scalar(select(func.count()).select_from(RecordRow))
    made = {**_collection(), "totalItems": total}
    if starts:
        made["first"] = _activity_page(1)
        made["last"] = _activity_page(len(starts))
    return _json(made, DISCOVERY)


@blueprint.get("/iiif/activity/pages/<int:number>.json")
def iiif_activity_page(number: int):
    with sessions()() as db:
        starts = listing.change_pages(db, EVERY_RECORD, PER_ACTIVITY_PAGE)
        if not 1 <= number <= len(starts):
            abort(404)
        end = starts[number] if number < len(starts) else None
        changes = list(listing.changes(db, EVERY_RECORD, starts[number - 1], end))
    made = {
        **_activity_page(number),
        "partOf": _collection(),
        "startIndex": (number - 1) * PER_ACTIVITY_PAGE,
        "orderedItems": [
            {
                "type": KINDS[change.change],
                "object": {"id": _manifest_url(change.identifier), "type": "Manifest"},
                "endTime": format_datestamp(change.datestamp),
            }
            for change in changes
        ],
    }
    if number > 1:
        made["prev"] = _activity_page(number - 1)
    if number < len(starts):
        made["next"] = _activity_page(number + 1)
    return _json(made, DISCOVERY)
