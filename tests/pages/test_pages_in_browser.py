"""The landing page, the record list and the admin data sheet in headless Chromium, and
checked by the W3C Nu checker and axe-core, against `navette serve --demo` on loopback."""

from __future__ import annotations

import json
import re

import pytest
import requests
from werkzeug.security import generate_password_hash

from tests.conftest import ARTIFACTS, _pg_schema_url, follow, requires_schemas
from tests.page_checks import axe, nu_checker_findings, serious_violations
from tests.pages.test_landing_page import SEED_FIELDS
from tests.serving import Served

pytestmark = requires_schemas

PASSWORD = "correct horse battery staple"
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def served(request, tmp_path_factory):
    """`navette serve --demo` on loopback, over each database."""
    folder = tmp_path_factory.mktemp("pages")
    url, drop = f"sqlite:///{folder / 'pages.db'}", None
    if request.param == "postgresql":
        url, drop = _pg_schema_url(request.getfixturevalue("pg_admin_url"))
    env = {
        "NAVETTE_DATABASE_URL": url,
        "NAVETTE_ADMIN_PASSWORD_HASH": generate_password_hash(PASSWORD),
    }
    server = Served(env, folder / "serve.log", "--demo")
    yield server.base
    server.stop()
    if drop is not None:
        drop()


def _admin_session(base: str) -> requests.Session:
    client = requests.Session()
    form = client.get(f"{base}/admin/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    client.post(
        f"{base}/admin/login",
        data={"user": "admin", "password": PASSWORD, "csrf_token": token},
    )
    return client


def _log_in(page, base: str) -> None:
    page.goto(f"{base}/admin/login")
    page.get_by_label("User name").fill("admin")
    page.get_by_label("Password").fill(PASSWORD)
    follow(page.get_by_role("button", name="Log in"))


PUBLIC_PAGES = {
    "home": "/",
    "oai-explained": "/oai",
    "not-found": "/records/cnrs-0000",
    "records-page-2": "/records?page=2",
    "records-narrowed": "/records?q=space&decade=2000s&sort=year",
    "home-fr": "/?lang=fr",
    "landing-page-fr": "/records/cnrs-6764?lang=fr",
    "records-fr": "/records?q=espace&lang=fr",
    "landing-page": "/records/cnrs-6764",
    "records-search": "/records?q=mifsud",
    "records": "/records",
}
ADMIN_PAGES = {
    "admin-data-sheet": "/admin/records/cnrs-6764",
    "admin-records": "/admin/records?q=space",
    # Last: the switch is remembered, and what follows it would be French too.
    "admin-sources-fr": "/admin/?lang=fr",
    "admin-data-sheet-fr": "/admin/records/cnrs-6764?lang=fr",
}


def test_chromium_shows_the_seed_landing_page_with_every_field(browser, served):
    page = browser.new_page()
    page.goto(f"{served}/records/cnrs-6764")
    assert page.locator("xslt-warning-banner").count() == 0
    assert page.locator("h1").inner_text() == "Mars Express Mission"
    text = page.locator("main").inner_text()
    assert [field for field in SEED_FIELDS if field not in text] == []
    data = json.loads(page.locator('script[type="application/ld+json"]').text_content())
    assert data["@type"] == "VideoObject" and data["name"] == "Mars Express Mission"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "landing-page-seed.png"), full_page=True)


def test_chromium_searches_the_record_list_and_follows_a_result(browser, served):
    page = browser.new_page()
    page.goto(f"{served}/records")
    page.get_by_label("Title, person, subject or identifier").fill("Bibring")
    follow(page.get_by_role("button", name="Search"))
    assert "1 record" in page.get_by_role("status").inner_text()
    page.screenshot(path=str(ARTIFACTS / "records-search.png"), full_page=True)
    follow(page.get_by_role("link", name="Mars Express Mission"))
    assert page.url.endswith("/records/cnrs-6764")


def test_chromium_shows_the_admin_data_sheet_complete(browser, served):
    page = browser.new_page()
    _log_in(page, served)
    follow(page.get_by_role("link", name="Records"))
    page.get_by_label("Title, person, subject or identifier").fill(
        "oai:navette.example.org:cnrs-6764"
    )
    follow(page.get_by_role("button", name="Search"))
    assert page.url.endswith("/admin/records/cnrs-6764")
    text = page.locator("main").inner_text()
    assert [field for field in SEED_FIELDS if field not in text] == []
    for store_field in ("OAI identifier", "Datestamp", "Sets", "series:facing-the-universe"):
        assert store_field in text
    assert "oai_dc · valid against the official schema" in text
    page.locator("#r-oai_dc summary").click()  # the renderings are folded
    assert "\n  <" in page.locator("#r-oai_dc pre").inner_text()  # pretty-printed
    page.screenshot(path=str(ARTIFACTS / "admin-data-sheet.png"), full_page=True)


