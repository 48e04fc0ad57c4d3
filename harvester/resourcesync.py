"""A ResourceSync source (ANSI/NISO Z39.99-2017) read as the harvest reads an OAI-PMH
partner: its Capability List says where its lists are, and its resources come in pages
of records, resumable by a token, into the same run (validation, quarantine, the
deletion guard, checkpoints) as OAI-PMH's.

A first harvest reads the Resource List (its index and every list it names) and fetches
each resource; a later one reads the Change List from the harvest's last moment on:
created and updated resources are fetched, deleted ones are deletions.  A resource's
identifier is its URI; its datestamp, the change's ``rs:md datetime`` or its ``lastmod``.
A resource whose bytes do not match the hash or length the list gives, that is gone, or
that is not XML is quarantined with the reason; the other records of the page go in.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass, replace
from urllib.parse import urljoin

from lxml import etree
from lxml.builder import ElementMaker

from harvester.fetch import Fetcher, HarvestFailed, NotThere
from harvester.pages import Page, RawRecord, read_record
from harvester.partner import Choice, Identity
from mappings.safexml import UnsafeXML, parse
from protocol import dates
from protocol.namespaces import OAI, RESOURCESYNC, SITEMAPS

S, RS = f"{{{SITEMAPS}}}", f"{{{RESOURCESYNC}}}"
OAI_E = ElementMaker(namespace=OAI, nsmap={None: OAI})
#: Resources fetched and handed on as one page of the run.
PER_PAGE = 100
PROTOCOL = "resourcesync"


@dataclass(frozen=True)
class Listed:
    """One ``<url>`` of a Resource or Change List."""

    loc: str
    moment: str | None
    change: str | None
    md: dict[str, str]


def _md(element: etree._Element) -> dict[str, str]:
    found = element.find(f"{RS}md")
    return dict(found.attrib) if found is not None else {}


def _listed(url: etree._Element) -> Listed:
    md = _md(url)
    moment = md.get("datetime") or (url.findtext(f"{S}lastmod") or "").strip() or None
    return Listed((url.findtext(f"{S}loc") or "").strip(), moment, md.get("change"), md)


class ResourceSyncPartner:
    """The harvest's partner for a source whose URL is a ResourceSync Capability List."""

    def __init__(self, fetcher: Fetcher, base_url: str) -> None:
        self.fetcher = fetcher
        self.base_url = base_url
        self._capabilities: dict[str, str] | None = None
        self._lock = threading.Lock()
        #: The last list read, as (URL, its entries): a list is read once, not per page.
        self._list: tuple[str, list[Listed]] | None = None
        #: The lists of each (capability, since) a run reads.
        self._plans: dict[tuple[str, str | None], list[str]] = {}

    def _document(self, url: str) -> etree._Element:
        fetched = self.fetcher.get(url, {}, oai=False)
        try:
            return parse(fetched.body)
        except (etree.XMLSyntaxError, UnsafeXML) as error:
            raise HarvestFailed(
                f"{url} is not a readable ResourceSync document: {error}"
            ) from error

    def capabilities(self) -> dict[str, str]:
        """Each capability the Capability List offers -> its URL."""
        if self._capabilities is None:
            root = self._document(self.base_url)
            if root.tag != f"{S}urlset" or _md(root).get("capability") != "capabilitylist":
                raise HarvestFailed(
                    f"{self.base_url} is not a ResourceSync Capability List: give the URL of "
                    "one (a source's /.well-known/resourcesync names them)"
                )
            self._capabilities = {
                _md(url).get("capability", ""): urljoin(
                    self.base_url, (url.findtext(f"{S}loc") or "").strip()
                )
                for url in root.iter(f"{S}url")
            }
        return self._capabilities

    def identify(self) -> Identity:
        """ResourceSync has no Identify: the Capability List answering is the check, and
        the run's window ends at the newest change it receives."""
        self.capabilities()
        return Identity(None, dates.SECONDS, "", "persistent")

    def choose_prefix(self, wanted: list[str]) -> Choice:
        """Each resource says its own format (its root element); the prefix only names
        the run's list."""
        return Choice(wanted[0] if wanted else PROTOCOL)

    def _lists(self, capability: str, since: str | None = None) -> list[str]:
        """The lists of one capability: the index's lists, or the list itself.  Of a
        Change List Index, the lists whose period ended before ``since`` are left unread."""
        url = self.capabilities().get(capability)
        if url is None:
            raise HarvestFailed(f"{self.base_url} offers no {capability}")
        root = self._document(url)
        if root.tag == f"{S}sitemapindex":
            start = _moment(since)
            return [
                urljoin(url, (entry.findtext(f"{S}loc") or "").strip())
                for entry in root.iter(f"{S}sitemap")
                if start is None or not _ended_before(_md(entry).get("until"), start)
            ]
        with self._lock:
            self._list = (url, [_listed(entry) for entry in root.iter(f"{S}url")])
        return [url]

    def _entries(self, url: str) -> list[Listed]:
        with self._lock:
            if self._list is not None and self._list[0] == url:
                return self._list[1]
        entries = [_listed(entry) for entry in self._document(url).iter(f"{S}url")]
        with self._lock:
            self._list = (url, entries)
        return entries

    def _plan(self, capability: str, since: str | None) -> list[str]:
        """The lists a run reads, asked of the source once per run (the index is not
        read again for every page)."""
        key = (capability, since)
        with self._lock:
            known = self._plans.get(key)
        if known is None:
            known = self._lists(capability, since)
            with self._lock:
                self._plans[key] = known
        return known

    def page(self, params: dict[str, str]) -> tuple[Page, str]:
        """The next ``PER_PAGE`` resources, fetched, as a page of records.

        The token says where the run stands (which capability, since when, which list,
        how far into it) and names the lists by a digest, not by their URLs, so that it
        stays small however many lists there are.  A run resumed after its lists changed
        (the digest differs) starts them over: records read twice are unchanged, none
        is skipped."""
        token = params.get("resumptionToken")
        if token:
            position = json.loads(token)
        else:
            since = params.get("from")
            capability = "changelist" if since else "resourcelist"
            position = {"capability": capability, "since": since, "list": 0, "at": 0}
        lists = self._plan(position["capability"], position["since"])
        if position.get("plan") not in (None, _digest(lists)):
            position.update(list=0, at=0)
        position["plan"] = _digest(lists)
        number, at = position["list"], position["at"]
        page = Page(response_date=None)
        if number >= len(lists):
            return page, self.base_url
        url = lists[number]
        entries = self._entries(url)
        since = _moment(position["since"])
        for listed in entries[at : at + PER_PAGE]:
            if since is not None and (_moment(listed.moment) or since) < since:
                continue
            page.records.append(self._record(listed))
        at += PER_PAGE
        if at >= len(entries):
            number, at = number + 1, 0
        if number < len(lists):
            page.token = json.dumps({**position, "list": number, "at": at}, separators=(",", ":"))
        return page, url

    def _record(self, listed: Listed) -> RawRecord:
        """The resource as an OAI-PMH record (its URI the identifier, its moment the
        datestamp): the form in which the run's mapping workers receive every record."""
        deleted = listed.change == "deleted"
        problem = None
        if not listed.loc:
            problem = "a list entry has no <loc>: it names no resource"
        elif not listed.moment:
            problem = f"{listed.loc} has neither lastmod nor rs:md datetime in its list"
        if problem or deleted:
            return _problem(listed, problem) if problem else _as_record(listed, None)
        try:
            body = self.fetcher.get(listed.loc, {}, oai=False).body
        except NotThere as error:
            if error.status == 410 and listed.change is not None:
                return _as_record(replace(listed, change="deleted"), None)
            return _problem(listed, f"the list names {error}")
        problem = _mismatch(listed, body)
        if problem is not None:
            return _problem(listed, problem, body)
        try:
            return _as_record(listed, parse(body))
        except (etree.XMLSyntaxError, UnsafeXML) as error:
            return _problem(listed, f"{listed.loc} is not readable XML: {error}", body)


