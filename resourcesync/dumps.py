"""Resource Dumps: every live rendering of one format in ZIP packages, each with its
``manifest.xml`` (a Resource Dump Manifest), which a destination downloads once instead
of fetching a million resources one by one.

A package holds at most ``PER_PACKAGE`` resources: a ZIP keeps an entry in memory for
each of its members until its directory is written, so one package of a million
records would cost some 600 MB while it is made; packages keep that bounded, and each
downloads (and resumes) on its own.  A dump is written into a folder of its own and
announced by ``<format>.json`` beside it, replaced in one step when the dump is
complete, so a download never reads half a dump; the manifest of each package goes to
a temporary file while its resources go into the ZIP.  The announcement keeps the
catalogue's version the dump was made from: ``stale`` says when to make it again.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import quote

from sqlalchemy.orm import Session, sessionmaker

from catalogue.browse_index import version
from protocol.dates import format_datestamp, utc_now
from resourcesync import listing
from resourcesync.documents import Entry, media_type, urlset

MANIFEST = "manifest.xml"
#: Resources a package holds at most.
PER_PACKAGE = 100_000


@dataclass(frozen=True)
class Dump:
    """A dump on disk, as its announcement describes it."""

    folder: Path
    prefix: str
    at: datetime
    version: str
    #: Each package's file name and how many resources it holds.
    packages: tuple[tuple[str, int], ...]

    @property
    def resources(self) -> int:
        return sum(count for _, count in self.packages)

    def package(self, number: int) -> Path | None:
        """The ``number``th package (from 1), or None past the last."""
        if not 1 <= number <= len(self.packages):
            return None
        return self.folder / self.packages[number - 1][0]


def _announcement(folder: Path, prefix: str) -> Path:
    return folder / f"{prefix}.json"


def read_dump(folder: Path, prefix: str) -> Dump | None:
    """The dump of ``prefix`` in ``folder``, or None when there is none (or its
    announcement is not one Navette wrote)."""
    try:
        said = json.loads(_announcement(folder, prefix).read_text(encoding="utf-8"))
        at = datetime.strptime(said["at"], "%Y-%m-%dT%H:%M:%SZ")
        packages = tuple((str(name), int(count)) for name, count in said["packages"])
        return Dump(folder / said["folder"], prefix, at, str(said["version"]), packages)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _member(identifier: str) -> str:
    """Where a resource lies in the package: its identifier, every unsafe byte escaped."""
    return f"resources/{quote(identifier, safe='')}.xml"


def _package(path: Path, prefix: str, rows, named, links, md: dict[str, str]) -> int:
    """One ZIP of up to ``PER_PACKAGE`` of ``rows`` and its manifest; how many it holds."""
    written = 0

    def entries() -> Iterator[Entry]:
        nonlocal written
        for identifier, datestamp, xml in rows:
            body = xml.encode("utf-8")
            member = _member(identifier)
            package.writestr(member, body)
            written += 1
            described = {
                "hash": f"sha-256:{hashlib.sha256(body).hexdigest()}",
                "length": str(len(body)),
                "type": media_type(prefix),
                "path": f"/{member}",
            }
            yield Entry(named(identifier), format_datestamp(datestamp), described)
            if written == PER_PACKAGE:
                return

    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as package,
        tempfile.TemporaryFile(dir=path.parent) as manifest,
    ):
        for chunk in urlset(md, links, entries()):
            manifest.write(chunk)
        manifest.seek(0)
        with package.open(MANIFEST, "w") as member:
            shutil.copyfileobj(manifest, member, 1 << 20)
    os.chmod(path, 0o644)  # readable by the web server's user
    return written


def write_dump(
    sessions: sessionmaker[Session],
    prefix: str,
    folder: Path,
    named: Callable[[str], str],
    links: list[dict[str, str]],
) -> Dump:
    """Make the dump of ``prefix`` in ``folder`` again.

    ``named(identifier)`` is each resource's address as the lists give it, so the
    manifests and the Resource Lists name the same resources.  The catalogue's version
    is read before its records: a change made while the dump is written leaves the dump
    stale, and the next refresh makes it again.
    """
    folder.mkdir(parents=True, exist_ok=True)
    at = utc_now().replace(microsecond=0, tzinfo=None)
    made = Path(tempfile.mkdtemp(prefix=f"{prefix}-{at:%Y%m%dT%H%M%S}-", dir=folder))
    os.chmod(made, 0o755)
    md = {"capability": "resourcedump-manifest", "at": format_datestamp(at)}
    packages: list[tuple[str, int]] = []
    try:
        with sessions() as session:
            made_from = version(session)
            rows = listing.resources(session, prefix)
            while True:
                name = f"part-{len(packages) + 1:04d}.zip"
                count = _package(made / name, prefix, rows, named, links, md)
                if count == 0 and packages:
                    (made / name).unlink()
                    break
                packages.append((name, count))
                if count < PER_PACKAGE:
                    break
    except BaseException:
        shutil.rmtree(made, ignore_errors=True)
        raise
    dump = Dump(made, prefix, at, made_from, tuple(packages))
    _announce(folder, dump)
    return dump


def _announce(folder: Path, dump: Dump) -> None:
    """Point ``<format>.json`` at the new dump in one step; the last one's folder goes."""
    earlier = read_dump(folder, dump.prefix)
    said = {
        "at": format_datestamp(dump.at),
        "version": dump.version,
        "folder": dump.folder.name,
        "packages": [list(package) for package in dump.packages],
    }
    handle, partial = tempfile.mkstemp(prefix=f".{dump.prefix}-", suffix=".json", dir=folder)
    with os.fdopen(handle, "w", encoding="utf-8") as announcement:
        json.dump(said, announcement)
    os.chmod(partial, 0o644)
    os.replace(partial, _announcement(folder, dump.prefix))
    if earlier is not None and earlier.folder != dump.folder:
        # A download of the last dump already under way keeps its open file.
        shutil.rmtree(earlier.folder, ignore_errors=True)


def stale(sessions: sessionmaker[Session], folder: Path, prefix: str) -> bool:
    """Whether the dump of ``prefix`` is missing or older than the catalogue."""
    found = read_dump(folder, prefix)
    if found is None:
        return True
    with sessions() as session:
        return version(session) != found.version
