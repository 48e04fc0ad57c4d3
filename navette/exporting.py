"""Exporting the catalogue: one XML file per record, in a folder or a ZIP archive.

The files are the stored renderings, written as they are served.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from catalogue.tables import RecordRow, Rendering

DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


def file_name(identifier: str) -> str:
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in identifier)
    return f"{safe}.xml"


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
    for identifier, xml in renderings(sessions, prefix):
        (folder / file_name(identifier)).write_text(DECLARATION + xml + "\n", encoding="utf-8")
        count += 1
    return count


def export_to_zip(sessions: sessionmaker[Session], prefix: str, archive: Path) -> int:
    count = 0
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        for identifier, xml in renderings(sessions, prefix):
            out.writestr(f"{prefix}/{file_name(identifier)}", DECLARATION + xml + "\n")
            count += 1
    return count