def _as_record(listed: Listed, metadata: etree._Element | None) -> RawRecord:
    header = OAI_E.header(OAI_E.identifier(listed.loc), OAI_E.datestamp(listed.moment))
    if metadata is None:
        header.set("status", "deleted")
        return read_record(OAI_E.record(header))
    return read_record(OAI_E.record(header, OAI_E.metadata(metadata)))


def _problem(listed: Listed, problem: str, body: bytes = b"") -> RawRecord:
    text = body.decode("utf-8", errors="replace")
    return RawRecord(listed.loc or None, listed.moment, False, None, None, problem, text)


def _mismatch(listed: Listed, body: bytes) -> str | None:
    """Why the bytes are not the resource the list describes, if they are not."""
    length = listed.md.get("length")
    if length is not None and length.isdigit() and int(length) != len(body):
        return f"{listed.loc} is {len(body)} bytes long, its list says {length}"
    for stated in (listed.md.get("hash") or "").split():
        kind, _, value = stated.partition(":")
        if kind == "sha-256" and hashlib.sha256(body).hexdigest() != value.lower():
            return f"{listed.loc} does not match the sha-256 its list gives"
        if kind == "md5" and hashlib.md5(body, usedforsecurity=False).hexdigest() != value.lower():
            return f"{listed.loc} does not match the md5 its list gives"
    return None


def _digest(lists: list[str]) -> str:
    return hashlib.sha256("\n".join(lists).encode("utf-8")).hexdigest()[:16]


def _ended_before(until: str | None, start) -> bool:
    """Whether a list's period (its ``until``) closed before ``start``."""
    end = _moment(until)
    return end is not None and end < start


def _moment(text: str | None):
    if not text:
        return None
    try:
        return dates.parse_lenient(text)
    except dates.BadDatestamp:
        return None
