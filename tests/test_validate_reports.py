"""`navette validate` reports: text, JSON and JUnit, a summary by kind, OAI-PMH dumps,
native files, parallel workers."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from lxml import etree

from navette.cli import main
from tests.conftest import SEED_FILE, requires_schemas

pytestmark = requires_schemas

GOOD = (
    '<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{title}</dc:title>'
    "<dc:identifier>{identifier}</dc:identifier></oai_dc:dc>"
)
BAD_DURATION = (
    '<ebucore:ebuCoreMain xmlns:ebucore="urn:ebu:metadata-schema:ebucore" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/"><ebucore:coreMetadata>'
    '<ebucore:identifier typeLabel="Local identifier"><dc:identifier>{identifier}'
    "</dc:identifier></ebucore:identifier><ebucore:format><ebucore:duration>"
    "<ebucore:normalPlayTime>{value}</ebucore:normalPlayTime></ebucore:duration>"
    "</ebucore:format></ebucore:coreMetadata></ebucore:ebuCoreMain>"
)


@pytest.fixture
def export(tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    for n in range(3):
        (folder / f"good-{n}.xml").write_text(GOOD.format(title=f"T{n}", identifier=f"g{n}"))
    for n, value in enumerate(["ten minutes", "9 min"]):
        (folder / f"bad-{n}.xml").write_text(BAD_DURATION.format(identifier=f"b{n}", value=value))
    return folder


def _run(*args):
    return CliRunner().invoke(main, ["validate", *[str(a) for a in args]])


def test_text_report_names_file_record_line_path_reason_and_sums_up_by_kind(export):
    result = _run(export)
    assert result.exit_code == 1
    assert f"{export / 'bad-0.xml'} [b0]: ebucore: line 1" in result.output
    assert "ebucore:duration/normalPlayTime is not an xs:duration ('ten minutes')" in result.output
    assert "2 records: ebucore:duration/normalPlayTime is not an xs:duration" in result.output
    assert "5 documents: 3 valid, 2 invalid" in result.output


def test_json_report_for_scripts(export):
    result = _run(export, "--format", "json")
    report = json.loads(result.output)
    assert (report["documents"], report["valid"], report["invalid"]) == (5, 3, 2)
    assert report["summary"] == [
        {"kind": "ebucore:duration/normalPlayTime is not an xs:duration", "records": 2}
    ]
    finding = report["invalid_documents"][0]["findings"][0]
    assert finding["identifier"] == "b0" and finding["line"] == 1
    assert finding["path"].endswith("ebucore:normalPlayTime")


def test_junit_report_makes_each_invalid_record_a_failed_test_case(export):
    result = _run(export, "--format", "junit")
    suite = etree.fromstring(result.output.encode()).find("testsuite")
    assert (suite.get("tests"), suite.get("failures")) == ("5", "2")
    failed = [case.get("name") for case in suite if case.find("failure") is not None]
    assert failed == ["b0", "b1"]


def test_parallel_workers_give_the_same_report(export):
    assert (
        _run(export, "--workers", "2", "--format", "json").output
        == _run(export, "--format", "json").output
    )


def test_an_oai_pmh_dump_is_checked_whole_and_each_failure_names_its_record(tmp_path):
    dump = tmp_path / "dump.xml"
    records = "".join(
        f"<record><header><identifier>oai:x.org:{n}</identifier><datestamp>2024-01-01"
        f"</datestamp></header><metadata>"
        + (
            GOOD.format(title="t", identifier=n)
            if n != 2
            else GOOD.format(title="t", identifier=n).replace(
                "<dc:title>", "<dc:nonsense/><dc:title>"
            )
        )
        + "</metadata></record>\n"
        for n in range(4)
    )
    dump.write_text(
        '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">\n'
        "<responseDate>2024-01-01T00:00:00Z</responseDate>\n"
        '<request verb="ListRecords" metadataPrefix="oai_dc">http://x.org/oai</request>\n'
        f"<ListRecords>\n{records}</ListRecords></OAI-PMH>\n"
    )
    result = _run(dump, "--format", "json")
    report = json.loads(result.output)
    assert result.exit_code == 1
    (document,) = report["invalid_documents"]
    assert document["schema"] == "oai-pmh"
    assert {f["identifier"] for f in document["findings"]} == {"oai:x.org:2"}


def test_native_files_are_checked_against_the_json_schema(tmp_path):
    good = SEED_FILE.read_text().splitlines()[0]
    native = tmp_path / "films.jsonl"
    native.write_text(good + "\n" + '{"identifier": "x", "titles": [], "colour": "yes"}\n')
    result = _run(native)
    assert result.exit_code == 1
    assert f"{native}: native: line 2" in result.output


def test_validate_exits_2_on_unusable_arguments(tmp_path):
    assert _run(tmp_path / "nowhere").exit_code == 2
    assert _run(tmp_path, "--format", "yaml").exit_code == 2
