"""`navette import`: native JSON Lines and CSV, EBUCore and oai_dc XML, folders and ZIPs.

A bad row is reported with its file and line, and everything else goes in.
"""

from __future__ import annotations

import dataclasses
import json
import zipfile

import pytest
from click.testing import CliRunner
from lxml import etree
from sqlalchemy import func, select

from catalogue import codec, database
from catalogue.database import LISTED
from catalogue.tables import RecordContent, RecordRow
from ingest.importing import import_paths
from ingest.readers import Rejected, read_csv, read_jsonl, read_paths
from mappings.dc_out import to_oai_dc
from mappings.ebucore_out import to_ebucore
from navette.cli import main
from tests.conftest import EBU_EXAMPLES, SEED_FILE, analysed_by_postgresql, requires_schemas

pytestmark = requires_schemas


def _count(sessions) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(RecordRow))


def _jsonl(path, objects):
    path.write_text("\n".join(json.dumps(o) for o in objects) + "\n", encoding="utf-8")
    return path


def test_native_json_lines_are_imported(sessions, seed_data, tmp_path):
    report = import_paths(sessions, [_jsonl(tmp_path / "a.jsonl", [seed_data])])
    assert report.counts["new"] == 1 and report.ok
    assert _count(sessions) == 1


def test_a_bad_line_is_reported_with_its_line_and_the_rest_goes_in(sessions, seed_data, tmp_path):
    second = {**seed_data, "identifier": "cnrs-2"}
    bad = {**seed_data, "identifier": "cnrs-3", "production_year": "two thousand"}
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        "\n".join([json.dumps(seed_data), "{not json", json.dumps(bad), json.dumps(second)]) + "\n",
        encoding="utf-8",
    )
    report = import_paths(sessions, [path])
    assert report.counts["new"] == 2
    assert [(str(r.location), r.reason.split(":")[0]) for r in report.rejected] == [
        (f"{path}:2", "not valid JSON"),
        (f"{path}:3", "production_year"),
    ]
    assert _count(sessions) == 2


def test_the_demo_csv_imports_every_row(sqlite_sessions):
    csv_file = SEED_FILE.with_name("catalogue.csv")
    report = import_paths(sqlite_sessions, [csv_file])
    assert report.ok, report.rejected[:3]
    assert report.counts["new"] == 220


def test_a_bad_csv_row_is_reported_with_its_line(sqlite_sessions, tmp_path):
    path = tmp_path / "films.csv"
    path.write_text(
        "identifier,titles@en,production_year,colour\n"
        "film-1,First film,2001,yes\n"
        "film-2,Second film,around 2002,yes\n"
        "film-3,Third film,2003,maybe\n"
        "film-4,Fourth film,2004,no\n",
        encoding="utf-8",
    )
    report = import_paths(sqlite_sessions, [path])
    assert report.counts["new"] == 2
    assert [str(r.location) for r in report.rejected] == [f"{path}:3", f"{path}:4"]
    assert "production_year" in report.rejected[0].reason
    assert "colour" in report.rejected[1].reason


CSV_HEADER = "identifier,titles@en,production_year\n"


def _csv(tmp_path, *rows: str):
    path = tmp_path / "films.csv"
    path.write_text(CSV_HEADER + "".join(rows), encoding="utf-8")
    return path


def _titles(sessions) -> dict[str, str]:
    with sessions() as session:
        rows = session.execute(
            select(RecordRow.identifier, RecordContent.data).join(RecordRow.contents)
        ).all()
    return {identifier: data["titles"][0]["value"] for identifier, data in rows}


def test_an_unbalanced_quote_rejects_its_row_and_the_following_rows_go_in_as_themselves(
    sqlite_sessions, tmp_path
):
    path = _csv(
        tmp_path,
        'film-1,"Broken title,2001\n',
        "film-2,Second film,2002\n",
        'film-3,"Third film",2003\n',
        "film-4,Fourth film,2004\n",
    )
    report = import_paths(sqlite_sessions, [path])
    assert [str(r.location) for r in report.rejected] == [f"{path}:2"]
    assert "unbalanced quote" in report.rejected[0].reason
    assert _titles(sqlite_sessions) == {
        "film-2": "Second film",
        "film-3": "Third film",
        "film-4": "Fourth film",
    }


def test_an_unbalanced_quote_on_the_last_row_rejects_only_that_row(sqlite_sessions, tmp_path):
    path = _csv(tmp_path, "film-1,First film,2001\n", 'film-2,"Never closed,2002\n')
    report = import_paths(sqlite_sessions, [path])
    assert [str(r.location) for r in report.rejected] == [f"{path}:3"]
    assert _titles(sqlite_sessions) == {"film-1": "First film"}


