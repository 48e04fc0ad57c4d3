"""`navette export` writes the stored renderings; `navette validate` checks them offline."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from checks.files import validate_paths
from mappings.formats import FORMATS
from mappings.publication import Publication
from navette import demo
from navette.cli import main
from navette.exporting import export_to_folder, export_to_zip
from tests.conftest import requires_schemas

PUBLICATION = Publication(
    "https://films.example.org", "http://rightsstatements.org/vocab/InC/1.0/", "Navette"
)
EDM_EXAMPLES = Path(__file__).resolve().parents[2] / "shared" / "examples" / "edm"

pytestmark = requires_schemas


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    from catalogue.database import open_store

    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}"
    sessions = open_store(url)
    report = demo.load(sessions, PUBLICATION)
    assert report.ok, report.rejected[:3]
    yield url, sessions
    sessions.kw["bind"].dispose()


@pytest.mark.parametrize("prefix", sorted(FORMATS))
def test_every_export_of_the_demo_catalogue_is_valid(demo_store, tmp_path, prefix):
    _, sessions = demo_store
    assert export_to_folder(sessions, prefix, tmp_path) == 221
    outcomes = list(validate_paths([tmp_path]))
    assert len(outcomes) == 221
    assert [o for o in outcomes if not o.valid] == []
    assert {o.schema for o in outcomes} == {FORMATS[prefix].schema}


@pytest.mark.parametrize(("prefix", "profile"), [("edm", "europeana"), ("marcxml", "marc"),
                                                 ("mods", "mods")])  # fmt: skip
def test_every_export_passes_the_profile_of_its_aggregator(demo_store, tmp_path, prefix, profile):
    url, _ = demo_store
    out = tmp_path / prefix
    exported = CliRunner().invoke(main, ["export", "--prefix", prefix, "--out", str(out)],
                                  env={"NAVETTE_DATABASE_URL": url})  # fmt: skip
    assert exported.exit_code == 0, exported.output
    result = CliRunner().invoke(main, ["validate", "--profile", profile, str(out)])
    assert result.exit_code == 0, result.output
    assert "221 documents: 221 valid, 0 invalid" in result.output


def test_a_profile_refuses_documents_of_another_format(demo_store, tmp_path):
    _, sessions = demo_store
    export_to_folder(sessions, "edm", tmp_path)
    result = CliRunner().invoke(main, ["validate", "--profile", "mods", str(tmp_path)])
    assert result.exit_code == 1
    assert "the mods profile checks MODS 3.8 (mods:mods) documents" in result.output


@pytest.mark.skipif(not EDM_EXAMPLES.is_dir(), reason=f"no EDM examples ({EDM_EXAMPLES})")
def test_the_europeana_profile_reports_schematron_failures_with_their_xpath():
    result = CliRunner().invoke(
        main, ["validate", "--profile", "europeana", str(EDM_EXAMPLES / "metis-item-35834473.xml")]
    )
    assert result.exit_code == 1
    assert "/RDF/Aggregation/rights[2]: Europeana Schematron: Invalid Rights Statements" in (
        result.output
    )


def test_export_to_zip_holds_one_file_per_record(demo_store, tmp_path):
    _, sessions = demo_store
    archive = tmp_path / "ebucore.zip"
    assert export_to_zip(sessions, "ebucore", archive) == 221
    with zipfile.ZipFile(archive) as opened:
        assert "ebucore/cnrs-6764.xml" in opened.namelist()
    assert all(o.valid for o in validate_paths([archive]))


def test_validate_reports_line_path_and_reason_for_an_invalid_file(tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text(
        '<?xml version="1.0"?>\n'
        '<ebucore:ebuCoreMain xmlns:ebucore="urn:ebu:metadata-schema:ebucore">\n'
        "  <ebucore:coreMetadata>\n"
        "    <ebucore:format><ebucore:duration><ebucore:normalPlayTime>ten minutes"
        "</ebucore:normalPlayTime></ebucore:duration></ebucore:format>\n"
        "  </ebucore:coreMetadata>\n"
        "</ebucore:ebuCoreMain>\n",
        encoding="utf-8",
    )
    (outcome,) = validate_paths([bad])
    assert not outcome.valid
    finding = outcome.findings[0]
    assert (finding.line, finding.column) == (4, 39)
    assert finding.path.endswith("ebucore:duration/ebucore:normalPlayTime")
    assert finding.reason == (
        "ebucore:duration/normalPlayTime is not an xs:duration ('ten minutes')"
    )


def test_validate_cli_exits_0_when_all_valid(demo_store, tmp_path):
    _, sessions = demo_store
    export_to_folder(sessions, "oai_dc", tmp_path)
    result = CliRunner().invoke(main, ["validate", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "221 documents: 221 valid, 0 invalid" in result.output


def test_validate_cli_exits_1_on_any_invalid_file(tmp_path):
    (tmp_path / "bad.xml").write_text(
        "<oai_dc:dc xmlns:oai_dc='http://www.openarchives.org/OAI/2.0/oai_dc/'><x/></oai_dc:dc>"
    )
    result = CliRunner().invoke(main, ["validate", str(tmp_path)])
    assert result.exit_code == 1
    assert "bad.xml: oai_dc: line 1" in result.output
    assert "1 record: x is not allowed in oai_dc:dc" in result.output


def test_validate_cli_exits_2_on_a_missing_path(tmp_path):
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "none")])
    assert result.exit_code == 2


def test_validate_cli_exits_2_and_says_how_to_get_missing_schemas(tmp_path, monkeypatch):

    monkeypatch.setenv("NAVETTE_SCHEMA_DIR", str(tmp_path / "empty"))
    (tmp_path / "a.xml").write_text(
        "<oai_dc:dc xmlns:oai_dc='http://www.openarchives.org/OAI/2.0/oai_dc/'/>"
    )
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "a.xml")])
    assert result.exit_code == 2
    assert "navette schemas fetch" in result.output


def test_export_cli_writes_a_folder(demo_store, tmp_path, monkeypatch):
    url, _ = demo_store
    monkeypatch.setenv("NAVETTE_DATABASE_URL", url)
    result = CliRunner().invoke(main, ["export", "--prefix", "ebucore", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "cnrs-6764.xml").read_text().startswith('<?xml version="1.0"')


def test_export_cli_needs_exactly_one_destination(tmp_path):
    result = CliRunner().invoke(main, ["export", "--prefix", "ebucore"])
    assert result.exit_code == 2