def test_the_pages_are_valid_html5_for_the_nu_checker(served, tmp_path):
    for name, path in PUBLIC_PAGES.items():
        page = requests.get(served + path, headers={"Accept": BROWSER_ACCEPT}, timeout=30)
        (tmp_path / f"{name}.html").write_bytes(page.content)
    admin = _admin_session(served)
    for name, path in ADMIN_PAGES.items():
        (tmp_path / f"{name}.html").write_bytes(admin.get(served + path).content)
    assert nu_checker_findings(tmp_path) is None


def test_no_serious_accessibility_violation_on_the_pages(browser, served):
    checker = axe()
    context = browser.new_context(bypass_csp=True)  # axe's script is injected into the page
    page = context.new_page()
    _log_in(page, served)
    for path in [*PUBLIC_PAGES.values(), *ADMIN_PAGES.values()]:
        page.goto(served + path)
        serious, report = serious_violations(checker, page)
        assert serious == [], (path, report)
    context.close()


def test_chromium_goes_from_the_home_page_to_a_search_and_through_the_pages(browser, served):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{served}/")
    assert page.locator("h1").inner_text() == "Navette video library"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "public-home.png"), full_page=True)
    page.get_by_label("Search the catalogue").fill("space")
    follow(page.get_by_role("button", name="Search"))
    assert "/records?q=space" in page.url
    page.goto(f"{served}/records")
    follow(page.get_by_role("link", name="Page 3"))
    assert page.locator("[aria-current=page]").inner_text() == "3"
    page.screenshot(path=str(ARTIFACTS / "public-records-page-3.png"), full_page=True)


def test_chromium_meets_the_oai_endpoint_explained_and_a_404_page(browser, served):
    page = browser.new_page()
    page.goto(f"{served}/oai")
    assert page.locator("h1").inner_text() == "OAI-PMH endpoint"
    page.screenshot(path=str(ARTIFACTS / "public-oai-explained.png"), full_page=True)
    answer = page.goto(f"{served}/records/no-such-film")
    assert answer.status == 404 and page.locator("h1").inner_text() == "Not found"
    page.screenshot(path=str(ARTIFACTS / "public-not-found.png"), full_page=True)


def test_chromium_refines_a_search_by_a_facet_and_sorts_it(browser, served):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{served}/records")
    page.get_by_label("Title, person, subject or identifier").fill("space")
    follow(page.get_by_role("button", name="Search"))
    searched = int(page.get_by_role("status").inner_text().split()[0])
    facets = page.get_by_role("complementary", name="Narrow the list")
    follow(facets.get_by_role("link", name="Space Sciences").first)
    narrowed = int(page.get_by_role("status").inner_text().split()[0])
    assert 0 < narrowed < searched
    page.get_by_label("Order").select_option("year")
    follow(page.get_by_role("button", name="Search"))
    assert "subject=Space+Sciences" in page.url and "sort=year" in page.url
    assert int(page.get_by_role("status").inner_text().split()[0]) == narrowed
    page.screenshot(path=str(ARTIFACTS / "public-search-narrowed.png"), full_page=True)


def test_chromium_shows_the_seed_landing_page_in_french_after_the_switch(browser, served):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{served}/records/cnrs-6764")
    follow(page.get_by_role("link", name="Français"))
    assert page.locator("html").get_attribute("lang") == "fr"
    assert "Fiche technique" in page.locator("main").inner_text()
    page.goto(f"{served}/")
    assert page.locator("html").get_attribute("lang") == "fr"  # remembered
    page.goto(f"{served}/records/cnrs-6764")
    page.screenshot(path=str(ARTIFACTS / "public-landing-page-fr.png"), full_page=True)


def test_chromium_shows_the_admin_in_french_after_the_switch(browser, served):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    _log_in(page, served)
    follow(page.get_by_role("contentinfo").get_by_role("link", name="Français"))
    assert page.locator("html").get_attribute("lang") == "fr"
    assert "Ajouter une source" in page.locator("main").inner_text()
    follow(page.get_by_role("link", name="Notices").first)
    assert page.locator("h1").inner_text() == "Notices"
    page.goto(f"{served}/admin/records/cnrs-6764")
    assert "Dans l’entrepôt" in page.locator("main").inner_text()
    page.screenshot(path=str(ARTIFACTS / "admin-record-fr.png"), full_page=True)
