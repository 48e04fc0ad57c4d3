"""Runs an admin can read: a report per run, a source's history as a table and drawn
(records per run, duration, failures, the catalogue's growth, quarantine by reason),
after real harvests of a partner on loopback, on both databases; the charts looked at
in headless Chromium, screenshots kept as artifacts."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from werkzeug.security import generate_password_hash

from catalogue.database import open_store
from harvester.sync import Harvest
from tests.admin.conftest import PASSWORD, console_of, open_as_admin
from tests.conftest import ARTIFACTS, follow
from tests.harvest.helpers import add, fetcher
from tests.harvest.partner import PartnerRecord, Reply, films
from tests.serving import Served

START = datetime(2026, 11, 2, 3, 0, 0)


class Ticking:
    """A clock that moves on seven seconds each time it is read: runs take time."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=7)
        return self.now


def not_dublin_core() -> PartnerRecord:
    return PartnerRecord(
        "oai:partner.example.org:odd", "2024-05-03T00:00:00Z", metadata='<thing xmlns="urn:x"/>'
    )


def harvest_a_month(url: str, partners) -> None:
    """Four nightly harvests: a first, one with a refused record, one that fails, one
    whose deletions are held."""
    sessions = open_store(url)
    partner = partners(films(6), deleted_record="no")
    add(sessions, partner)

    def night(day: int, **options):
        clock = Ticking(START + timedelta(days=day))
        fetch = fetcher(attempts=1)
        return Harvest(sessions, "partner", fetcher=fetch, clock=clock, **options).run()

    night(0)
    partner.records += [*films(8)[6:], not_dublin_core()]
    night(1)
    partner.faults.append(lambda n, params: Reply(status=500, body=b"down for maintenance"))
    night(2)
    partner.faults.clear()
    del partner.records[:5]
    night(3, reconcile=True)
    sessions.kw["bind"].dispose()


@pytest.fixture
def console(database_url, partners):
    harvest_a_month(database_url, partners)
    with console_of(database_url) as client:
        yield client


def run_links(page: str) -> list[str]:
    return re.findall(r'href="(/admin/runs/\d+)"', page)


def test_a_run_report_says_when_how_long_how_fast_and_what_became_of_the_records(console):
    source = console.get("/admin/sources/partner").text
    second = run_links(source)[2]  # newest first: the second night's run
    report = console.get(second).text
    assert "Started</th><td>2026-11-03 03:00:07 UTC" in report
    assert re.search(r"Took</th><td>(\d+ min )?\d+ s<", report)
    assert re.search(r"Records read</th><td>4 \([\d.]+ records per second\)", report)
    assert re.search(r"New in the catalogue</th><td[^>]*>2<", report)
    assert re.search(r"Refused and quarantined</th><td[^>]*>1<", report)


def test_a_run_report_lists_the_records_it_quarantined(console):
    second = run_links(console.get("/admin/sources/partner").text)[2]
    report = console.get(second).text
    section = report.split('id="quarantined"')[1].split("</section>")[0]
    assert "oai:partner.example.org:odd" in section and "/admin/quarantine/" in section


def test_a_failed_run_says_why_in_words(console):
    third = run_links(console.get("/admin/sources/partner").text)[1]
    report = console.get(third).text
    assert "failed" in report and "500" in report and "Traceback" not in report


def test_a_run_report_lists_the_deletions_it_held(console):
    newest = run_links(console.get("/admin/sources/partner").text)[0]
    section = console.get(newest).text.split('id="held"')[1].split("</section>")[0]
    assert "5 records" in section and "approve or reject them" in section


def test_held_deletions_say_which_run_held_them(console):
    page = console.get("/admin/deletions").text
    newest = run_links(console.get("/admin/sources/partner").text)[0]
    assert f'href="{newest}"' in page


def test_a_source_page_draws_its_history(console):
    page = console.get("/admin/sources/partner").text
    titles = re.findall(r'<svg[^>]*role="img"[^>]*aria-label="([^"]+)"', page)
    assert titles == [
        "Records read per run",
        "Duration of each run",
        "Failures per run",
        "Live records after each run",
        "Records in quarantine by reason",
    ]


def test_the_growth_chart_has_a_point_per_run_at_its_live_count(console):
    page = console.get("/admin/sources/partner").text
    growth = page.split('id="chart-growth"')[1].split("</figure>")[0]
    points = re.findall(r"<title>[^<]*: ([\d,]+)</title></circle>", growth)
    assert points == ["6", "8", "8", "8"]  # a failed run counts them too


def test_a_source_page_lists_every_run_newest_first_with_its_times(console):
    page = console.get("/admin/sources/partner").text
    assert len(run_links(page)) == 4
    started = re.findall(r"<td>(2026-11-\d\d 03:00:07 UTC)</td>", page)
    assert started == [f"2026-11-{day:02d} 03:00:07 UTC" for day in (5, 4, 3, 2)]


@pytest.fixture
def served(tmp_path, partners):
    url = f"sqlite:///{tmp_path / 'history.db'}"
    harvest_a_month(url, partners)
    env = {
        "NAVETTE_DATABASE_URL": url,
        "NAVETTE_ADMIN_PASSWORD_HASH": generate_password_hash(PASSWORD),
    }
    server = Served(env, tmp_path / "serve.log")
    yield server
    server.stop()


def test_the_history_charts_are_drawn_in_a_browser(served, browser):
    page = open_as_admin(browser, served.base, "/admin/sources/partner")
    charts = page.get_by_role("img")
    assert charts.count() == 5
    for index in range(5):
        box = charts.nth(index).bounding_box()
        assert box["width"] > 300 and box["height"] > 40
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "admin-source-history.png"), full_page=True)
    follow(page.get_by_role("link", name=re.compile(r"^Run \d+$")).nth(2))
    assert page.locator("h1").inner_text().startswith("Run ")
    page.screenshot(path=str(ARTIFACTS / "admin-run-report.png"), full_page=True)
