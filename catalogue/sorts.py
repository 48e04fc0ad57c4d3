"""The orders a list of records is read in, besides relevance (which the full-text
index gives): each ends with the record's id, so that it is total and its index
(migrations 0013 and 0014) gives it without a sort."""

from __future__ import annotations

from catalogue.tables import RecordContent, RecordRow

ORDERS = {
    "title": (RecordContent.title_key, RecordContent.record_id),
    # The years unknown last.
    "year": (
        RecordContent.year.is_(None),
        RecordContent.year,
        RecordContent.title_key,
        RecordContent.record_id,
    ),
    "newest": (RecordRow.datestamp.desc(), RecordRow.identifier),
}
#: Those the facet bitmaps keep each record's place in (``catalogue.browse_index``).
PLACED = ("title", "year")
