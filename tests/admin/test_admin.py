"""The admin pages: protected, CSRF-checked, and doing what their buttons say."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from catalogue.tables import HeldDeletion, QuarantinedRecord, RecordRow, SetRow, SourceRow
from harvester import lease
from navette.app import close_app, create_app
from navette.config import Settings
from tests.admin.conftest import PASSWORD, TOKEN, csrf
from tests.conftest import requires_schemas

pytestmark = requires_schemas

PAGES = [
    "/admin/",
    "/admin/sources/partner",
    "/admin/quarantine",
    "/admin/quarantine/1",
    "/admin/deletions",
    "/admin/validation",
    "/admin/records/cnrs-6764",
    "/admin/sets",
    "/admin/records",
    "/admin/records?q=space&page=1",
]


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitors_are_sent_to_the_login(app, page):
    response = app.test_client().get(page)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/admin/login")


@pytest.mark.parametrize(
    "action", ["/admin/quarantine/1/retry", "/admin/deletions/1/approve", "/admin/validation"]
)
def test_anonymous_actions_are_refused(app, action):
    assert app.test_client().post(action).status_code == 401


def test_a_wrong_password_is_refused(app):
    client = app.test_client()
    page = client.get("/admin/login")
    response = client.post(
        "/admin/login", data={"user": "admin", "password": "guess", "csrf_token": csrf(page.data)}
    )
    assert response.status_code == 401 and b"Wrong user name or password" in response.data
    assert client.get("/admin/").status_code == 302


def test_the_login_form_itself_needs_its_csrf_token(app):
    response = app.test_client().post("/admin/login", data={"user": "admin", "password": PASSWORD})
    assert response.status_code == 400


@pytest.mark.parametrize("page", PAGES)
def test_an_admin_sees_every_page(logged_in, page):
    response = logged_in.get(page)
    assert response.status_code == 200, page
    assert b"<h1" in response.data


def test_the_sources_page_shows_health_last_run_and_schedule(logged_in):
    page = logged_in.get("/admin/").data.decode()
    assert "partner" in page and "rejects" in page and "0 3 * * *" in page
    assert "1 quarantined" in page and "1 held deletions" in page


def test_the_quarantine_shows_the_reason_and_the_raw_xml(logged_in):
    page = logged_in.get("/admin/quarantine/1").data.decode()
    assert "This element is not expected" in page
    assert "&lt;identifier&gt;oai:partner.example.org:9&lt;/identifier&gt;" in page


def test_an_action_without_the_csrf_token_is_refused(logged_in):
    response = logged_in.post("/admin/quarantine/1/discard")
    assert response.status_code == 400 and b"CSRF" in response.data
    response = logged_in.post("/admin/quarantine/1/discard", data={"csrf_token": "forged"})
    assert response.status_code == 400


def test_no_admin_action_is_a_get(logged_in):
    for action in (
        "/admin/quarantine/1/retry",
        "/admin/quarantine/1/discard",
        "/admin/deletions/1/approve",
        "/admin/logout",
    ):
        assert logged_in.get(action).status_code == 405


def test_the_record_view_shows_the_data_sheet_and_valid_renderings(logged_in):
    page = logged_in.get("/admin/records/cnrs-6764").data.decode()
    assert "Mars Express Mission" in page and "MIFSUD Nicolas" in page
    assert page.count("valid against the official schema</span></summary>") == 4
    assert "not disseminated in edm: it has no rights statement URI" in page


def test_validation_of_what_we_publish(logged_in):
    page = logged_in.get("/admin/validation")
    response = logged_in.post("/admin/validation", data={"csrf_token": csrf(page.data)})
    assert response.status_code == 302
    report = logged_in.get("/admin/validation").data.decode()
    assert "884 renderings checked" in report and "0 invalid" in report


def test_the_api_token_opens_the_pages_without_a_session(app):
    client = app.test_client()
    headers = {"Authorization": f"Bearer {TOKEN}"}
    assert client.get("/admin/deletions", headers=headers).status_code == 200
    assert (
        client.get("/admin/deletions", headers={"Authorization": "Bearer wrong"}).status_code == 401
    )


def test_approving_held_deletions(app, logged_in):
    page = logged_in.get("/admin/deletions")
    response = logged_in.post("/admin/deletions/1/approve", data={"csrf_token": csrf(page.data)})
    assert response.status_code == 302
    sessions = app.extensions["navette.sessions"]
    with sessions() as session:
        assert session.get(HeldDeletion, 1).status == "approved"
        deleted = session.scalars(
            select(RecordRow.deleted).where(RecordRow.identifier.in_(["cnrs-7001", "cnrs-7002"]))
        ).all()
    assert deleted == [True, True]


def test_discarding_a_quarantined_record(app, logged_in):
    page = logged_in.get("/admin/quarantine")
    logged_in.post("/admin/quarantine/1/discard", data={"csrf_token": csrf(page.data)})
    with app.extensions["navette.sessions"]() as session:
        assert session.get(QuarantinedRecord, 1).status == "discarded"


def test_the_admin_pages_are_closed_without_credentials(store_url):
    app = create_app(Settings(database_url=store_url, secret_key="k"))
    assert app.test_client().get("/admin/").status_code == 403
    close_app(app)


def test_the_oai_endpoint_stays_public(app):
    assert app.test_client().get("/oai?verb=Identify").status_code == 200


def test_releasing_a_stale_claim_on_a_source(app, logged_in):
    sessions = app.extensions["navette.sessions"]
    with sessions.begin() as session:
        lease.claim(session, "partner", "gone-host:1:x", datetime(2024, 6, 1))
    page = logged_in.get("/admin/sources/partner")
    assert b"Claimed by harvest gone-host:1:x" in page.data
    response = logged_in.post("/admin/sources/partner/unlock", data={"csrf_token": csrf(page.data)})
    assert response.status_code == 302
    with sessions() as session:
        assert session.get(SourceRow, "partner").lease_owner is None
    assert b"released (it was claimed by gone-host:1:x)" in logged_in.get(response.location).data


def test_naming_a_set_from_the_admin_pages(app, logged_in):
    page = logged_in.get("/admin/sets")
    assert b"subject:space-sciences" in page.data
    response = logged_in.post(
        "/admin/sets/subject:space-sciences",
        data={"csrf_token": csrf(page.data), "name": "Space", "description": "Films on space."},
    )
    assert response.status_code == 302
    with app.extensions["navette.sessions"]() as session:
        row = session.get(SetRow, "subject:space-sciences")
    assert (row.name, row.description) == ("Space", "Films on space.")
    listed = app.test_client().get("/oai?verb=ListSets").data
    assert b"<setName>Space</setName>" in listed


@pytest.mark.parametrize("page", ["/admin/", "/admin/records", "/admin/login"])
def test_admin_pages_are_kept_by_no_cache(logged_in, page):
    assert logged_in.get(page).headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("query", ["page=%C2%B2", "q=mars%00"])
def test_the_admin_record_browser_refuses_what_is_no_page_nor_search(logged_in, query):
    assert logged_in.get(f"/admin/records?{query}").status_code == 400
