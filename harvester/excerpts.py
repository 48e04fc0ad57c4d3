"""What of a partner's own words a run report may keep: a short, printable excerpt.

A response body can be anything the partner (or whatever it redirected to) chose to
send: a private service's reply, megabytes of text, control characters that rewrite a
terminal.  Reports and messages keep at most a line of it, with whitespace folded and
every unprintable character written as an escape, so that what an admin reads is
safe to show and never more than a glimpse.
"""

from __future__ import annotations

import re

LIMIT = 80
_SPACE = re.compile(r"\s+")


def excerpt(text: str | bytes, limit: int = LIMIT) -> str:
    """At most ``limit`` printable characters of ``text``, "…" marking a cut."""
    if isinstance(text, bytes):
        text = text[: limit * 4].decode("utf-8", "replace")
    folded = _SPACE.sub(" ", text[: limit * 4]).strip()
    shown = "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in folded)
    if len(shown) > limit or len(text) > limit * 4:
        return shown[:limit].rstrip() + "…"
    return shown
