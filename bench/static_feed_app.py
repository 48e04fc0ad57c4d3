"""A partner that costs almost nothing: a recorded OAI-PMH feed served from memory.

``BENCH_FEED`` names a folder written by ``bench.harvest.record_feed``: Identify,
ListMetadataFormats and every ListRecords page of one walk, the resumption tokens
rewritten to ``p1``, ``p2`` ... so that a page is found by a dictionary lookup.
Harvesting it measures the harvester, not the partner.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs

FEED = Path(os.environ.get("BENCH_FEED", "feed"))
IDENTIFY = (FEED / "identify.xml").read_bytes()
FORMATS = (FEED / "formats.xml").read_bytes()
PAGES = [path.read_bytes() for path in sorted(FEED.glob("page-*.xml"))]


def app(environ, start_response):
    query = parse_qs(environ.get("QUERY_STRING", ""))
    verb = query.get("verb", [""])[0]
    token = query.get("resumptionToken", [""])[0]
    if verb == "Identify":
        body = IDENTIFY
    elif verb == "ListMetadataFormats":
        body = FORMATS
    elif verb == "ListRecords":
        body = PAGES[int(token[1:])] if token else PAGES[0]
    else:
        body = b"<OAI-PMH/>"
    start_response(
        "200 OK",
        [("Content-Type", "text/xml; charset=utf-8"), ("Content-Length", str(len(body)))],
    )
    return [body]
