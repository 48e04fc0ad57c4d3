"""Formats honest about what they hold: the admin's validation page says per format how
many live records it holds and why the others are not in it; exporting a format that
holds nothing warns and fails, as does validating nothing; `serve --demo` serves the demo
in all five formats."""

from __future__ import annotations

import re
import zipfile

import pytest
import requests

from catalogue.database import open_store
from checks.holdings import holdings, said
from ingest.importing import import_paths
from mappings.formats import FORMATS
from mappings.publication import Publication
from navette import demo
from tests.admin.conftest import TOKEN
from tests.conftest import requires_schemas
from tests.serving import Served

pytestmark = requires_schemas


@pytest.fixture
def demo_without_rights(database_url):
    """The demo's records imported with no default rights statement: EDM requires one."""
    sessions = open_store(database_url)
    import_paths(sessions, demo.demo_files(), publication=Publication())
    yield sessions
    sessions.kw["bind"].dispose()


def test_each_format_says_how_many_records_it_holds_and_why_not_the_others(demo_without_rights):
    with demo_without_rights() as session:
        found = {h.prefix: h for h in holdings(session, Publication())}
    assert {p: h.records for p, h in found.items()} == {
        "oai_dc": 221, "ebucore": 221, "edm": 0, "marcxml": 221, "mods": 221
    }  # fmt: skip
    assert found["edm"].reasons == [
        ("it has no rights statement URI (give one, or set NAVETTE_DEFAULT_RIGHTS)", 221)
    ]


def test_a_format_not_served_says_so(demo_without_rights):
    with demo_without_rights() as session:
        found = {h.prefix: h for h in holdings(session, Publication(formats=("oai_dc",)))}
    assert found["mods"].reasons == [("the format is not served (NAVETTE_FORMATS)", 221)]


def test_exporting_a_format_holding_no_record_warns_and_fails(demo_without_rights, cli, tmp_path):
    result = cli("export", "--prefix", "edm", "--out", tmp_path / "edm")
    assert result.exit_code == 1
    assert "0 edm records written" in result.output
    assert "warning: nothing exported: edm holds 0 of the live records; 221 are not in it" in (
        result.output
    )
    assert "221 it has no rights statement URI (give one, or set NAVETTE_DEFAULT_RIGHTS)" in (
        result.output
    )


def test_validating_an_empty_folder_fails_saying_nothing_was_checked(cli, tmp_path):
    (tmp_path / "empty").mkdir()
    result = cli("validate", "--profile", "europeana", tmp_path / "empty")
    assert result.exit_code == 2
    assert "nothing to check: no XML document found in" in result.output


def test_validating_an_empty_archive_fails_too(cli, tmp_path):
    with zipfile.ZipFile(tmp_path / "edm.zip", "w"):
        pass
    result = cli("validate", "--profile", "europeana", tmp_path / "edm.zip")
    assert result.exit_code == 2 and "nothing to check" in result.output


def test_the_admin_validation_page_shows_what_each_format_holds(demo_without_rights, database_url):
    from navette.app import close_app, create_app
    from navette.config import Settings

    app = create_app(Settings(database_url=database_url, secret_key="k", admin_token=TOKEN))
    try:
        page = (
            app.test_client()
            .get("/admin/validation", headers={"Authorization": f"Bearer {TOKEN}"})
            .text
        )
    finally:
        close_app(app)
    edm = re.search(r"<code>edm</code>.*?</tr>", page, re.S).group(0)
    assert re.findall(r'class="number">(\d+)<', edm) == ["0", "221"]
    assert "221: it has no rights statement URI" in edm


def test_said_in_a_sentence():
    from checks.holdings import Holding

    held = Holding("edm", True, 5, 3, [("it has no rights statement URI", 3)], 3)
    assert said(held) == (
        "edm holds 5 of the live records; 3 are not in it: 3 it has no rights statement URI"
    )


def test_serve_demo_serves_every_format(tmp_path):
    server = Served({"NAVETTE_DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}"},
                    tmp_path / "serve.log", "--demo")  # fmt: skip
    try:
        held = {
            prefix: requests.get(
                server.oai, params={"verb": "ListIdentifiers", "metadataPrefix": prefix}, timeout=30
            ).text.count("<header>")
            for prefix in FORMATS
        }
    finally:
        server.stop()
    assert held == {prefix: 221 for prefix in FORMATS}
    assert "rightsstatements.org/vocab/InC/1.0/" in server.log_path.read_text()
