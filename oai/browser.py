"""OAI-PMH answers as pages for people, rendered on the server.

Browsers are dropping XSLT, and Chromium already covers every page that relies on it
with a warning.  A request whose Accept header prefers HTML (a browser's; no OAI-PMH
client sends one) gets the answer passed through the same stylesheet here; every other
client gets the XML exactly as before.
"""

from __future__ import annotations

import threading
from pathlib import Path

from lxml import etree
from werkzeug.datastructures import MIMEAccept

STYLESHEET = Path(__file__).parent / "static" / "oai2.xsl"
HTML_CONTENT_TYPE = "text/html; charset=utf-8"

_local = threading.local()


def wants_html(accept: MIMEAccept) -> bool:
    """Whether the client prefers HTML to XML, by name (``*/*`` alone means XML)."""
    named = {value for value, _ in accept}
    if "text/html" not in named:
        return False
    return accept.best_match(["text/xml", "application/xml", "text/html"]) == "text/html"


def _transform() -> etree.XSLT:
    """The stylesheet, compiled once per thread (an XSLT object is not shared)."""
    transform = getattr(_local, "transform", None)
    if transform is None:
        transform = _local.transform = etree.XSLT(etree.parse(str(STYLESHEET)))
    return transform


def to_html(answer: bytes) -> bytes:
    """The OAI-PMH answer as the HTML page the stylesheet makes of it."""
    return bytes(_transform()(etree.fromstring(answer)))
