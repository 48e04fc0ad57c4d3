"""ResourceSync documents as the framework writes them: sitemaps.org ``urlset`` and
``sitemapindex`` carrying ``rs:md`` (what a list or a resource is) and ``rs:ln`` (how it
links to the others), ANSI/NISO Z39.99-2017.

A list of 50,000 resources is written as it is read, a few hundred URLs a chunk, so
that neither the list nor its resources are ever whole in memory.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html import escape

from protocol.namespaces import RESOURCESYNC, SITEMAPS

#: How many URLs are written before the bytes so far are handed on.
CHUNK = 500
#: EDM is RDF/XML; the other formats are plain XML.
MEDIA_TYPES = {"edm": "application/rdf+xml"}


def media_type(prefix: str) -> str:
    """A resource's ``rs:md type``: the media type of a rendering in ``prefix``."""
    return MEDIA_TYPES.get(prefix, "application/xml")


@dataclass(frozen=True)
class Entry:
    """One ``<url>`` (or ``<sitemap>``): where it is, when it last changed, what it is."""

    loc: str
    lastmod: str | None = None
    #: The ``rs:md`` attributes: capability, change, hash, length, type, from, until, at.
    md: dict[str, str] = field(default_factory=dict)
    #: ``rs:ln`` links, each its attributes (rel, href, and any others).
    links: tuple[dict[str, str], ...] = ()


def _attributes(values: dict[str, str]) -> str:
    # html.escape turns &, <, > and both quotes into references XML reads alike.
    return "".join(f' {name}="{escape(value)}"' for name, value in values.items())


def _metadata(md: dict[str, str], links: Iterable[dict[str, str]]) -> str:
    """A document's or an entry's ``<rs:md/>`` and ``<rs:ln/>``s."""
    said = f"<rs:md{_attributes(md)}/>" if md else ""
    return said + "".join(f"<rs:ln{_attributes(link)}/>" for link in links)


def _entry(tag: str, entry: Entry) -> str:
    lastmod = f"<lastmod>{escape(entry.lastmod)}</lastmod>" if entry.lastmod is not None else ""
    return (
        f"<{tag}><loc>{escape(entry.loc)}</loc>{lastmod}{_metadata(entry.md, entry.links)}</{tag}>"
    )


def _document(
    root: str, child: str, md: dict[str, str], links: Iterable[dict[str, str]], entries
) -> Iterator[bytes]:
    """Written as text, as the OAI-PMH answers are: an element object per URL cost
    half a list's time.  Every value is escaped for its place."""
    head = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<{root} xmlns="{SITEMAPS}" xmlns:rs="{RESOURCESYNC}">{_metadata(md, links)}'
    )
    chunk = [head]
    for number, entry in enumerate(entries, 1):
        chunk.append(_entry(child, entry))
        if number % CHUNK == 0:
            yield "".join(chunk).encode("utf-8")
            chunk = []
    chunk.append(f"</{root}>")
    yield "".join(chunk).encode("utf-8")


def urlset(
    md: dict[str, str], links: Iterable[dict[str, str]], entries: Iterable[Entry]
) -> Iterator[bytes]:
    """A list (description, capability, resource or change list), chunk by chunk."""
    return _document("urlset", "url", md, links, entries)


def sitemapindex(
    md: dict[str, str], links: Iterable[dict[str, str]], entries: Iterable[Entry]
) -> Iterator[bytes]:
    """An index of lists of one capability, chunk by chunk."""
    return _document("sitemapindex", "sitemap", md, links, entries)
