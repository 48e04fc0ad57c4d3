"""Which links a record may carry: web addresses, never code.

A landing page or a storyboard image ends up in an ``href`` or ``src`` of pages people
open (the OAI browser view, the admin pages): a ``javascript:`` or ``data:`` link
there runs script on our origin.  Every door (native files, EBUCore, oai_dc, harvest)
goes through the same preparation, which refuses a record holding one.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from catalogue.model import Record

#: The schemes a link may use (docs/mappings.md, "Links").
WEB_SCHEMES = ("http", "https")


def is_web_url(value: str) -> bool:
    """An absolute http(s) URL with a host, and no characters a browser would strip."""
    if value != value.strip() or any(ord(c) < 0x21 for c in value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.netloc)


def unsafe_links(record: Record) -> list[str]:
    """Each link of the record that is not a web address, said in words."""
    found = []
    if record.landing_page is not None and not is_web_url(record.landing_page):
        found.append(f"its landing page {record.landing_page!r} is not an http(s) URL")
    if record.rights_uri is not None and not is_web_url(record.rights_uri):
        found.append(f"its rights statement {record.rights_uri!r} is not an http(s) URL")
    for keyframe in record.keyframes:
        if not is_web_url(keyframe.image):
            found.append(f"its storyboard image {keyframe.image!r} is not an http(s) URL")
    return found
