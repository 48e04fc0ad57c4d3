"""Sources managed from the admin pages, through real HTTP against `navette serve`: add
(the endpoint asked first), harvest now followed live in a real browser while a worker
runs it, edit, pause, resume and remove; each action a CSRF-protected POST, logged with
who did it."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import requests
from werkzeug.security import generate_password_hash

from tests.admin.conftest import PASSWORD, csrf
from tests.conftest import ARTIFACTS, ROOT, follow, requires_schemas
from tests.harvest.partner import films
from tests.serving import Served

pytestmark = requires_schemas


@pytest.fixture
def console(tmp_path):
    env = {
        "NAVETTE_DATABASE_URL": f"sqlite:///{tmp_path / 'console.db'}",
        "NAVETTE_ADMIN_PASSWORD_HASH": generate_password_hash(PASSWORD),
    }
    server = Served(env, tmp_path / "serve.log")
    server.env = env
    yield server
    server.stop()


def logged_in(base: str) -> requests.Session:
    admin = requests.Session()
    page = admin.get(f"{base}/admin/login", timeout=10)
    admin.post(
        f"{base}/admin/login",
        data={"user": "admin", "password": PASSWORD, "csrf_token": csrf(page.content)},
        timeout=10,
    )
    return admin


def post(admin: requests.Session, base: str, path: str, **form) -> str:
    """A form posted from the page it is on; the page it leads to, as text."""
    token = csrf(admin.get(f"{base}/admin/", timeout=10).content)
    answer = admin.post(f"{base}{path}", data={"csrf_token": token, **form}, timeout=30)
    answer.raise_for_status()
    return answer.text


def status_of(page: str) -> str:
    found = re.search(r'<p class="flash" role="status">([^<]*)</p>', page)
    return found.group(1) if found else ""


def test_a_source_is_added_edited_paused_resumed_and_removed(console, partners):
    partner, moved = partners(films(2)), partners(films(1))
    admin = logged_in(console.base)
    page = post(admin, console.base, "/admin/sources", name="p1", url=partner.url)
    assert status_of(page) == f"source p1 added ({partner.url})."
    page = post(admin, console.base, "/admin/sources/p1/edit", url=moved.url, schedule="0 3 * * *",
                threshold="50", prefixes="", sets="")  # fmt: skip
    assert "URL " in status_of(page) and "schedule none -&gt; 0 3 * * *" in status_of(page)
    assert "Pause" in page
    page = post(admin, console.base, "/admin/sources/p1/pause")
    assert "p1 paused" in status_of(page) and "Resume" in page
    page = post(admin, console.base, "/admin/sources/p1/resume")
    assert "p1 resumed" in status_of(page)
    page = post(admin, console.base, "/admin/sources/p1/remove", records="keep")
    assert "source p1 removed; its 0 records kept as they are" in status_of(page)
    log = console.log_path.read_text()
    assert "admin admin: source p1 added" in log and "admin admin: p1 paused" in log


def test_an_endpoint_that_is_no_oai_pmh_is_refused_in_words(console):
    admin = logged_in(console.base)
    page = post(admin, console.base, "/admin/sources", name="web", url=f"{console.base}/records")
    assert status_of(page).startswith("Not done: ") and "does not answer as an OAI-PMH" in page


def test_an_action_without_the_forms_token_is_refused(console, partners):
    admin = logged_in(console.base)
    post(admin, console.base, "/admin/sources", name="p1", url=partners(films(1)).url)
    answer = admin.post(f"{console.base}/admin/sources/p1/pause", data={}, timeout=10)
    assert answer.status_code == 400


def test_harvest_now_is_followed_live_while_a_worker_runs_it(console, partners, browser):
    partner = partners(films(9), page_size=3)
    partner.page_delay = 1.5
    page = browser.new_page()
    page.goto(f"{console.base}/admin/login")
    page.get_by_label("User name").fill("admin")
    page.get_by_label("Password").fill(PASSWORD)
    follow(page.get_by_role("button", name="Log in"))
    page.get_by_label("Name").fill("p1")
    page.get_by_label("Base URL (OAI-PMH) or Capability List (ResourceSync)").fill(partner.url)
    follow(page.get_by_role("button", name="Ask the endpoint and add it"))
    assert page.locator("h1").inner_text() == "Source p1"
    follow(page.get_by_role("button", name="Harvest now"))
    progress = page.locator("#progress")
    assert "waiting for a worker" in progress.inner_text()
    worker = subprocess.Popen(
        [sys.executable, "-m", "navette", "worker", "--once"],
        env={**__import__("os").environ, **console.env},
        cwd=ROOT,
    )
    try:
        progress.filter(has_text="Harvesting now").wait_for(timeout=60_000)
        progress.filter(has_text="Last harvest success").wait_for(timeout=60_000)
    finally:
        worker.wait(timeout=120)
    assert "9 new" in progress.inner_text()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "admin-source-harvested-now.png"), full_page=True)
    assert "admin admin: harvest of p1 queued" in console.log_path.read_text()
