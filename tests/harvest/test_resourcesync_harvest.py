"""Navette as a ResourceSync destination: a source added with ``--protocol resourcesync``
is harvested from its Capability List (the Resource List first, then the Change List)
into the same run as OAI-PMH's: here Navette harvests a real ``navette serve`` on
loopback over ResourceSync and over OAI-PMH and ends with the same catalogue; then a
deletion, a change and an addition come over the Change List.  On both databases."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from catalogue import store
from catalogue.tables import RecordRow
from harvester import state
from harvester.sync import Harvest
from protocol.dates import utc_now
from tests.conftest import requires_schemas
from tests.demo_changes import ADDED, NEW_TITLE, RETITLED, WITHDRAWN, change_the_catalogue
from tests.harvest.helpers import fetcher
from tests.serving import Served

pytestmark = requires_schemas

PREFIX = "ebucore"


@pytest.fixture
def navette_source(tmp_path):
    """`navette serve --demo`: the partner, with its store's URL to change it."""
    folder = tmp_path
    url = f"sqlite:///{folder / 'source.db'}"
    server = Served({"NAVETTE_DATABASE_URL": url}, folder / "serve.log", "--demo")
    yield server.base, url
    server.stop()


def _add(sessions, name: str, url: str, protocol: str) -> None:
    with sessions.begin() as session:
        state.add_source(session, name, url, [PREFIX], [], None, utc_now(), 0.2, protocol)


def _harvest(sessions, name: str):
    return Harvest(sessions, name, fetcher=fetcher()).run()


def _catalogue(sessions, source: str) -> dict[str, dict]:
    """The source's live records by the partner's own identifier, without what says
    where they came from (their identifiers, provenance and source set)."""
    with sessions() as session:
        identifiers = session.scalars(
            select(RecordRow.identifier).where(
                RecordRow.source == source, RecordRow.deleted.is_(False)
            )
        ).all()
        data = store.stored_data(session, identifiers)
    kept = {}
    for identifier, record in data.items():
        local = identifier.rsplit("/", 1)[-1].rsplit(":", 1)[-1]
        kept[local] = {
            key: value
            for key, value in record.items()
            if key not in ("identifier", "provenance", "sets")
        }
    return kept


def test_navette_harvests_navette_over_resourcesync_as_over_oai_pmh(sessions, navette_source):
    base, _ = navette_source
    _add(sessions, "peer-rs", f"{base}/resourcesync/{PREFIX}/capabilitylist.xml", "resourcesync")
    _add(sessions, "peer-oai", f"{base}/oai", "oai-pmh")
    over_rs, over_oai = _harvest(sessions, "peer-rs"), _harvest(sessions, "peer-oai")
    assert (over_rs.status, over_oai.status) == ("success", "success"), over_rs.message
    assert over_rs.counts["new"] == over_oai.counts["new"] > 200
    assert _catalogue(sessions, "peer-rs") == _catalogue(sessions, "peer-oai")


def test_the_change_list_brings_a_deletion_a_change_and_an_addition(sessions, navette_source):
    base, url = navette_source
    _add(sessions, "peer-rs", f"{base}/resourcesync/{PREFIX}/capabilitylist.xml", "resourcesync")
    assert _harvest(sessions, "peer-rs").status == "success"
    change_the_catalogue(url)
    later = _harvest(sessions, "peer-rs")
    assert later.status == "success", (later.message, later.counts)
    assert (later.counts["new"], later.counts["updated"], later.counts["deleted"]) == (1, 1, 1)
    kept = _catalogue(sessions, "peer-rs")
    assert WITHDRAWN not in kept and ADDED in kept
    assert kept[RETITLED]["titles"][0]["value"] == NEW_TITLE
