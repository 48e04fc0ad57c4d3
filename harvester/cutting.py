"""Cutting a page whose XML is broken into its envelope and its records, in one pass.

When a page does not parse, each record is read on its own so that one broken record
is quarantined and its neighbours go in.  Finding the records must not cost more than
reading the page: a pattern that looks, from each ``<record>``, for the next
``</record>`` takes time with the square of the page when the closing tags are missing
(128 kB of unclosed tags held a worker for minutes).  So the page is walked once:

- an OAI-PMH record starts with a ``<record>`` tag followed by its ``<header>`` (a
  MARCXML ``<record>`` inside the metadata, in the same default namespace, does not);
- a record runs to the last ``</record>`` before the next record starts (or before the
  resumption token, or the end of the list), so a record left open loses only itself;
- whatever lies between records that is no record is cut out and counted, for the
  run report.

Every search is bounded to the stretch of page it concerns, so the whole is linear.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_NAME = rb"(?:[A-Za-z_][\w.-]{0,63}:)?"
#: A record's start tag (attributes bounded: a tag that never closes is not searched to
#: the end of the page from every ``<record``).
_START = re.compile(rb"<(?P<p>" + _NAME + rb")record(?:\s[^<>]{0,1024})?>")
_HEADER_NEXT = re.compile(rb"\s*<" + _NAME + rb"header[\s>/]")
#: What follows the last record: the resumption token, or the end of the list.
_AFTER_RECORDS = re.compile(
    rb"<" + _NAME + rb"resumptionToken[\s>/]|</" + _NAME + rb"(?:ListRecords|GetRecord)\s*>"
)


@dataclass
class Cut:
    """A broken page cut up: its envelope (records removed) and its records' bytes."""

    envelope: bytes
    records: list[bytes] = field(default_factory=list)
    #: Bytes between records that belong to none (neither space nor a record).
    stray: int = 0


def _end_of(body: bytes, prefix: bytes, start: int, stop: int) -> int | None:
    """Where the last ``</record>`` of ``prefix`` between ``start`` and ``stop`` ends."""
    closing = re.compile(rb"</" + re.escape(prefix) + rb"record\s*>")
    position = stop
    while (position := body.rfind(b"</" + prefix + b"record", start, position)) >= 0:
        tag = closing.match(body, position, stop)
        if tag is not None:
            return tag.end()
    return None


def record_starts(body: bytes) -> list[re.Match[bytes]]:
    """The start tags of the page's OAI-PMH records, in order."""
    return [
        tag
        for tag in _START.finditer(body)
        if _HEADER_NEXT.match(body, tag.end(), tag.end() + 4096) is not None
    ]


def cut(body: bytes) -> Cut:
    """The page's envelope and records, found in time proportional to its size."""
    starts = record_starts(body)
    if not starts:
        return Cut(body)
    after = _AFTER_RECORDS.search(body, starts[-1].end())
    last_stop = after.start() if after is not None else len(body)
    records, stray = [], 0
    for number, tag in enumerate(starts):
        stop = starts[number + 1].start() if number + 1 < len(starts) else last_stop
        end = _end_of(body, tag.group("p"), tag.end(), stop) or stop
        records.append(body[tag.start() : end])
        stray += len(body[end:stop].strip())
    envelope = body[: starts[0].start()] + body[last_stop:]
    return Cut(envelope, records, stray)
