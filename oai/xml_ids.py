"""Keeping a list answer one valid XML document when its records declare XML IDs.

EBUCore's audio definition model (EBU Tech 3364, inside ``audioFormatExtended``)
names its programmes, objects and tracks with attributes of type ``xs:ID``
(``audioObjectID="AO_1001"``), and XML allows each ID value once per document.
Two records naming their objects alike are each valid alone but not side by side
in one ListRecords answer, and the patterns EBUCore gives these IDs
(``AO_`` and four hex digits) leave no room to rename them.  So a page ends
before the record that would repeat an ID already in it; the resumption token
carries on from there, nothing is lost, and every answer validates.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

#: Every ID-typed attribute of EBUCore ends in "ID" (``audioObjectID``) or is ``UID``;
#: reading a few others too only ends a page early, never lets an ID repeat.
_ID_ATTRIBUTE = re.compile(rb'\s[\w.:-]*ID\s*=\s*(["\'])(.*?)\1', re.DOTALL)


def declared_ids(metadata: bytes | None) -> set[bytes]:
    """The ID values a rendering declares (whitespace collapsed, as XML reads them)."""
    if not metadata or b"ID" not in metadata:
        return set()
    return {b" ".join(match[2].split()) for match in _ID_ATTRIBUTE.finditer(metadata)}


def fitting(renderings: Sequence[bytes | None]) -> int:
    """How many renderings, from the first, fit in one document without an ID twice.
    The first always fits: a rendering stored is valid, its IDs distinct."""
    seen: set[bytes] = set()
    for count, metadata in enumerate(renderings):
        ids = declared_ids(metadata)
        if ids:
            if count and not seen.isdisjoint(ids):
                return count
            seen |= ids
    return len(renderings)
