"""Admin pages that say what is so: deleted records marked in the browser and their page
saying when; renderings folded and indented; quarantined XML indented; sets with their
record counts."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from catalogue import store
from catalogue.database import open_store
from catalogue.tables import RecordRow, RecordSet
from tests.admin.conftest import PASSWORD, open_as_admin
from tests.conftest import ARTIFACTS, requires_schemas
from tests.serving import Served

GONE = datetime(2026, 11, 30, 14, 5, 0)


@pytest.fixture
def one_deleted(store_url):
    sessions = open_store(store_url)
    with sessions.begin() as session:
        assert store.delete_record(session, "cnrs-7001", GONE)
    sessions.kw["bind"].dispose()


def test_deleted_records_are_marked_in_the_record_browser(one_deleted, logged_in):
    page = logged_in.get("/admin/records?q=earthquake+faults").text
    rows = [row for row in page.split("<tr") if "/admin/records/cnrs-" in row]
    marked = [re.search(r"/admin/records/(cnrs-\d+)", row).group(1) for row in rows
              if "(deleted)" in row]  # fmt: skip
    assert marked == ["cnrs-7001"]


def test_a_deleted_records_page_says_when_it_was_deleted(one_deleted, logged_in):
    page = logged_in.get("/admin/records/cnrs-7001").text
    assert "deleted</strong> on 2026-11-30 14:05:00 UTC" in page
    assert "no valid rendering was made" not in page


def test_renderings_are_folded_and_indented(logged_in):
    page = logged_in.get("/admin/records/cnrs-7002").text
    folded = re.findall(r'<details id="r-(\w+)">', page)
    assert folded == ["ebucore", "marcxml", "mods", "oai_dc"]
    oai_dc = page.split('<details id="r-oai_dc">')[1].split("</details>")[0]
    assert re.search(r"\n  &lt;dc:title", oai_dc)


def test_quarantined_xml_is_indented(logged_in):
    page = logged_in.get("/admin/quarantine/1").text
    assert "&lt;record&gt;\n  &lt;header&gt;\n    &lt;identifier&gt;" in page


def test_sets_show_how_many_live_records_they_hold(one_deleted, store_url, logged_in):
    page = logged_in.get("/admin/sets").text
    cell = r'<code>([^<]+)</code></td>\s*<td class="number"><a[^>]*>(\d+)</a>'
    shown = {spec: int(n) for spec, n in re.findall(cell, page)}
    sessions = open_store(store_url)
    with sessions() as session:
        live = session.execute(
            select(RecordSet.spec, func.count())
            .join(RecordRow, RecordRow.id == RecordSet.record_id)
            .where(RecordRow.deleted.is_(False))
            .group_by(RecordSet.spec)
        ).all()
    sessions.kw["bind"].dispose()
    assert shown == dict(live) and len(shown) > 1


@requires_schemas
def test_a_record_page_is_a_readable_length_in_a_browser(store_url, tmp_path, browser):
    env = {"NAVETTE_DATABASE_URL": store_url,
           "NAVETTE_ADMIN_PASSWORD_HASH": generate_password_hash(PASSWORD)}  # fmt: skip
    server = Served(env, tmp_path / "serve.log")
    try:
        page = open_as_admin(browser, server.base, "/admin/records/cnrs-7002")
        folded = page.evaluate("document.documentElement.scrollHeight")
        page.get_by_text("oai_dc", exact=True).click()
        opened = page.evaluate("document.documentElement.scrollHeight")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "admin-record-folded.png"), full_page=True)
    finally:
        server.stop()
    # Every rendering inline made such a page 9,782 px tall.
    assert folded < 2000 < opened


def test_an_admin_page_that_does_not_exist_says_so_in_navettes_words(logged_in):
    answer = logged_in.get("/admin/runs/99999")
    assert answer.status_code == 404
    assert "There is no such page here" in answer.text
    assert "If you entered the URL manually" not in answer.text
