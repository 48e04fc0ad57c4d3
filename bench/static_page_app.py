"""The harness floor: a WSGI app that does no work, answering every request with the same
prebuilt page of records (``BENCH_PAGE``, a file), ``BENCH_PAGES`` times, the last one
without its resumption token.

Harvested by the same client under the same gunicorn settings as the real servers,
it measures what HTTP, gunicorn and the client cost on their own: no server can
list records faster than this over that harness.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

PAGE = Path(os.environ.get("BENCH_PAGE", "page.xml")).read_bytes()
LAST = re.sub(rb"<resumptionToken[^>]*>[^<]*</resumptionToken>", b"", PAGE)
PAGES = int(os.environ.get("BENCH_PAGES", "1000"))
served = 0


def next_body(query_string: str) -> bytes:
    """The next page of the walk (or the answer to the bench's is-it-up probe)."""
    global served
    if "Identify" in query_string:
        return b"<OAI-PMH/>"
    served += 1
    return PAGE if served % PAGES else LAST


def app(environ, start_response):
    body = next_body(environ.get("QUERY_STRING", ""))
    start_response(
        "200 OK",
        [("Content-Type", "text/xml; charset=utf-8"), ("Content-Length", str(len(body)))],
    )
    return [body]
