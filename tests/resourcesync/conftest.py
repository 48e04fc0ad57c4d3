"""The demo catalogue, one record of it withdrawn, published under a public URL, on each
database: what the ResourceSync lists are read from."""

from __future__ import annotations

import pytest

from catalogue import store
from catalogue.database import open_store
from navette import demo
from navette.app import close_app, create_app
from navette.config import Settings
from protocol.dates import utc_now

PUBLIC_URL = "https://films.example.org"
WITHDRAWN = "cnrs-7001"
#: With rights stated, every record has an EDM rendering too.
RIGHTS = "http://rightsstatements.org/vocab/InC-EDU/1.0/"


@pytest.fixture
def source(database_url):
    """A test client of the service over that catalogue."""
    settings = Settings(
        database_url=database_url, secret_key="k", public_url=PUBLIC_URL, default_rights=RIGHTS
    )
    sessions = open_store(database_url)
    demo.load(sessions, settings.publication())
    with sessions.begin() as session:
        store.delete_record(session, WITHDRAWN, utc_now())
    sessions.kw["bind"].dispose()
    app = create_app(settings)
    yield app.test_client()
    close_app(app)
