"""Export file names are safe, unique and bounded on every platform, and a manifest says
which record each file holds."""

from __future__ import annotations

import dataclasses
import zipfile

from ingest.importing import import_paths
from navette.exporting import MANIFEST, export_to_folder, export_to_zip, file_name
from tests.conftest import requires_schemas

pytestmark = requires_schemas

HOSTILE = [
    "a/b",
    "a:b",
    "a_b",
    "A_B",
    "..",
    ".hidden",
    "CON",
    "aux",
    "lpt1.txt",
    "x" * 300,
    "x" * 300 + "y",
    "tab\there",
    "a_b-0123456789abcdef",
]


def test_names_are_unique_even_on_a_case_insensitive_file_system():
    names = [file_name(i).lower() for i in HOSTILE]
    assert len(set(names)) == len(HOSTILE)


def test_names_are_bounded_and_neither_hidden_nor_reserved():
    for identifier in HOSTILE:
        name = file_name(identifier)
        assert len(name) <= 101 and not name.startswith(".")
        assert name.split(".")[0].split("-")[0] not in {"con", "aux", "lpt1", "prn", "nul"}
        assert set(name) <= set("abcdefghijklmnopqrstuvwxyz0123456789._-")


def test_an_identifier_that_is_already_a_safe_name_is_kept_as_it_is():
    assert file_name("cnrs-6764") == "cnrs-6764.xml"


def _store_hostile(sessions, seed_record, tmp_path):
    from lxml import etree

    from mappings.ebucore_out import to_ebucore

    tmp_path.mkdir()
    for number, identifier in enumerate(HOSTILE):
        record = dataclasses.replace(seed_record, identifier=identifier)
        (tmp_path / f"{number}.xml").write_bytes(etree.tostring(to_ebucore(record)))
    report = import_paths(sessions, [tmp_path])
    assert report.counts["new"] == len(HOSTILE), report.rejected


def _manifest(text: str) -> dict[str, str]:
    rows = [line.split("\t") for line in text.splitlines()[1:]]
    return {name: identifier.replace("\\t", "\t") for name, identifier in rows}


def test_a_folder_export_writes_one_file_per_record_and_a_manifest(sessions, seed_record, tmp_path):
    _store_hostile(sessions, seed_record, tmp_path / "in")
    out = tmp_path / "out"
    assert export_to_folder(sessions, "ebucore", out) == len(HOSTILE)
    files = {p.name for p in out.iterdir()} - {MANIFEST}
    assert len(files) == len(HOSTILE)
    manifest = _manifest((out / MANIFEST).read_text(encoding="utf-8"))
    assert set(manifest) == files and sorted(manifest.values()) == sorted(HOSTILE)


def test_a_zip_export_has_no_duplicate_entry_and_a_manifest(sessions, seed_record, tmp_path):
    _store_hostile(sessions, seed_record, tmp_path / "in")
    archive = tmp_path / "out.zip"
    assert export_to_zip(sessions, "ebucore", archive) == len(HOSTILE)
    with zipfile.ZipFile(archive) as opened:
        names = opened.namelist()
        manifest = _manifest(opened.read(f"ebucore/{MANIFEST}").decode())
    assert len(names) == len(set(names)) == len(HOSTILE) + 1
    assert sorted(manifest.values()) == sorted(HOSTILE)
