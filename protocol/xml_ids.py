"""Keeping a list answer one valid XML document when its records declare XML IDs.

EBUCore's audio definition model (EBU Tech 3364, inside ``audioFormatExtended``)
names its programmes, objects and tracks with attributes of type ``xs:ID``
(``audioObjectID="AO_1001"``), MARCXML allows an ``id`` of that type on every
field, and XML allows each ID value once per document.  Two records naming their
parts alike are each valid alone but not side by side in one ListRecords answer,
and the patterns EBUCore gives these IDs (``AO_`` and four hex digits) leave no room
to rename them.  So a page ends before the record that would repeat an ID already
in it; the resumption token carries on from there, nothing is lost, and every
answer validates.

The store flags, when it writes a rendering, whether it may declare IDs (``may_declare``);
the provider reads the IDs of flagged renderings only, so a page of renderings that
declare none costs nothing here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

#: Per format that can hold IDs (verbatim partner XML): a marker no rendering without
#: IDs holds, then the attributes that declare them.  EBUCore's ID attributes all end
#: in "ID" (``audioObjectID``, ``UID``); reading a few others too only ends a page
#: early, never lets an ID repeat.  Stored renderings are serialised by lxml or
#: ``mappings.builder``: attributes in double quotes.  Dublin Core, EDM and MODS as
#: Navette writes them declare none.
DECLARING = {
    "ebucore": (b"audioFormatExtended", re.compile(rb'\s[\w.:-]*ID="([^"]*)"')),
    "marcxml": (b' id="', re.compile(rb'\sid="([^"]*)"')),
}


def may_declare(prefix: str, rendering: str) -> bool:
    """Whether a rendering may declare IDs (its format's marker is in it)."""
    return prefix in DECLARING and DECLARING[prefix][0].decode() in rendering


def declared_ids(prefix: str, metadata: bytes | None) -> set[bytes]:
    """The ID values a rendering declares (whitespace collapsed, as XML reads them)."""
    if prefix not in DECLARING or not metadata:
        return set()
    marker, attribute = DECLARING[prefix]
    if marker not in metadata:
        return set()
    return {b" ".join(value.split()) for value in attribute.findall(metadata)}


def fitting(prefix: str, renderings: Sequence[bytes | None]) -> int:
    """How many renderings, from the first, fit in one document without an ID twice.
    The first always fits: a rendering stored is valid, its IDs distinct.  Renderings
    given as None declare none (the store did not flag them)."""
    if not any(renderings):
        # Nearly every page: nothing flagged.
        return len(renderings)
    seen: set[bytes] = set()
    for count, metadata in enumerate(renderings):
        ids = declared_ids(prefix, metadata)
        if ids:
            if count and not seen.isdisjoint(ids):
                return count
            seen |= ids
    return len(renderings)
