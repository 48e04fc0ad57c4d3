"""Who harvests us: each client's OAI requests by verb and the records it was served,
counted per day as real harvesters (Sickle, pyoai) ask a real `navette serve`, shown on
an admin page with a chart, and kept bounded."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import requests
from sickle import Sickle
from werkzeug.security import generate_password_hash

from catalogue import usage
from catalogue.tables import ClientDay
from tests.admin.conftest import PASSWORD, TOKEN, open_as_admin
from tests.conftest import ARTIFACTS
from tests.serving import Served

SICKLE = "Sickle harvesting Navette (tests)"


@pytest.fixture
def served(tmp_path):
    env = {
        "NAVETTE_DATABASE_URL": f"sqlite:///{tmp_path / 'usage.db'}",
        "NAVETTE_ADMIN_PASSWORD_HASH": generate_password_hash(PASSWORD),
        "NAVETTE_ADMIN_TOKEN": TOKEN,
        "NAVETTE_PAGE_SIZE": "2",
        "NAVETTE_USAGE_WRITE_SECONDS": "0",
    }
    server = Served(env, tmp_path / "serve.log", "--demo")
    yield server
    server.stop()


def harvest_with_sickle(base: str) -> int:
    sickle = Sickle(f"{base}/oai", headers={"User-Agent": SICKLE})
    return sum(1 for _ in sickle.ListRecords(metadataPrefix="oai_dc"))


def admin_page(base: str, path: str) -> str:
    return requests.get(f"{base}{path}", headers={"Authorization": f"Bearer {TOKEN}"},
                        timeout=10).text  # fmt: skip


def client_row(page: str, agent: str) -> str:
    return next(row for row in page.split("<tr>") if agent in row)


def test_a_harvesters_requests_and_records_are_counted_by_verb(served):
    harvested = harvest_with_sickle(served.base)
    pages = -(-harvested // 2)
    row = client_row(admin_page(served.base, "/admin/harvesters"), SICKLE)
    numbers = re.findall(r'<td class="number">(\d+)</td>', row)
    assert numbers == [str(pages), str(harvested)]
    assert f"ListRecords {pages}" in row and "<code>127.0.0.1</code>" in row


def test_errors_and_unknown_verbs_are_counted_apart(served):
    agent = {"User-Agent": "a clumsy script"}
    requests.get(f"{served.base}/oai", params={"verb": "Nonsense"}, headers=agent, timeout=10)
    requests.get(f"{served.base}/oai", params={"verb": "GetRecord"}, headers=agent, timeout=10)
    row = client_row(admin_page(served.base, "/admin/harvesters"), "a clumsy script")
    assert "GetRecord 1, other 1" in row


def test_the_page_draws_requests_and_records_per_day_in_a_browser(served, browser):
    harvest_with_sickle(served.base)
    requests.get(f"{served.base}/oai", params={"verb": "Identify"}, timeout=10)
    page = open_as_admin(browser, served.base, "/admin/harvesters")
    charts = page.get_by_role("img")
    assert [charts.nth(i).get_attribute("aria-label") for i in range(charts.count())] == [
        "OAI requests per day, by verb",
        "Records served per day",
    ]
    assert page.get_by_role("cell", name=SICKLE).is_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "admin-who-harvests-us.png"), full_page=True)


def counts(day: date, agents: list[str]) -> dict:
    return {
        usage.Key(day, "192.0.2.1", agent, "ListRecords", "ok"): usage.Tally(1, 100)
        for agent in agents
    }


def test_a_client_that_changes_its_name_at_each_request_is_folded_past_the_limit(
    sessions, monkeypatch
):
    monkeypatch.setattr(usage, "MAX_CLIENTS", 3)
    today = date(2026, 12, 5)
    usage.add(sessions, counts(today, [f"bot {n}" for n in range(5)]), keep_days=90)
    usage.add(sessions, counts(today, [f"bot {n}" for n in range(5, 10)]), keep_days=90)
    with sessions() as session:
        clients = usage.clients(session, today)
    assert [c.agent for c in clients] == [usage.OTHER, "bot 0", "bot 1", "bot 2"]
    assert clients[0].requests == 7 and sum(c.records for c in clients) == 1000


def test_counts_older_than_the_kept_days_are_dropped(sessions):
    today = date(2026, 12, 5)
    usage.add(sessions, counts(today - timedelta(days=10), ["old"]), keep_days=5)
    usage.add(sessions, counts(today, ["new"]), keep_days=5)
    with sessions() as session:
        kept = [row.agent for row in session.query(ClientDay)]
    assert kept == ["new"]


def test_the_same_clients_requests_add_up_in_one_row_a_day(sessions):
    today = date(2026, 12, 5)
    for _ in range(3):
        usage.add(sessions, counts(today, ["harvester"]), keep_days=90)
    with sessions() as session:
        (row,) = session.query(ClientDay).all()
    assert (row.requests, row.records) == (3, 300)


def test_the_admin_page_needs_the_login(served):
    answer = requests.get(f"{served.base}/admin/harvesters", allow_redirects=False, timeout=10)
    assert answer.status_code == 302 and "/admin/login" in answer.headers["Location"]
