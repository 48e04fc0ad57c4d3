"""The OAI browser view in headless Chromium: a script link an older release may have
stored is shown as text, never as a link, and no script runs."""

from __future__ import annotations

import dataclasses

import pytest

from catalogue import store
from catalogue.database import open_store
from ingest.prepare import prepare
from tests.conftest import ARTIFACTS, requires_schemas
from tests.serving import Served

pytestmark = requires_schemas

SCRIPT = "javascript:alert(document.domain)"
SAFE = "https://example.org/landing/xss"


@pytest.fixture
def tainted_server(seed_record, tmp_path):
    """A store whose rendering of one record carries a script link, served for real."""
    url = f"sqlite:///{tmp_path / 'tainted.db'}"
    sessions = open_store(url)
    record = dataclasses.replace(seed_record, identifier="xss-1", landing_page=SAFE)
    written = prepare(record)
    tainted = {k: v.replace(SAFE, SCRIPT) for k, v in written.renderings.items()}
    with sessions.begin() as session:
        store.save(session, [dataclasses.replace(written, renderings=tainted)])
    sessions.kw["bind"].dispose()
    server = Served({"NAVETTE_DATABASE_URL": url}, tmp_path / "serve.log")
    yield server.oai
    server.stop()


def test_a_stored_script_link_is_neither_a_link_nor_run_in_the_browser(browser, tainted_server):
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(
        f"{tainted_server}?verb=GetRecord&metadataPrefix=ebucore&identifier="
        "oai:navette.example.org:xss-1"
    )
    assert "Mars Express Mission" in page.locator("body").inner_text()
    assert SCRIPT in page.locator("body").inner_text(), "the value is shown, as text"
    hrefs = page.eval_on_selector_all("a", "links => links.map(a => a.getAttribute('href'))")
    assert hrefs and not [h for h in hrefs if h.strip().lower().startswith("javascript:")]
    for link in page.locator("a").all():
        if "javascript" in (link.inner_text() or ""):
            link.click()
    page.wait_for_timeout(300)
    assert dialogs == []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "oai-view-script-link.png"), full_page=True)
