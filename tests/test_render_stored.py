"""`navette render`: stored records rendered again when the crosswalks or settings change."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from catalogue.tables import RecordRow, Rendering
from navette import demo
from navette.cli import main
from tests.conftest import requires_schemas

pytestmark = [pytest.mark.store, requires_schemas]
RIGHTS = "http://rightsstatements.org/vocab/InC/1.0/"


def _edm_count(sessions) -> int:
    with sessions() as session:
        return len(
            session.scalars(select(Rendering.record_id).where(Rendering.prefix == "edm")).all()
        )


def _datestamps(sessions) -> dict[str, object]:
    with sessions() as session:
        return dict(session.execute(select(RecordRow.identifier, RecordRow.datestamp)).all())


def test_a_default_rights_statement_set_later_brings_every_record_to_edm(
    sessions, database_url, monkeypatch
):
    demo.load(sessions)
    assert _edm_count(sessions) == 0
    monkeypatch.setenv("NAVETTE_DATABASE_URL", database_url)
    monkeypatch.setenv("NAVETTE_PUBLIC_URL", "https://films.example.org")
    monkeypatch.setenv("NAVETTE_DEFAULT_RIGHTS", RIGHTS)
    result = CliRunner().invoke(main, ["render"])
    assert result.exit_code == 0, result.output
    assert "221 updated" in result.output
    assert _edm_count(sessions) == 221


def test_rendering_again_with_nothing_changed_touches_nothing(sessions, database_url, monkeypatch):
    demo.load(sessions)
    before = _datestamps(sessions)
    monkeypatch.setenv("NAVETTE_DATABASE_URL", database_url)
    result = CliRunner().invoke(main, ["render"])
    assert result.exit_code == 0, result.output
    assert "0 updated, 0 unchanged, 221 already current, 0 refused" in result.output
    assert _datestamps(sessions) == before
