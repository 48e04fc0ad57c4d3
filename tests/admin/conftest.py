"""An app with admin credentials over a store holding a source, a run, a quarantined
record and held deletions."""

from __future__ import annotations

import re
import shutil
from contextlib import contextmanager
from datetime import datetime

import pytest
from werkzeug.security import generate_password_hash

from catalogue.database import open_store
from catalogue.tables import HarvestRun, HeldDeletion
from harvester import state
from navette import demo
from navette.app import close_app, create_app
from navette.config import Settings
from tests.conftest import follow

PASSWORD = "correct horse battery staple"
TOKEN = "s3cret-api-token"
WHEN = datetime(2024, 6, 1, 10, 0, 0)


@pytest.fixture(scope="module")
def prepared_store(tmp_path_factory):
    """The store, made once per module; each test gets a copy (``store_url``)."""
    path = tmp_path_factory.mktemp("admin") / "admin.db"
    url = f"sqlite:///{path}"
    sessions = open_store(url)
    demo.load(sessions)
    with sessions.begin() as session:
        state.add_source(
            session, "partner", "http://partner.example.org/oai", [], [], "0 3 * * *", WHEN
        )
        session.add(
            HarvestRun(
                source="partner",
                started=WHEN,
                finished=WHEN,
                status="rejects",
                counts={"new": 3, "rejected": 1},
            )
        )
        state.quarantine(
            session,
            "partner",
            "oai:partner.example.org:9",
            "oai_dc",
            "not valid oai_dc: Element 'x': This element is not expected.",
            "<record><header><identifier>oai:partner.example.org:9</identifier></header></record>",
            "http://partner.example.org/oai?verb=ListRecords",
            WHEN,
        )
        session.add(
            HeldDeletion(
                source="partner",
                identifiers=["cnrs-7001", "cnrs-7002"],
                reason="the harvest would delete more than 20%",
                created=WHEN,
                status="held",
            )
        )
    sessions.kw["bind"].dispose()
    return path


@pytest.fixture
def store_url(prepared_store, tmp_path):
    copy = tmp_path / "admin.db"
    shutil.copyfile(prepared_store, copy)
    return f"sqlite:///{copy}"


@pytest.fixture
def app(store_url):
    app = create_app(
        Settings(
            database_url=store_url,
            secret_key="k",
            admin_password_hash=generate_password_hash(PASSWORD),
            admin_token=TOKEN,
        )
    )
    app.config["TESTING"] = True
    yield app
    close_app(app)


def csrf(html: bytes) -> str:
    return re.search(rb'name="csrf_token" value="([^"]+)"', html).group(1).decode()


@pytest.fixture
def logged_in(app):
    client = app.test_client()
    page = client.get("/admin/login")
    response = client.post(
        "/admin/login", data={"user": "admin", "password": PASSWORD, "csrf_token": csrf(page.data)}
    )
    assert response.status_code == 302
    return client


@contextmanager
def console_of(database_url: str):
    """A test client logged in to the admin pages of an app over ``database_url``."""
    app = create_app(
        Settings(
            database_url=database_url,
            secret_key="k",
            admin_password_hash=generate_password_hash(PASSWORD),
        )
    )
    client = app.test_client()
    page = client.get("/admin/login")
    client.post("/admin/login", data={"user": "admin", "password": PASSWORD,
                                      "csrf_token": csrf(page.data)})  # fmt: skip
    try:
        yield client
    finally:
        close_app(app)


def open_as_admin(browser, base: str, path: str):
    """A browser page logged in through the login form, on ``path``."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{base}/admin/login?next={path}")
    page.get_by_label("User name").fill("admin")
    page.get_by_label("Password").fill(PASSWORD)
    follow(page.get_by_role("button", name="Log in"))
    return page
