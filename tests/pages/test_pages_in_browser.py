"""The landing page, the record list and the admin data sheet in headless Chromium, and
checked by the W3C Nu checker and axe-core, against `navette serve --demo` on loopback."""

from __future__ import annotations

import json
import re

import pytest
import requests
from werkzeug.security import generate_password_hash

from tests.conftest import ARTIFACTS, requires_schemas
from tests.page_checks import axe, nu_checker_findings, serious_violations
from tests.pages.test_landing_page import SEED_FIELDS
from tests.serving import Served

pytestmark = requires_schemas

PASSWORD = "correct horse battery staple"
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pages")
    env = {
        "NAVETTE_DATABASE_URL": f"sqlite:///{folder / 'pages.db'}",
        "NAVETTE_ADMIN_PASSWORD_HASH": generate_password_hash(PASSWORD),
    }
    server = Served(env, folder / "serve.log", "--demo")
    yield server.base
    server.stop()


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
    page.get_by_role("button", name="Log in").click()


PUBLIC_PAGES = {
    "landing-page": "/records/cnrs-6764",
    "records-search": "/records?q=mifsud",
    "records": "/records",
}
ADMIN_PAGES = {
    "admin-data-sheet": "/admin/records/cnrs-6764",
    "admin-records": "/admin/records?q=space",
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
    page.get_by_role("button", name="Search").click()
    assert "1 record" in page.get_by_role("status").inner_text()
    page.screenshot(path=str(ARTIFACTS / "records-search.png"), full_page=True)
    page.get_by_role("link", name="Mars Express Mission").click()
    assert page.url.endswith("/records/cnrs-6764")


def test_chromium_shows_the_admin_data_sheet_complete(browser, served):
    page = browser.new_page()
    _log_in(page, served)
    page.get_by_role("link", name="Records").click()
    page.get_by_label("Title, person, subject or identifier").fill(
        "oai:navette.example.org:cnrs-6764"
    )
    page.get_by_role("button", name="Search").click()
    assert page.url.endswith("/admin/records/cnrs-6764")
    text = page.locator("main").inner_text()
    assert [field for field in SEED_FIELDS if field not in text] == []
    for store_field in ("OAI identifier", "Datestamp", "Sets", "series:facing-the-universe"):
        assert store_field in text
    assert "Valid against the official schema." in text
    assert "\n  <" in page.locator("pre").first.inner_text()  # pretty-printed
    page.screenshot(path=str(ARTIFACTS / "admin-data-sheet.png"), full_page=True)


def test_the_pages_are_valid_html5_for_the_nu_checker(served, tmp_path):
    for name, path in PUBLIC_PAGES.items():
        (tmp_path / f"{name}.html").write_bytes(requests.get(served + path).content)
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
