"""Fixtures: an OAI-PMH provider over a small catalogue whose datestamps the tests choose."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
import requests

from catalogue.database import open_store
from catalogue.model import Text
from tests.oai.helpers import T0, Catalogue, make_app


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
        app.extensions["navette.sessions"].kw["bind"].dispose()


@pytest.fixture
def client(app_factory, catalogue):
    return app_factory(page_size=3, identifiers_page_size=4).test_client()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("serve")
    port = _free_port()
    env = {
        **os.environ,
        "NAVETTE_DATABASE_URL": f"sqlite:///{folder / 'served.db'}",
        "NAVETTE_PAGE_SIZE": "25",
        "NAVETTE_IDENTIFIERS_PAGE_SIZE": "40",
    }
    command = [
        sys.executable,
        "-m",
        "navette.cli",
        "serve",
        "--demo",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "2",
    ]
    log = open(folder / "serve.log", "w")
    process = subprocess.Popen(
        command,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=Path(__file__).resolve().parents[2],
    )
    url = f"http://127.0.0.1:{port}/oai"
    deadline = time.monotonic() + 60
    while True:
        try:
            if requests.get(url, params={"verb": "Identify"}, timeout=2).status_code == 200:
                break
        except requests.ConnectionError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise AssertionError((folder / "serve.log").read_text())
        time.sleep(0.2)
    yield url
    process.terminate()
    process.wait(timeout=20)
    log.close()