def test_a_row_with_the_wrong_number_of_fields_is_rejected_with_its_line(sqlite_sessions, tmp_path):
    path = _csv(
        tmp_path,
        "film-1,First film,2001,extra\n",
        "film-2,Second film\n",
        "film-3,Third film,2003\n",
    )
    report = import_paths(sqlite_sessions, [path])
    assert [(str(r.location), r.reason) for r in report.rejected] == [
        (f"{path}:2", "not valid CSV: 4 fields where the header has 3"),
        (f"{path}:3", "not valid CSV: 2 fields where the header has 3"),
    ]
    assert list(_titles(sqlite_sessions)) == ["film-3"]


def test_a_quoted_field_over_several_lines_is_one_value(sqlite_sessions, tmp_path):
    path = _csv(tmp_path, 'film-1,"A title\non two lines",2001\n', "film-2,Second,2002\n")
    report = import_paths(sqlite_sessions, [path])
    assert report.ok and _titles(sqlite_sessions)["film-1"] == "A title\non two lines"


def test_ebucore_and_oai_dc_files_folders_and_zips_are_imported(
    sqlite_sessions, seed_record, tmp_path
):
    folder = tmp_path / "drop"
    folder.mkdir()
    (folder / "mars.xml").write_bytes(etree.tostring(to_ebucore(seed_record)))
    (folder / "mars-dc.xml").write_bytes(etree.tostring(to_oai_dc(seed_record)))
    archive = tmp_path / "more.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("inner/a.jsonl", SEED_FILE.read_text().replace("cnrs-6764", "zipped-1"))
    report = import_paths(sqlite_sessions, [folder, archive])
    assert report.ok, report.rejected
    assert report.counts["new"] == 3
    with sqlite_sessions() as session:
        identifiers = set(session.scalars(select(RecordRow.identifier)))
    assert identifiers == {"cnrs-6764", "mars-dc", "zipped-1"}


@pytest.mark.skipif(not EBU_EXAMPLES.is_dir(), reason=f"{EBU_EXAMPLES} not found")
def test_the_ebu_examples_import(sqlite_sessions):
    report = import_paths(sqlite_sessions, [EBU_EXAMPLES])
    assert report.ok, report.rejected
    assert report.counts["new"] == 3


def test_an_invalid_xml_document_is_rejected_with_the_schema_reason(sqlite_sessions, tmp_path):
    path = tmp_path / "bad.xml"
    path.write_text(
        '<ebucore:ebuCoreMain xmlns:ebucore="urn:ebu:metadata-schema:ebucore">'
        "<ebucore:nonsense/></ebucore:ebuCoreMain>",
        encoding="utf-8",
    )
    report = import_paths(sqlite_sessions, [path])
    assert report.rejected[0].reason.startswith("not valid ebucore")


def test_hostile_xml_is_refused_without_reading_files(sqlite_sessions, tmp_path):
    path = tmp_path / "xxe.xml"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        '<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/">&e;</oai_dc:dc>',
        encoding="utf-8",
    )
    items = list(read_paths([path]))
    assert isinstance(items[0], Rejected)
    assert "DOCTYPE" in items[0].reason


def test_characters_xml_cannot_carry_are_removed_with_a_warning(sessions, seed_data, tmp_path):
    dirty = {**seed_data, "titles": [{"value": "Mars\x07 Express\ufffe", "lang": "en"}]}
    report = import_paths(sessions, [_jsonl(tmp_path / "dirty.jsonl", [dirty])])
    assert report.ok
    assert "removed 2 character(s)" in report.warnings[0][1]
    with sessions() as session:
        assert session.scalar(select(RecordContent.data))["titles"][0]["value"] == "Mars Express"


def test_dry_run_validates_and_writes_nothing(sqlite_sessions, seed_data, tmp_path):
    report = import_paths(
        sqlite_sessions, [_jsonl(tmp_path / "a.jsonl", [seed_data])], dry_run=True
    )
    assert report.counts["valid"] == 1
    assert _count(sqlite_sessions) == 0


# --- exit statuses ------------------------------------------------------------------


