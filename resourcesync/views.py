"""The ResourceSync source: the catalogue's renderings as resources a destination copies
in bulk and then keeps in step, beside OAI-PMH and with the same changes.

    /.well-known/resourcesync                     Source Description
    /resourcesync/<format>/capabilitylist.xml     one Capability List per format
    /resourcesync/<format>/resourcelist.xml       Resource List Index -> pages by record id
    /resourcesync/<format>/changelist.xml         Change List Index -> pages by datestamp
    /resourcesync/<format>/records/<identifier>   the resource: the record's rendering
    /resourcesync/<format>/resourcedump.xml       Resource Dump -> one ZIP and its manifest

A resource's bytes are the rendering OAI-PMH serves inside ``<metadata>``; its
``lastmod`` is the record's datestamp, so a change appears in both protocols at once.
"""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from urllib.parse import quote

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    request,
    send_file,
    stream_with_context,
    url_for,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.tables import RecordRow, Rendering
from protocol.dates import format_datestamp, utc_now
from resourcesync import dumps, listing
from resourcesync.documents import Entry, media_type, sitemapindex, urlset

blueprint = Blueprint("resourcesync", __name__)

#: URLs a list page holds: the sitemaps.org ceiling is 50,000.
PER_PAGE = 10_000
SITEMAP = "application/xml; charset=utf-8"
#: The end of the last Change List page: it runs on to the latest change.
OPEN = "now"


def _sessions():
    return current_app.extensions["navette.sessions"]


def _settings():
    return current_app.extensions["navette.settings"]


def _url(endpoint: str, **values) -> str:
    """Absolute, on the public site where one is configured, as the sitemap's are."""
    site = _settings().publication(fallback_site=request.host_url).site_url or ""
    return site + url_for(endpoint, **values)


def _formats() -> list[str]:
    return _settings().served_formats()


def _served(prefix: str) -> None:
    if prefix not in _formats():
        abort(404)


def _streamed(chunks: Callable[[Session], Iterator[bytes]]) -> Response:
    """A list written as it is read, in a session that lives as long as the response."""

    def generate() -> Iterator[bytes]:
        with _sessions()() as session:
            yield from chunks(session)

    return Response(stream_with_context(generate()), content_type=SITEMAP)


def _whole(document: Iterable[bytes]) -> Response:
    return Response(b"".join(document), content_type=SITEMAP)


def _now() -> str:
    return format_datestamp(utc_now())


def resource_namer(prefix: str) -> Callable[[str], str]:
    """Each resource's URL in ``prefix``, its identifier escaped whole (as a landing
    page's is): built once per list, since ``url_for`` per resource was most of a list's
    cost."""
    base = _url("resourcesync.resource", prefix=prefix, identifier="-")[:-1]
    return lambda identifier: base + quote(identifier, safe="")


def _resource(url: str, prefix: str, xml: str, lastmod: str, md: dict) -> Entry:
    body = xml.encode("utf-8")
    described = {
        **md,
        "hash": f"sha-256:{hashlib.sha256(body).hexdigest()}",
        "length": str(len(body)),
        "type": media_type(prefix),
    }
    return Entry(url, lastmod, described)


@blueprint.get("/.well-known/resourcesync")
def source_description():
    up = {"rel": "describedby", "href": _url("oai.endpoint", verb="Identify")}
    entries = [
        Entry(
            _url("resourcesync.capability_list", prefix=prefix),
            md={"capability": "capabilitylist"},
        )
        for prefix in _formats()
    ]
    return _whole(urlset({"capability": "description"}, [up], entries))


@blueprint.get("/resourcesync/<prefix>/capabilitylist.xml")
def capability_list(prefix: str):
    _served(prefix)
    links = [{"rel": "up", "href": _url("resourcesync.source_description")}]
    offered = [("resource_list_index", "resourcelist"), ("change_list_index", "changelist")]
    if dumps.read_dump(_dump_folder(), prefix) is not None:
        offered.append(("resource_dump", "resourcedump"))
    entries = [
        Entry(_url(f"resourcesync.{name}", prefix=prefix), md={"capability": capability})
        for name, capability in offered
    ]
    return _whole(urlset({"capability": "capabilitylist"}, links, entries))


