"""The catalogue for IIIF clients beyond one Manifest: a Collection per set, valid
against the IIIF Presentation 3 JSON schema, and the Change Discovery API 1.0's
activity stream, walked backwards from its last page as aggregators walk it.  On both
databases, over the demo catalogue (one record withdrawn)."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from pages import iiif
from tests.conftest import requires_schemas
from tests.pages.conftest import PUBLIC_URL
from tests.pages.test_iiif import validator  # noqa: F401  (the schema, as a fixture)

pytestmark = requires_schemas

DISCOVERY = "http://iiif.io/api/discovery/1/context.json"


def _get(site, url: str) -> dict:
    answer = site.get(urlsplit(url).path)
    assert answer.status_code == 200, url
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    return json.loads(answer.data)


def _valid(validator, made: dict) -> dict:  # noqa: F811
    problems = [error.message for error in validator.iter_errors(made)]
    assert problems == [], made["id"]
    return made


def test_the_top_collection_holds_a_collection_per_set(site, validator):  # noqa: F811
    top = _valid(validator, _get(site, "/iiif/collection.json"))
    assert top["type"] == "Collection" and len(top["items"]) > 10
    assert {item["type"] for item in top["items"]} == {"Collection"}
    assert all(item["id"].startswith(f"{PUBLIC_URL}/iiif/sets/") for item in top["items"])


def test_a_set_lists_the_manifests_of_its_live_records(site, validator):  # noqa: F811
    top = _get(site, "/iiif/collection.json")
    series = next(item for item in top["items"] if "/series:" in item["id"])
    collection = _valid(validator, _get(site, series["id"]))
    manifests = collection["items"]
    assert manifests and {item["type"] for item in manifests} == {"Manifest"}
    for item in manifests[:3]:
        assert _get(site, item["id"])["id"] == item["id"]
    assert all(item["label"] for item in manifests)


def test_a_large_set_is_split_into_collections_of_pages(site, validator, monkeypatch):  # noqa: F811
    monkeypatch.setattr(iiif, "PER_PAGE", 10)
    top = _get(site, "/iiif/collection.json")
    archive = max(top["items"], key=lambda item: len(_get(site, item["id"])["items"]))
    parts = _valid(validator, _get(site, archive["id"]))["items"]
    assert len(parts) > 1 and {item["type"] for item in parts} == {"Collection"}
    pages = [_valid(validator, _get(site, part["id"])) for part in parts]
    manifests = [item["id"] for page in pages for item in page["items"]]
    assert len(manifests) == len(set(manifests)) > 10


def test_an_unknown_set_is_not_found(site):
    assert site.get("/iiif/sets/no-such-set.json").status_code == 404
    assert site.get("/iiif/sets/no-such-set/2.json").status_code == 404


def test_the_activity_stream_gives_each_record_its_latest_change_oldest_first(site, monkeypatch):
    monkeypatch.setattr(iiif, "PER_ACTIVITY_PAGE", 40)
    stream = _get(site, "/iiif/activity/all-changes.json")
    assert stream["@context"] == DISCOVERY and stream["type"] == "OrderedCollection"
    page, activities = _get(site, stream["last"]["id"]), []
    while True:
        assert page["type"] == "OrderedCollectionPage" and page["partOf"]["id"] == stream["id"]
        activities[:0] = page["orderedItems"]
        if "prev" not in page:
            break
        page = _get(site, page["prev"]["id"])
    assert page["id"] == stream["first"]["id"]
    assert len(activities) == stream["totalItems"] == 221
    moments = [activity["endTime"] for activity in activities]
    assert moments == sorted(moments)
    kinds = {
        activity["object"]["id"].rsplit("/", 2)[1]: activity["type"] for activity in activities
    }
    assert kinds.pop("cnrs-7001") == "Delete"
    assert set(kinds.values()) == {"Create"}
    assert {activity["object"]["type"] for activity in activities} == {"Manifest"}


def test_an_activity_page_past_the_last_is_not_found(site):
    assert site.get("/iiif/activity/pages/0.json").status_code == 404
    assert site.get("/iiif/activity/pages/99.json").status_code == 404
