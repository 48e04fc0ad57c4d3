"""Rendering stored records again, after the crosswalks or the publication settings change.

A new release may add a format or change a crosswalk (``CROSSWALK_VERSION``), and an
operator may set a public URL or a default rights statement: records already in the
store keep their old renderings until they are written again.  This writes each live
record whose fingerprint says its renderings are stale; a record whose renderings come
out the same keeps its datestamp (the store compares content hashes).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from catalogue import codec, store
from catalogue.tables import RecordContent, RecordRow
from ingest import prepare
from mappings.publication import DEFAULT, Publication

BATCH = 500


def render_stored(
    sessions: sessionmaker[Session],
    publication: Publication = DEFAULT,
    progress: Callable[[int], None] | None = None,
) -> Counter[str]:
    """Counts 'updated' (renderings changed), 'unchanged', 'refused' (with no valid
    required rendering any more: left as they were) and 'current' (fingerprint up to date)."""
    check = prepare.schemas_available() is None
    counts: Counter[str] = Counter()
    last = 0
    while True:
        with sessions() as session:
            rows = session.execute(
                select(RecordRow.id, RecordContent.data, RecordRow.fingerprint, RecordRow.source)
                .join(RecordRow.contents)
                .where(RecordRow.id > last, RecordRow.deleted.is_(False))
                .order_by(RecordRow.id)
                .limit(BATCH)
            ).all()
        if not rows:
            return counts
        last = rows[-1].id
        by_source: dict[str | None, list[store.Written]] = {}
        for row in rows:
            record = codec.from_dict(row.data)
            try:
                written = prepare.prepare_if_changed(record, check, row.fingerprint, publication)
            except prepare.RecordRefused:
                counts["refused"] += 1
                continue
            if written is None:
                counts["current"] += 1
            else:
                by_source.setdefault(row.source, []).append(written)
        with sessions.begin() as session:
            for source, items in by_source.items():
                counts += store.save(session, items, source=source)
        if progress is not None:
            progress(len(rows))