def _list_links(prefix: str, index: str | None = None) -> list[dict[str, str]]:
    links = [{"rel": "up", "href": _url("resourcesync.capability_list", prefix=prefix)}]
    if index is not None:
        links.append({"rel": "index", "href": _url(f"resourcesync.{index}_index", prefix=prefix)})
    return links


@blueprint.get("/resourcesync/<prefix>/resourcelist.xml")
def resource_list_index(prefix: str):
    _served(prefix)
    at = _now()
    with _sessions()() as session:
        pages = listing.resource_pages(session, prefix, PER_PAGE)
    md = {"capability": "resourcelist", "at": at}
    if not pages:
        # ResourceSync allows a list with no resources; sitemaps.org's schema does not.
        return _whole(urlset(md, _list_links(prefix), ()))
    entries = [
        Entry(
            _url("resourcesync.resource_list", prefix=prefix, first=first, last=last),
            md={"capability": "resourcelist", "at": at},
        )
        for first, last in pages
    ]
    return _whole(
        sitemapindex({"capability": "resourcelist", "at": at}, _list_links(prefix), entries)
    )


@blueprint.get("/resourcesync/<prefix>/resourcelist/<int:first>-<int:last>.xml")
def resource_list(prefix: str, first: int, last: int):
    _served(prefix)
    if last < first or last - first > 10 * PER_PAGE:
        abort(404)
    md = {"capability": "resourcelist", "at": _now()}

    named = resource_namer(prefix)

    def chunks(session: Session) -> Iterator[bytes]:
        entries = (
            _resource(named(identifier), prefix, xml, format_datestamp(datestamp), {})
            for identifier, datestamp, xml in listing.resources(session, prefix, first, last)
        )
        yield from urlset(md, _list_links(prefix, "resource_list"), entries)

    return _streamed(chunks)


@blueprint.get("/resourcesync/<prefix>/changelist.xml")
def change_list_index(prefix: str):
    """The Change List itself while every change fits one page (what the ``resync``
    client, which reads no Change List Index, needs), an index of pages beyond."""
    _served(prefix)
    with _sessions()() as session:
        starts = listing.change_pages(session, prefix, PER_PAGE)
    if len(starts) <= 1:
        return _change_page(prefix, starts[0] if starts else None, None, indexed=False)
    ends = [*starts[1:], None]
    entries = [
        Entry(
            _url(
                "resourcesync.change_list",
                prefix=prefix,
                start=listing.page_key(*start),
                end=listing.page_key(*end) if end else OPEN,
            ),
            md=_period(start, end),
        )
        for start, end in zip(starts, ends, strict=True)
    ]
    md = {"capability": "changelist", "from": format_datestamp(starts[0][0])}
    return _whole(sitemapindex(md, _list_links(prefix), entries))


def _period(first, last) -> dict[str, str]:
    """A Change List's ``rs:md``: from its first change, until the next page's (none
    for the last page, which runs on); from now for a catalogue that has none."""
    md = {"capability": "changelist", "from": format_datestamp(first[0]) if first else _now()}
    if last is not None:
        md["until"] = format_datestamp(last[0])
    return md


@blueprint.get("/resourcesync/<prefix>/changelist/<start>_<end>.xml")
def change_list(prefix: str, start: str, end: str):
    _served(prefix)
    first = listing.parse_page_key(start)
    last = None if end == OPEN else listing.parse_page_key(end)
    if first is None or (end != OPEN and last is None):
        abort(404)
    return _change_page(prefix, first, last, indexed=True)


def _change_page(prefix: str, first, last, indexed: bool) -> Response:
    links = _list_links(prefix, "change_list" if indexed else None)

    named = resource_namer(prefix)

    def chunks(session: Session) -> Iterator[bytes]:
        entries = _changes(session, named, prefix, first, last) if first is not None else ()
        yield from urlset(_period(first, last), links, entries)

    return _streamed(chunks)