@pytest.fixture
def cli_env(tmp_path, monkeypatch):
    monkeypatch.setenv("NAVETTE_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    return CliRunner()


def test_import_exits_0_when_everything_went_in(cli_env, seed_data, tmp_path):
    result = cli_env.invoke(main, ["import", str(_jsonl(tmp_path / "a.jsonl", [seed_data]))])
    assert result.exit_code == 0, result.output
    assert "1 new" in result.output


def test_import_exits_1_when_some_records_were_rejected(cli_env, seed_data, tmp_path):
    bad = {"identifier": "x"}
    result = cli_env.invoke(main, ["import", str(_jsonl(tmp_path / "a.jsonl", [seed_data, bad]))])
    assert result.exit_code == 1
    assert f"{tmp_path / 'a.jsonl'}:2: rejected" in result.output


def test_import_exits_2_on_a_path_that_does_not_exist(cli_env, tmp_path):
    result = cli_env.invoke(main, ["import", str(tmp_path / "nowhere.jsonl")])
    assert result.exit_code == 2
    assert "no such file" in result.output


def test_import_dry_run_exit_status_and_summary(cli_env, seed_data, tmp_path):
    result = cli_env.invoke(
        main, ["import", "--dry-run", str(_jsonl(tmp_path / "a.jsonl", [seed_data]))]
    )
    assert result.exit_code == 0
    assert "1 valid, 0 rejected (dry run)" in result.output


def test_an_identifier_longer_than_the_store_keeps_is_rejected_with_its_reason(
    sessions, seed_record, tmp_path
):
    """The native format stops at 200 characters; an EBUCore file may carry any."""
    for name, identifier in (("long", "x" * 501), ("fits", "y" * 500)):
        record = dataclasses.replace(seed_record, identifier=identifier)
        (tmp_path / f"{name}.xml").write_bytes(etree.tostring(to_ebucore(record)))
    report = import_paths(sessions, [tmp_path])
    assert report.counts["new"] == 1
    [rejected] = report.rejected
    assert "identifier is 501 characters long" in rejected.reason


def test_a_csv_row_of_the_earlier_audiovisual_no_has_no_type_and_carries_other_formats(
    sqlite_sessions, tmp_path
):
    path = tmp_path / "papers.csv"
    path.write_text(
        "identifier,titles@en,audiovisual,formats\nreport-1,A report,no,application/pdf\n",
        encoding="utf-8",
    )
    report = import_paths(sqlite_sessions, [path])
    assert report.ok
    with sqlite_sessions() as session:
        data = session.scalar(select(RecordContent.data))
    assert data.get("resource_type") is None
    assert data["formats"] == [{"value": "application/pdf"}]


def test_the_report_says_how_many_records_are_not_offered_in_edm_and_why(tmp_path):
    """No rights statement, no EDM: reported once per format, the records still go in."""
    from click.testing import CliRunner

    from navette.cli import main
    from navette.demo import demo_files

    result = CliRunner().invoke(
        main,
        ["import", *map(str, demo_files())],
        env={
            "NAVETTE_DATABASE_URL": f"sqlite:///{tmp_path / 'n.db'}",
            "NAVETTE_DEFAULT_RIGHTS": "",
        },
    )
    assert result.exit_code == 0, result.output
    assert "221 new" in result.output
    assert "notice: 221 record(s) not offered in edm: it has no rights statement URI" in (
        result.output
    )


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_large_import_leaves_postgresql_statistics_of_every_table_a_list_reads(
    sessions, seed_data, tmp_path, monkeypatch
):
    """Without them the planner sorted the rest of a list for every page of it."""
    monkeypatch.setattr(database, "STATISTICS_AFTER", 1)
    import_paths(sessions, [_jsonl(tmp_path / "a.jsonl", [seed_data])])
    assert set(LISTED) <= analysed_by_postgresql(sessions)


def test_a_record_without_a_type_exported_and_imported_again_has_none(sqlite_sessions, tmp_path):
    """Left out on the way out, the type would come back as the catalogue's default film."""
    from mappings.native import to_row

    path = tmp_path / "papers.csv"
    path.write_text("identifier,titles@en,audiovisual\nreport-1,A report,no\n", encoding="utf-8")
    import_paths(sqlite_sessions, [path])
    with sqlite_sessions() as session:
        record = codec.from_dict(session.scalar(select(RecordContent.data)))
    assert record.resource_type is None
    row = to_row(record)
    again = tmp_path / "again.csv"
    again.write_text(",".join(row) + "\n" + ",".join(row.values()) + "\n", encoding="utf-8")
    (item,) = read_csv(again.open("rb"), "again.csv")
    assert item.record.resource_type is None
    jsonl = tmp_path / "again.jsonl"
    jsonl.write_text(json.dumps(codec.to_dict(record)) + "\n", encoding="utf-8")
    (item,) = read_jsonl(jsonl.open("rb"), "again.jsonl")
    assert item.record.resource_type is None
