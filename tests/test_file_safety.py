"""What export writes and import reads stays where it was asked to (issue 34): export never
writes through a link planted at a name it writes, a manifest never hands a spreadsheet a
formula, and import never follows a link out of the folder it reads."""

from __future__ import annotations

import dataclasses
import json
import zipfile

from catalogue import store
from ingest.importing import import_paths
from ingest.prepare import prepare
from navette.exporting import MANIFEST, export_to_folder, export_to_zip, file_name
from tests.conftest import requires_schemas

pytestmark = requires_schemas

FORMULA = '=HYPERLINK("http://evil.example","open")'


def _store(sessions, seed_record, *identifiers: str) -> None:
    with sessions.begin() as session:
        store.save(
            session,
            [prepare(dataclasses.replace(seed_record, identifier=i)) for i in identifiers],
        )


def _victim(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    return victim


def test_a_link_planted_as_the_manifest_or_a_records_file_is_replaced_not_written_through(
    sessions, seed_record, tmp_path
):
    _store(sessions, seed_record, "cnrs-6764")
    victim, out = _victim(tmp_path), tmp_path / "out"
    out.mkdir()
    (out / MANIFEST).symlink_to(victim)
    (out / file_name("cnrs-6764")).symlink_to(victim)
    assert export_to_folder(sessions, "oai_dc", out) == 1
    assert victim.read_text(encoding="utf-8") == "precious"
    assert not (out / MANIFEST).is_symlink() and not (out / file_name("cnrs-6764")).is_symlink()
    assert "Mars Express Mission" in (out / file_name("cnrs-6764")).read_text(encoding="utf-8")


def test_a_link_planted_as_the_archive_is_replaced_not_written_through(
    sessions, seed_record, tmp_path
):
    _store(sessions, seed_record, "cnrs-6764")
    victim, archive = _victim(tmp_path), tmp_path / "out.zip"
    archive.symlink_to(victim)
    assert export_to_zip(sessions, "oai_dc", archive) == 1
    assert victim.read_text(encoding="utf-8") == "precious"
    assert zipfile.ZipFile(archive).namelist() == [
        f"oai_dc/{file_name('cnrs-6764')}",
        f"oai_dc/{MANIFEST}",
    ]


def test_an_identifier_a_spreadsheet_would_run_is_written_after_an_apostrophe(
    sessions, seed_record, tmp_path
):
    _store(sessions, seed_record, FORMULA, "+cmd", "cnrs-6764")
    export_to_folder(sessions, "oai_dc", tmp_path / "out")
    identifiers = [
        line.split("\t")[1]
        for line in (tmp_path / "out" / MANIFEST).read_text(encoding="utf-8").splitlines()[1:]
    ]
    assert sorted(identifiers) == sorted([f"'{FORMULA}", "'+cmd", "cnrs-6764"])


def test_import_skips_a_link_out_of_the_folder_and_says_so(sessions, seed_data, tmp_path):
    outside, folder = tmp_path / "outside.jsonl", tmp_path / "in"
    folder.mkdir()
    outside.write_text(json.dumps({**seed_data, "identifier": "outside"}) + "\n", "utf-8")
    (folder / "inside.jsonl").write_text(json.dumps(seed_data) + "\n", encoding="utf-8")
    (folder / "planted.jsonl").symlink_to(outside)
    (folder / "alias.jsonl").symlink_to(folder / "inside.jsonl")
    report = import_paths(sessions, [folder])
    assert report.counts["new"] == 1
    (skipped,) = report.rejected
    assert "outside the folder being imported: skipped" in str(skipped)
