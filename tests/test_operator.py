"""An operator's comforts: log level and JSON logs, a password hashed from a pipe, help
that says what import reads, a hint for an OAI identifier, SQLite's side files ignored."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import requests
from click.testing import CliRunner
from werkzeug.security import check_password_hash

from navette.cli import main
from navette.config import Settings
from tests.conftest import ROOT, requires_schemas
from tests.harvest.partner import films
from tests.serving import Served

NAVETTE = [sys.executable, "-c", "from navette.cli import main; main()"]


def test_a_password_piped_in_is_hashed():
    done = subprocess.run(
        [*NAVETTE, "admin", "hash-password"],
        input="correct horse\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    assert check_password_hash(done.stdout.strip(), "correct horse")


def test_an_empty_password_is_refused():
    result = CliRunner().invoke(main, ["admin", "hash-password"], input="\n")
    assert result.exit_code == 2 and "empty" in result.output


def test_import_help_names_the_formats_the_csv_columns_and_the_exit_codes():
    text = CliRunner().invoke(main, ["import", "--help"]).output
    for words in (".jsonl", ".csv", "EBUCore", "oai_dc", ".zip", "titles", "keyframes", "Exit"):
        assert words in text


@requires_schemas
def test_deleting_by_oai_identifier_hints_at_the_local_one(tmp_path, monkeypatch):
    monkeypatch.setenv("NAVETTE_DATABASE_URL", f"sqlite:///{tmp_path / 'd.db'}")
    result = CliRunner().invoke(main, ["delete", "oai:navette.example.org:cnrs-6764"])
    assert result.exit_code == 1
    assert "give the local one: navette delete cnrs-6764" in result.output


def test_sqlite_side_files_are_ignored_by_git():
    lines = (ROOT / ".gitignore").read_text().split()
    assert {"*.db-wal", "*.db-shm"} <= set(lines)


def test_log_settings_are_checked(monkeypatch):
    monkeypatch.setenv("NAVETTE_LOG_LEVEL", "debug")
    monkeypatch.setenv("NAVETTE_LOG_FORMAT", "JSON")
    settings = Settings.from_env()
    assert (settings.log_level, settings.log_format) == ("DEBUG", "json")
    monkeypatch.setenv("NAVETTE_LOG_FORMAT", "xml")
    with pytest.raises(ValueError, match="text or json"):
        Settings.from_env()


def test_read_ahead_is_on_off_or_left_to_the_server(monkeypatch):
    monkeypatch.delenv("NAVETTE_READ_AHEAD", raising=False)
    assert Settings.from_env().read_ahead is None
    monkeypatch.setenv("NAVETTE_READ_AHEAD", "On")
    assert Settings.from_env().read_ahead is True
    monkeypatch.setenv("NAVETTE_READ_AHEAD", "off")
    assert Settings.from_env().read_ahead is False
    monkeypatch.setenv("NAVETTE_READ_AHEAD", "sometimes")
    with pytest.raises(ValueError, match="on or off"):
        Settings.from_env()


def test_every_setting_is_read_in_one_place(monkeypatch):
    """The database and the harvest's worker count come from Settings like the rest."""
    monkeypatch.setenv("NAVETTE_DATABASE_URL", "postgresql://u@db/navette")
    monkeypatch.setenv("NAVETTE_HARVEST_WORKERS", "0")
    monkeypatch.setenv("NAVETTE_PUBLIC_URL", "https://films.example.org/")
    settings = Settings.from_env()
    assert settings.database_url == "postgresql://u@db/navette"
    assert settings.harvest_workers == 0
    assert settings.publication().landing_page("a b") == "https://films.example.org/records/a%20b"
    monkeypatch.setenv("NAVETTE_HARVEST_WORKERS", "many")
    with pytest.raises(ValueError, match="NAVETTE_HARVEST_WORKERS"):
        Settings.from_env()


def test_the_schema_folder_and_the_user_cache_are_settings(monkeypatch, tmp_path):
    monkeypatch.setenv("NAVETTE_SCHEMA_DIR", str(tmp_path / "xsd"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    location = Settings.from_env().schema_location()
    assert location.folder == tmp_path / "xsd"
    assert location.cache_home == tmp_path / "cache"


def test_a_public_url_must_be_a_web_address(monkeypatch):
    monkeypatch.setenv("NAVETTE_PUBLIC_URL", "javascript:alert(1)")
    with pytest.raises(ValueError, match="NAVETTE_PUBLIC_URL"):
        Settings.from_env()


def test_serve_writes_one_json_line_per_request(tmp_path):
    server = Served(
        {"NAVETTE_DATABASE_URL": f"sqlite:///{tmp_path / 's.db'}", "NAVETTE_LOG_FORMAT": "json"},
        tmp_path / "serve.log",
    )
    try:
        requests.get(server.oai, params={"verb": "Identify"}, timeout=5)
    finally:
        server.stop()
    entries = [
        json.loads(line)
        for line in (tmp_path / "serve.log").read_text().splitlines()
        if line.startswith("{")
    ]
    requests_logged = [e for e in entries if e["logger"] == "navette.access"]
    assert requests_logged and requests_logged[-1]["status"] == "200"
    assert requests_logged[-1]["path"] == "/oai" and "verb=Identify" in requests_logged[-1]["query"]


@requires_schemas
def test_harvest_writes_a_json_line_per_page_and_per_run(tmp_path, partners):
    partner = partners(films(7))
    env = {
        "NAVETTE_DATABASE_URL": f"sqlite:///{tmp_path / 'h.db'}",
        "NAVETTE_LOG_FORMAT": "json",
        "PYTHONPATH": str(ROOT),
    }
    env = {**os.environ, **env}
    subprocess.run([*NAVETTE, "sources", "add", "p", partner.url], env=env, cwd=ROOT, check=True)
    done = subprocess.run(
        [*NAVETTE, "harvest", "p"], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    entries = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    pages = [e for e in entries if "page" in e]
    assert [p["page"] for p in pages] == [1, 2, 3] and pages[-1]["records"] == 7
    [run] = [e for e in entries if "run" in e]
    assert run["run"]["status"] == "success" and run["run"]["new"] == 7
