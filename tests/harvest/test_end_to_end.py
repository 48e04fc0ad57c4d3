"""Kept in step, end to end: one Navette serves as a partner, another harvests it and
re-serves it, and a real client (Sickle) harvesting the second sees the partner's catalogue,
deletions included."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest
import requests
from sickle import Sickle

from tests.conftest import ROOT, SEED_FILE, requires_schemas
from tests.serving import Served

pytestmark = requires_schemas


class Instance:
    """A Navette of its own: database, environment, and `navette serve` on loopback."""

    def __init__(self, database_url: str, repository: str, folder) -> None:
        self.env = {
            "NAVETTE_DATABASE_URL": database_url,
            "NAVETTE_REPOSITORY_ID": repository,
            "NAVETTE_PAGE_SIZE": "50",
        }
        self.folder = folder
        self.server: Served | None = None

    def navette(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "navette", *args],
            env={**os.environ, **self.env},
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
        )

    def serve(self) -> str:
        self.server = Served(self.env, self.folder / f"serve-{id(self)}.log")
        return self.server.oai

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()


@pytest.fixture
def instances(database_url, tmp_path):
    started = []

    def make(url: str, repository: str) -> Instance:
        instance = Instance(url, repository, tmp_path)
        started.append(instance)
        return instance

    yield make
    for instance in started:
        instance.stop()


def _sickle_view(url: str) -> dict[str, tuple[bool, str | None]]:
    """identifier -> (deleted, first title), as a harvester of that endpoint sees it."""
    seen = {}
    for record in Sickle(url).ListRecords(metadataPrefix="oai_dc", ignore_deleted=False):
        title = None if record.deleted else record.metadata["title"][0]
        assert record.header.identifier not in seen
        seen[record.header.identifier] = (record.deleted, title)
    return seen


def test_two_navettes_stay_in_step(instances, database_url, tmp_path):
    partner = instances(f"sqlite:///{tmp_path / 'partner.db'}", "partner.example.org")
    ours = instances(database_url, "navette.example.org")
    assert partner.navette("demo").returncode == 0
    partner_url = partner.serve()

    assert ours.navette("sources", "add", "partner", partner_url).returncode == 0
    first = ours.navette("harvest", "partner")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "221 new" in first.stdout
    ours_url = ours.serve()
    view = _sickle_view(ours_url)
    assert len(view) == 221 and not any(deleted for deleted, _ in view.values())
    assert view["oai:navette.example.org:partner:oai:partner.example.org:cnrs-6764"][1] == (
        "Mars Express Mission"
    )

    time.sleep(1.1)  # the partner's changes come after its responseDate of the first harvest
    seed = json.loads(SEED_FILE.read_text().splitlines()[0])
    added = {
        **seed,
        "identifier": "cnrs-9001",
        "titles": [{"value": "Venus Express", "lang": "en"}],
    }
    changed = {**seed, "titles": [{"value": "Mars Express, the mission", "lang": "en"}]}
    changes = tmp_path / "changes.jsonl"
    changes.write_text(json.dumps(added) + "\n" + json.dumps(changed) + "\n")
    assert partner.navette("import", str(changes)).returncode == 0
    assert partner.navette("delete", "cnrs-7003").returncode == 0

    second = ours.navette("harvest", "partner")
    assert second.returncode == 0, second.stdout + second.stderr
    assert "1 new, 1 updated" in second.stdout and "1 deleted" in second.stdout

    view = _sickle_view(ours_url)
    prefix = "oai:navette.example.org:partner:oai:partner.example.org:"
    assert len(view) == 222
    assert view[prefix + "cnrs-9001"] == (False, "Venus Express")
    assert view[prefix + "cnrs-6764"] == (False, "Mars Express, the mission")
    assert view[prefix + "cnrs-7003"] == (True, None)
    assert sum(deleted for deleted, _ in view.values()) == 1

    record = requests.get(
        ours_url,
        params={
            "verb": "GetRecord",
            "metadataPrefix": "ebucore",
            "identifier": prefix + "cnrs-9001",
        },
        timeout=10,
    )
    assert b"<provenance" in record.content and partner_url.encode() in record.content
