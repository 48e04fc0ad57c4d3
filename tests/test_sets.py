"""Sets carry human names: series, subjects and archives by what they are, a partner's set
by its repositoryName, and any set by the name an admin gives it, kept thereafter."""

from __future__ import annotations

import json

from click.testing import CliRunner
from lxml import etree

from ingest.importing import import_paths
from navette.app import close_app, create_app
from navette.cli import main
from navette.config import Settings
from tests.conftest import requires_schemas
from tests.harvest.helpers import run
from tests.harvest.partner import films

pytestmark = requires_schemas
OAI = "{http://www.openarchives.org/OAI/2.0/}"


def list_sets(database_url: str) -> dict[str, tuple[str, str | None]]:
    app = create_app(Settings(database_url=database_url, secret_key="k"))
    root = etree.fromstring(app.test_client().get("/oai?verb=ListSets").data)
    close_app(app)
    sets = {}
    for found in root.iter(OAI + "set"):
        description = found.find(OAI + "setDescription")
        text = "".join(description.itertext()).strip() if description is not None else None
        sets[found.findtext(OAI + "setSpec")] = (found.findtext(OAI + "setName"), text)
    return sets


def _import(sessions, seed_data, tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({**seed_data, "sets": ["collection:moi"]}) + "\n", "utf-8")
    assert import_paths(sessions, [path]).ok
    return path


def test_derived_sets_are_named_by_what_they_are(sessions, seed_data, tmp_path, database_url):
    _import(sessions, seed_data, tmp_path)
    sets = list_sets(database_url)
    assert sets["series:facing-the-universe-a-dive-into-space-research"][0] == (
        "Facing the Universe, a Dive into Space Research"
    )
    assert sets["subject:space-sciences"][0] == "Space Sciences"
    assert sets["collection:moi"][0] == "collection:moi"


def test_an_admin_names_a_set_from_the_command_line_and_imports_keep_it(
    sessions, seed_data, tmp_path, database_url, monkeypatch
):
    path = _import(sessions, seed_data, tmp_path)
    monkeypatch.setenv("NAVETTE_DATABASE_URL", database_url)
    result = CliRunner().invoke(
        main, ["sets", "name", "collection:moi", "My selection", "--description", "Picked films."]
    )
    assert result.exit_code == 0, result.output
    import_paths(sessions, [path], replace=True)
    assert list_sets(database_url)["collection:moi"] == ("My selection", "Picked films.")
    assert "collection:moi\tMy selection" in CliRunner().invoke(main, ["sets", "list"]).output
    assert CliRunner().invoke(main, ["sets", "name", "nope", "X"]).exit_code == 2


def test_a_partners_set_is_named_by_its_repository_name(sessions, partners, database_url):
    run(sessions, partners(films(3)))
    assert list_sets(database_url)["source:partner"][0] == "Partner"
