"""/healthz and /metrics as operators' tools read them: the health of the app and its
database as JSON (503 when the database is gone), and the Prometheus text format parsed
by the Prometheus client library's own parser, closed unless the token or a setting
opens it; the same totals whichever gunicorn worker answers."""

from __future__ import annotations

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from navette.app import close_app, create_app
from navette.config import Settings
from tests.admin.conftest import TOKEN
from tests.serving import Gunicorn, Served


def samples(text: str) -> dict[tuple[str, tuple], float]:
    """Every sample by its name and labels."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def test_health_says_the_app_and_its_database_answer(app):
    answer = app.test_client().get("/healthz")
    assert answer.status_code == 200
    assert answer.json == {"status": "ok", "database": "ok"}
    assert answer.headers["Cache-Control"] == "no-store"


def test_health_fails_with_503_when_the_database_is_gone(tmp_path):
    path = tmp_path / "gone.db"
    app = create_app(Settings(database_url=f"sqlite:///{path}", secret_key="k"))
    try:
        app.extensions["navette.oai"].sessions.kw["bind"].dispose()
        path.unlink()
        path.mkdir()  # where the database was, nothing SQLite can open
        answer = app.test_client().get("/healthz")
    finally:
        close_app(app)
    assert answer.status_code == 503
    assert answer.json == {"status": "failing", "database": "the database does not answer"}


def test_metrics_are_closed_without_the_token(app):
    answer = app.test_client().get("/metrics")
    assert answer.status_code == 401 and "NAVETTE_METRICS_OPEN" in answer.text


def test_metrics_count_what_waits_for_an_admin(app):
    text = app.test_client().get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).text
    found = samples(text)
    assert found[("navette_quarantined_records", (("source", "partner"),))] == 1
    assert found[("navette_held_deletions", (("source", "partner"),))] == 2
    runs = ("navette_harvest_runs_total", (("source", "partner"), ("status", "rejects")))
    assert found[runs] == 1
    assert found[("navette_records", (("state", "live"),))] > 0


def test_metrics_count_requests_by_verb_and_status_and_records_served(app):
    client = app.test_client()
    sent = client.get("/oai?verb=ListRecords&metadataPrefix=oai_dc").text.count("<record>")
    client.get("/oai?verb=ListRecords&metadataPrefix=nonsense")
    client.get("/oai?verb=Identify")
    found = samples(client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).text)
    assert found[("navette_oai_requests_total", (("status", "ok"), ("verb", "ListRecords")))] == 1
    cannot = (("status", "cannotDisseminateFormat"), ("verb", "ListRecords"))
    assert found[("navette_oai_requests_total", cannot)] == 1
    assert found[("navette_oai_requests_total", (("status", "ok"), ("verb", "Identify")))] == 1
    assert found[("navette_oai_records_served_total", (("verb", "ListRecords"),))] == sent


@pytest.fixture
def served_env(tmp_path):
    return {
        "NAVETTE_DATABASE_URL": f"sqlite:///{tmp_path / 'metrics.db'}",
        "NAVETTE_ADMIN_TOKEN": TOKEN,
        "NAVETTE_USAGE_WRITE_SECONDS": "0",
    }


def test_a_setting_opens_the_metrics_under_navette_serve(served_env, tmp_path):
    server = Served({**served_env, "NAVETTE_METRICS_OPEN": "on"}, tmp_path / "serve.log")
    try:
        answer = requests.get(f"{server.base}/metrics", timeout=10)
    finally:
        server.stop()
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("text/plain; version=")
    assert ("navette_records", (("state", "live"),)) in samples(answer.text)


def test_every_gunicorn_worker_reports_the_same_totals(served_env, tmp_path):
    server = Gunicorn(served_env, tmp_path / "gunicorn.log", workers=3)
    try:
        for _ in range(20):
            requests.get(server.oai, params={"verb": "Identify"}, timeout=10)
        token = {"Authorization": f"Bearer {TOKEN}"}
        seen = {
            samples(requests.get(f"{server.base}/metrics", headers=token, timeout=10).text)[
                ("navette_oai_requests_total", (("status", "ok"), ("verb", "Identify")))
            ]
            for _ in range(6)
        }
    finally:
        server.stop()
    # 20, plus the Identify each start-up check asked for.
    assert len(seen) == 1 and seen.pop() >= 20
