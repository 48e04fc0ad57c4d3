"""A IIIF viewer shows a film's storyboard from its Manifest: Mirador, installed from the
npm registry by the test itself (never from a CDN), opens the Manifest that a real
``navette serve`` answers on loopback, in headless Chromium, and shows the storyboard:
its first keyframe as the film's image, every keyframe in the table of contents at its
time; a screenshot is kept."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import tarfile
import zlib
from dataclasses import replace
from pathlib import Path

import pytest

from catalogue import store
from catalogue.database import open_store
from catalogue.model import Keyframe
from ingest.prepare import prepare
from tests.conftest import ARTIFACTS, requires_schemas
from tests.serving import Served, serving_folder

pytestmark = requires_schemas

MIRADOR = "mirador@4.0.0"
FILM = "storyboarded-film"
KEYFRAMES = {"00:00:12": (200, 60, 40), "00:02:40": (40, 90, 200), "00:07:05": (30, 160, 70)}


def _cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "navette" / "npm" / MIRADOR.replace("@", "-")


@pytest.fixture(scope="session")
def mirador() -> Path:
    """Mirador's browser bundle, from its npm package (fetched once, then cached)."""
    bundle = _cache() / "mirador.min.js"
    if bundle.is_file():
        return bundle
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("no npm on this machine: the viewer test installs Mirador with it")
    folder = _cache()
    folder.mkdir(parents=True, exist_ok=True)
    try:
        packed = subprocess.run(
            [npm, "pack", MIRADOR, "--pack-destination", str(folder)],
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
        pytest.skip(f"npm could not fetch {MIRADOR} from the registry: {error}")
    archive = folder / packed.stdout.strip().splitlines()[-1]
    with tarfile.open(archive) as package:
        member = package.extractfile("package/dist/mirador.min.js")
        bundle.write_bytes(member.read())
    archive.unlink()
    return bundle


def _png(colour: tuple[int, int, int], width: int = 160, height: int = 90) -> bytes:
    """A plain PNG of one colour: a keyframe image, made here."""
    row = b"\x00" + bytes(colour) * width
    raw = zlib.compress(row * height)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunks = chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + chunks


@pytest.fixture
def static_site(tmp_path, mirador):
    """The viewer's page, Mirador and the keyframe images, served on loopback."""
    folder = tmp_path / "static"
    folder.mkdir()
    shutil.copy(mirador, folder / "mirador.min.js")
    for number, colour in enumerate(KEYFRAMES.values(), 1):
        (folder / f"keyframe-{number}.png").write_bytes(_png(colour))
    with serving_folder(folder) as base:
        yield folder, base


@pytest.fixture
def served_film(tmp_path, static_site, catalogue_record):
    """`navette serve` over a store holding the seed with a storyboard of three keyframes."""
    _, images = static_site
    keyframes = [
        Keyframe(timecode, f"{images}/keyframe-{number}.png")
        for number, timecode in enumerate(KEYFRAMES, 1)
    ]
    record = replace(catalogue_record, identifier=FILM, landing_page=None, keyframes=keyframes)
    url = f"sqlite:///{tmp_path / 'viewer.db'}"
    sessions = open_store(url)
    with sessions.begin() as session:
        store.save(session, [prepare(record, check=False)])
    sessions.kw["bind"].dispose()
    server = Served({"NAVETTE_DATABASE_URL": url}, tmp_path / "serve.log")
    yield server.base
    server.stop()


def test_mirador_shows_the_storyboard_of_a_films_manifest(browser, static_site, served_film):
    folder, site = static_site
    manifest = f"{served_film}/records/{FILM}/manifest.json"
    (folder / "index.html").write_text(
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>Mirador</title></head>"
        '<body><div id="viewer" style="position:absolute;inset:0"></div>'
        '<script src="mirador.min.js"></script><script>'
        "Mirador.viewer({id: 'viewer', windows: [{manifestId: "
        f"'{manifest}', view: 'gallery'"
        "}], window: {allowClose: false, sideBarOpenByDefault: true,"
        " defaultSideBarPanel: 'canvas'}});"
        "</script></body></html>",
        encoding="utf-8",
    )
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{site}/index.html")
    # The film is one Canvas: its first keyframe is its thumbnail, and each keyframe is
    # an entry of the table of contents, at its time.
    page.wait_for_selector('img[src$="keyframe-1.png"]', timeout=30_000)
    for timecode in KEYFRAMES:
        page.get_by_text(f"Storyboard at {timecode}").wait_for(timeout=10_000)
    assert page.get_by_text("Mars Express Mission").first.is_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "iiif-viewer-mirador.png"))
    assert errors == []
