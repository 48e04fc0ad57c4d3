"""The admin flow in a real browser: headless Chromium (Debian's package) driven by
Playwright, against `navette serve` on loopback."""

from __future__ import annotations

import pytest
from werkzeug.security import generate_password_hash

from tests.admin.conftest import PASSWORD
from tests.conftest import ARTIFACTS, follow, requires_schemas
from tests.serving import Served

pytestmark = requires_schemas


@pytest.fixture
def admin_server(store_url, tmp_path):
    env = {
        "NAVETTE_DATABASE_URL": store_url,
        "NAVETTE_ADMIN_PASSWORD_HASH": generate_password_hash(PASSWORD),
    }
    server = Served(env, tmp_path / "serve.log")
    yield server.base
    server.stop()


def test_an_admin_logs_in_retries_a_quarantined_record_and_approves_held_deletes(
    browser, admin_server
):
    page = browser.new_page()
    page.goto(f"{admin_server}/admin/")
    assert page.locator("h1").inner_text() == "Log in"
    page.get_by_label("User name").fill("admin")
    page.get_by_label("Password").fill(PASSWORD)
    follow(page.get_by_role("button", name="Log in"))
    assert page.locator("h1").inner_text() == "Sources"

    follow(page.get_by_role("link", name="Quarantine").first)
    follow(page.get_by_role("link", name="1", exact=True))
    assert "This element is not expected" in page.locator("main").inner_text()
    assert "oai:partner.example.org:9" in page.locator("pre").inner_text()
    follow(page.get_by_role("button", name="Retry"))
    assert "Record 1:" in page.get_by_role("status").inner_text()

    follow(page.get_by_role("link", name="Held deletions"))
    follow(page.get_by_role("button", name="Approve the deletions"))
    assert "2 records deleted." in page.get_by_role("status").inner_text()
    assert "No deletion is waiting." in page.locator("main").inner_text()

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "admin-held-deletions.png"), full_page=True)
    page.goto(f"{admin_server}/admin/records/cnrs-6764")
    page.screenshot(path=str(ARTIFACTS / "admin-record.png"), full_page=True)
    assert page.locator("h1").inner_text() == "Mars Express Mission"


def test_the_admin_pages_work_by_keyboard(browser, admin_server):
    page = browser.new_page()
    page.goto(f"{admin_server}/admin/login")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.type("admin")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Sources"
