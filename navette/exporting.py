"""Exporting the catalogue: one XML file per record, in a folder or a ZIP archive.

The files are the stored renderings, written as they are served.  Their names must
be safe on every platform and unique whatever the identifiers: a short readable stem
of the identifier, and a digest of the whole identifier whenever the stem is not the
identifier itself (characters replaced, cut short, capitals that a case-insensitive
file system would fold, a name Windows reserves, a hidden name).  ``manifest.tsv``
beside the files says which record each file holds.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from catalogue.tables import RecordRow, Rendering

DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
MANIFEST = "manifest.tsv"
MAX_STEM = 80
_UNSAFE = re.compile(r"[^a-z0-9._-]+")
_DIGEST_LIKE = re.compile(r"-[0-9a-f]{16}$")
#: Names Windows gives to devices, whatever the extension (CON.xml is the console).
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9]|clock\$)(\..*)?$")


def file_name(identifier: str) -> str:
    """The record's file name: ``stem.xml``, or ``stem-digest.xml`` when the stem is lossy."""
    stem = _UNSAFE.sub("_", identifier.lower())[:MAX_STEM].strip("._") or "record"
    faithful = stem == identifier and not _RESERVED.match(stem) and not _DIGEST_LIKE.search(stem)
    if _RESERVED.match(stem):
        stem = f"_{stem}"
    if not faithful:
        digest = hashlib.sha256(identifier.encode("utf-8")).hexdigest()[:16]
        stem = f"{stem}-{digest}"
    return f"{stem}.xml"


#: First characters a spreadsheet reads as a formula ('=HYPERLINK(…)', '+cmd|…').
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def manifest_line(name: str, identifier: str) -> str:
    """``file<TAB>identifier``, the identifier's tabs, newlines and backslashes escaped, and
    one a spreadsheet would run as a formula written after an apostrophe (OWASP's advice;
    the apostrophe is not part of the identifier)."""
    neutral = f"'{identifier}" if identifier.startswith(FORMULA_STARTS) else identifier
    escaped = (
        neutral.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    )
    return f"{name}\t{escaped}\n"


def _write_new(path: Path, text: str) -> None:
    """Write ``path`` through a temporary file renamed over it: an existing name (a link
    planted where a record's file goes) is replaced, never written through."""
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", newline="", dir=path.parent, delete=False, suffix=".part"
    ) as part:
        part.write(text)
    os.replace(part.name, path)


def renderings(sessions: sessionmaker[Session], prefix: str) -> Iterator[tuple[str, str]]:
    """(identifier, xml) of every live record, in identifier order, streamed."""
    query = (
        select(RecordRow.identifier, Rendering.xml)
        .join(Rendering, Rendering.record_id == RecordRow.id)
        .where(Rendering.prefix == prefix, RecordRow.deleted.is_(False))
        .order_by(RecordRow.identifier)
        .execution_options(yield_per=500)
    )
    with sessions() as session:
        yield from session.execute(query)


def export_to_folder(sessions: sessionmaker[Session], prefix: str, folder: Path) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", newline="", dir=folder, delete=False, suffix=".part"
    ) as manifest:
        manifest.write("file\tidentifier\n")
        for identifier, xml in renderings(sessions, prefix):
            name = file_name(identifier)
            _write_new(folder / name, DECLARATION + xml + "\n")
            manifest.write(manifest_line(name, identifier))
            count += 1
    os.replace(manifest.name, folder / MANIFEST)
    return count


def export_to_zip(sessions: sessionmaker[Session], prefix: str, archive: Path) -> int:
    """The archive is built beside its name and renamed over it at the end: a link planted
    at that name is replaced, and a half-written archive never bears it."""
    count = 0
    lines = ["file\tidentifier\n"]
    part = archive.with_name(f".{archive.name}.part")
    part.unlink(missing_ok=True)
    with zipfile.ZipFile(part, "x", zipfile.ZIP_DEFLATED) as out:
        for identifier, xml in renderings(sessions, prefix):
            name = f"{prefix}/{file_name(identifier)}"
            out.writestr(name, DECLARATION + xml + "\n")
            lines.append(manifest_line(name, identifier))
            count += 1
        out.writestr(f"{prefix}/{MANIFEST}", "".join(lines))
    os.replace(part, archive)
    return count
