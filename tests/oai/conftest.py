"""Fixtures: an OAI-PMH provider over a small catalogue whose datestamps the tests choose."""

from __future__ import annotations

from datetime import timedelta

import pytest

from catalogue.database import open_store
from catalogue.model import Text
from navette.app import close_app
from tests.oai.helpers import T0, Catalogue, make_app
from tests.serving import Served


@pytest.fixture
def catalogue(database_url, seed_record):
    sessions = open_store(database_url)
    yield Catalogue(sessions, seed_record)
    sessions.kw["bind"].dispose()


@pytest.fixture
def ten_films(catalogue):
    """film-00 .. film-09, one a minute from T0, in two series."""
    for n in range(10):
        series = [Text("Earth Matters", "en")] if n % 2 else [Text("Life in the Cell", "en")]
        catalogue.write(f"film-{n:02d}", T0 + timedelta(minutes=n), series=series)
    return catalogue


@pytest.fixture
def app_factory(database_url):
    apps = []

    def factory(**settings):
        app = make_app(database_url, **settings)
        apps.append(app)
        return app

    yield factory
    for app in apps:
        close_app(app)


@pytest.fixture
def client(app_factory, catalogue):
    return app_factory(page_size=3, identifiers_page_size=4).test_client()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The demo catalogue served by `navette serve`, with small pages to make lists page."""
    folder = tmp_path_factory.mktemp("serve")
    env = {
        "NAVETTE_DATABASE_URL": f"sqlite:///{folder / 'served.db'}",
        "NAVETTE_PAGE_SIZE": "25",
        "NAVETTE_IDENTIFIERS_PAGE_SIZE": "40",
        # An operator's statement for records that state none: what Europeana requires.
        "NAVETTE_DEFAULT_RIGHTS": "http://rightsstatements.org/vocab/InC/1.0/",
    }
    server = Served(env, folder / "serve.log", "--demo", workers=2)
    yield server.oai
    server.stop()