def _changes(session, named, prefix: str, first, last) -> Iterator[Entry]:
    """Each change with ``rs:md datetime`` (ResourceSync 1.1: when the change happened,
    which destinations sync from) beside ``lastmod``: both the record's datestamp."""
    for change in listing.changes(session, prefix, first, last):
        lastmod = format_datestamp(change.datestamp)
        md = {"change": change.change, "datetime": lastmod}
        if change.xml is None:
            yield Entry(named(change.identifier), lastmod, md)
        else:
            yield _resource(named(change.identifier), prefix, change.xml, lastmod, md)


def _dump_folder() -> Path:
    return Path(_settings().dump_dir)


def _dump(prefix: str) -> dumps.Dump:
    _served(prefix)
    found = dumps.read_dump(_dump_folder(), prefix)
    if found is None:
        abort(404)
    return found


def dump_links(prefix: str) -> list[dict[str, str]]:
    """A Resource Dump Manifest's links: up to its format's Capability List."""
    return _list_links(prefix)


@blueprint.get("/resourcesync/<prefix>/resourcedump.xml")
def resource_dump(prefix: str):
    """The Resource Dump: its packages, each with its size and where its manifest is."""
    found = _dump(prefix)
    at = format_datestamp(found.at)
    packages = [
        Entry(
            _url("resourcesync.dump_package", prefix=prefix, number=number),
            md={"type": "application/zip", "length": str(path.stat().st_size), "at": at},
            links=(
                {
                    "rel": "contents",
                    "href": _url("resourcesync.dump_manifest", prefix=prefix, number=number),
                    "type": "application/xml",
                },
            ),
        )
        for number in range(1, len(found.packages) + 1)
        if (path := found.package(number)) is not None
    ]
    md = {"capability": "resourcedump", "at": at}
    return _whole(urlset(md, _list_links(prefix), packages))


def _package(prefix: str, number: int) -> Path:
    path = _dump(prefix).package(number)
    if path is None or not path.is_file():
        abort(404)
    return path


@blueprint.get("/resourcesync/<prefix>/resourcedump/<int:number>/manifest.xml")
def dump_manifest(prefix: str, number: int):
    # Opened before the answer starts: a dump made again meanwhile removes the last
    # one's files, and an open file outlives that.
    try:
        package = zipfile.ZipFile(_package(prefix, number))
    except (FileNotFoundError, zipfile.BadZipFile):
        abort(404)

    def chunks() -> Iterator[bytes]:
        with package, package.open(dumps.MANIFEST) as manifest:
            while block := manifest.read(1 << 16):
                yield block

    return Response(chunks(), content_type=SITEMAP)


@blueprint.get("/resourcesync/<prefix>/resourcedump/<int:number>.zip")
def dump_package(prefix: str, number: int):
    """A package itself, with its length, and in ranges for a download resumed."""
    try:
        return send_file(
            _package(prefix, number), mimetype="application/zip", conditional=True, max_age=0
        )
    except FileNotFoundError:
        abort(404)  # the dump was made again between the two looks


@blueprint.get("/resourcesync/<prefix>/records/<path:identifier>")
def resource(prefix: str, identifier: str):
    _served(prefix)
    if "\x00" in identifier:
        abort(404)
    with _sessions()() as session:
        found = session.execute(
            select(RecordRow.deleted, RecordRow.datestamp, Rendering.xml)
            .outerjoin(
                Rendering, (Rendering.record_id == RecordRow.id) & (Rendering.prefix == prefix)
            )
            .where(RecordRow.identifier == identifier)
        ).first()
    if found is None or (not found.deleted and found.xml is None):
        abort(404)
    if found.deleted:
        abort(410)
    response = Response(found.xml.encode("utf-8"), content_type=media_type(prefix))
    response.last_modified = found.datestamp
    return response
