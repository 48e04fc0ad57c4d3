"""Simple DC never silently overwrites a richer record: re-importing an oai_dc export
keeps the catalogue as it is; new DC over a rich record is refused unless --replace."""

from __future__ import annotations

import zipfile

from click.testing import CliRunner
from sqlalchemy import select

from catalogue.tables import RecordContent, RecordRow
from ingest.importing import import_paths
from navette import demo
from navette.cli import main
from navette.exporting import export_to_zip
from tests.conftest import requires_schemas

pytestmark = requires_schemas


def _data(sessions) -> dict[str, dict]:
    with sessions() as session:
        return dict(
            session.execute(
                select(RecordRow.identifier, RecordContent.data).join(RecordRow.contents)
            ).all()
        )


def test_reimporting_the_oai_dc_export_changes_nothing(sessions, tmp_path):
    demo.load(sessions)
    before = _data(sessions)
    archive = tmp_path / "export-dc.zip"
    export_to_zip(sessions, "oai_dc", archive)
    report = import_paths(sessions, [archive])
    assert report.ok and report.counts["kept"] == len(before)
    assert report.counts["updated"] == 0
    assert _data(sessions) == before


def _changed_dc(sessions, tmp_path):
    archive = tmp_path / "export-dc.zip"
    export_to_zip(sessions, "oai_dc", archive)
    with zipfile.ZipFile(archive) as opened:
        xml = opened.read("oai_dc/cnrs-6764.xml").decode()
    path = tmp_path / "cnrs-6764.xml"
    path.write_text(xml.replace("Mars Express Mission", "Mars Express (restored)"), "utf-8")
    return path


def test_new_dc_over_a_richer_record_is_refused_naming_what_it_would_lose(sessions, tmp_path):
    demo.load(sessions)
    before = _data(sessions)["cnrs-6764"]
    report = import_paths(sessions, [_changed_dc(sessions, tmp_path)])
    [rejected] = report.rejected
    assert "a richer record" in rejected.reason and "--replace" in rejected.reason
    for lost in ("laboratories", "audiences", "item_number", "credits", "series"):
        assert lost in rejected.reason
    assert _data(sessions)["cnrs-6764"] == before


def test_replace_lets_the_dc_overwrite(sessions, tmp_path, database_url, monkeypatch):
    demo.load(sessions)
    path = _changed_dc(sessions, tmp_path)
    monkeypatch.setenv("NAVETTE_DATABASE_URL", database_url)
    result = CliRunner().invoke(main, ["import", "--replace", str(path)])
    assert result.exit_code == 0, result.output
    assert "1 updated" in result.output
    data = _data(sessions)["cnrs-6764"]
    assert data["titles"][0]["value"] == "Mars Express (restored)"
    assert "laboratories" not in data


def test_dc_over_a_record_that_came_from_dc_simply_updates_it(sessions, tmp_path):
    dc = (
        '<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{}</dc:title></oai_dc:dc>'
    )
    path = tmp_path / "paper-1.xml"
    path.write_text(dc.format("First"), encoding="utf-8")
    assert import_paths(sessions, [path]).counts["new"] == 1
    path.write_text(dc.format("Second"), encoding="utf-8")
    report = import_paths(sessions, [path])
    assert report.ok and report.counts["updated"] == 1
