"""Shared fixtures: the seed record, the official schemas, and a store on every database.

Store tests run on SQLite always and on PostgreSQL when NAVETTE_TEST_DATABASE_URL
names one (``.ci/run`` does); without it they skip and say why.  Each PostgreSQL
test gets a schema of its own, dropped afterwards.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
import uuid
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from catalogue import codec
from catalogue.database import normalise_url, open_store
from catalogue.model import Keyframe, Record, Text
from navette.config import Settings
from schemas import registry

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEED_FILE = ROOT / "navette" / "data" / "demo" / "mars-express.jsonl"
EBU_EXAMPLES = SHARED / "examples" / "ebucore"

if "NAVETTE_SCHEMA_DIR" not in os.environ and (SHARED / "schemas").is_dir():
    os.environ["NAVETTE_SCHEMA_DIR"] = str(SHARED / "schemas")
#: Every partner of these tests runs on this machine: the harvester is told, as an admin
#: with partners on the local network would tell it, that it may reach loopback
#: (commands the suite starts inherit it).  tests/harvest/test_reach.py runs without it.
LOOPBACK = "127.0.0.0/8, ::1"
os.environ["NAVETTE_HARVEST_ALLOWED_NETWORKS"] = LOOPBACK
#: Where the suite's own process finds the XSDs (commands it starts read the environment).
SCHEMAS = Settings.from_env().schema_location()
registry.configure(SCHEMAS)

PG_URL = os.environ.get("NAVETTE_TEST_DATABASE_URL")
PG_SKIP = "PostgreSQL not configured: set NAVETTE_TEST_DATABASE_URL (as .ci/run does) to run"


def schemas_present() -> bool:
    folder = os.environ.get("NAVETTE_SCHEMA_DIR")
    return bool(folder) and (Path(folder) / "ebucore.xsd").is_file()


@pytest.fixture(autouse=True)
def _schema_location_restored():
    """A test that points the registry elsewhere (a command run in process does) leaves
    it as it found it."""
    yield
    registry.configure(SCHEMAS)


requires_schemas = pytest.mark.skipif(
    not schemas_present(),
    reason="the official XSDs are absent: set NAVETTE_SCHEMA_DIR or run `navette schemas fetch`",
)


@pytest.fixture
def seed_data() -> dict:
    return json.loads(SEED_FILE.read_text(encoding="utf-8").splitlines()[0])


@pytest.fixture
def seed_record(seed_data) -> Record:
    return codec.from_dict(seed_data)


@pytest.fixture
def catalogue_record(seed_record) -> Record:
    """The seed plus fields its data sheet does not show but a catalogue record may carry
    (another language's title, a landing page, a storyboard, a language, a copyright, an
    object type), as the demo's generated records do: for the tests of their mappings."""
    return dataclasses.replace(
        seed_record,
        titles=[*seed_record.titles, Text("La mission Mars Express", "fr")],
        landing_page="https://videotheque.cnrs.fr/doc=6764",
        keyframes=[
            Keyframe("00:00:12", "https://videotheque.cnrs.fr/storyboard/6764/0012.jpg"),
            Keyframe("00:02:40", "https://videotheque.cnrs.fr/storyboard/6764/0160.jpg"),
        ],
        languages=["fr"],
        rights=[Text("© CNRS Images, 2019", type="Copyright")],
        object_types=["Documentary"],
    )


@pytest.fixture(scope="session")
def pg_admin_url() -> str:
    if not PG_URL:
        pytest.skip(PG_SKIP)
    return normalise_url(PG_URL)


def _pg_schema_url(base: str):
    schema = f"t_{uuid.uuid4().hex[:12]}"
    engine = create_engine(base)
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in base else "?"
    url = f"{base}{separator}options=-csearch_path%3D{schema}"

    def drop() -> None:
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()

    return url, drop


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """A fresh, empty database of each kind."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'navette.db'}"
        return
    base = request.getfixturevalue("pg_admin_url")
    url, drop = _pg_schema_url(base)
    yield url
    drop()


def analysed_by_postgresql(sessions) -> set[str]:
    """The tables of the test's schema that ANALYZE has been run on."""
    with sessions() as session:
        rows = session.execute(
            text(
                "SELECT relname FROM pg_stat_user_tables "
                "WHERE schemaname = current_schema() AND last_analyze IS NOT NULL"
            )
        )
        return set(rows.scalars())


@pytest.fixture
def cli(database_url, monkeypatch):
    """`navette ARGS` run in process against the test's database; the click Result."""
    from click.testing import CliRunner

    from navette.cli import main

    monkeypatch.setenv("NAVETTE_DATABASE_URL", database_url)
    runner = CliRunner()
    return lambda *args: runner.invoke(main, [str(a) for a in args])


@pytest.fixture
def sessions(database_url):
    factory = open_store(database_url)
    yield factory
    factory.kw["bind"].dispose()


@pytest.fixture
def sqlite_sessions(tmp_path):
    factory = open_store(f"sqlite:///{tmp_path / 'navette.db'}")
    yield factory
    factory.kw["bind"].dispose()


_UNDER_2_GIB = """
import resource
resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
from navette.cli import main
main()
"""


def navette_under_2_gib(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """`navette ARGS` in a process that cannot map more than 2 GiB: a bomb would crash it."""
    return subprocess.run(
        [sys.executable, "-c", _UNDER_2_GIB, *args],
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(os.environ.get("NAVETTE_TEST_ARTIFACTS", ROOT / ".artifacts"))


@pytest.fixture
def browser():
    if CHROMIUM is None:
        pytest.skip(
            "no Chromium on this machine: install Debian's chromium package "
            "(.ci/run does) to run the browser test"
        )
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


def follow(locator) -> None:
    """Click a link or a form's button and wait until the page it leads to has loaded:
    Playwright's click does not wait for the navigation it starts, and a page read too
    early is the page before."""
    with locator.page.expect_navigation():
        locator.click()


@pytest.fixture
def partners():
    """Start fake partner archives on loopback; each stops after the test."""
    from tests.harvest.partner import Partner

    started: list[Partner] = []

    def start(*args, **kwargs) -> Partner:
        partner = Partner(*args, **kwargs)
        started.append(partner)
        return partner

    yield start
    for partner in started:
        partner.stop()


def core_facts(core) -> Counter:
    """Each element under an EBUCore coreMetadata: its path, attributes and text, counted
    (what a document keeps or loses on its way through, whatever the order)."""
    from lxml import etree

    found: Counter = Counter()

    def walk(element, path: str) -> None:
        for child in element.iterchildren(etree.Element):
            here = f"{path}/{etree.QName(child).localname}"
            found[(here, tuple(sorted(child.attrib.items())), (child.text or "").strip())] += 1
            walk(child, here)

    walk(core, "")
    return found
