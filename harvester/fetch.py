"""Fetching OAI-PMH responses over HTTP, through every fault a real feed throws.

503 and 429 with Retry-After (seconds or an HTTP date), bursts of 500/502/504,
connection resets and read timeouts are retried on the same request with capped
exponential backoff and jitter, a bounded number of times.  A body that is not a
complete OAI-PMH document (an HTML error page with status 200, a truncated body)
is retried too, never taken for the end of a list.  A gzip body sent without
Content-Encoding is decompressed.  Garbage after the root element is cut off and
reported.

A redirect is followed only where it stays with the partner: the same scheme, host
and port, or an upgrade to https on the same host.  Anywhere else (another host, a
port of this machine) the harvest stops and says where the partner claims to have
moved, for the admin to confirm; every connection is held to the addresses the
admin allows (``harvester.reach``).

Whatever a partner sends is bounded (``Limits``): the bytes of one response on the
wire, the bytes it inflates to, and the time it may take to arrive as a whole (a
partner that drips a byte a second is given up on at the deadline, not after each
read).  A response over a bound is a transient failure: retried, then the harvest
fails with the reason and its checkpoint kept.
"""

from __future__ import annotations

import random
import re
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import requests
import urllib3

from harvester.excerpts import excerpt
from harvester.reach import OutOfReach, Reach, ReachAdapter
from protocol.failures import in_words

USER_AGENT = "Navette OAI-PMH harvester (+https://navette.example.org)"
RETRY_STATUSES = {429, 500, 502, 503, 504}
CHUNK = 256 * 1024
MAX_REDIRECTS = 5
_DEFAULT_PORTS = {"http": 80, "https": 443}
_ROOT_END = re.compile(rb"</(?:[A-Za-z_][\w.-]{0,63}:)?OAI-PMH\s*>")
_ROOT_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?OAI-PMH[\s>]")


class HarvestFailed(RuntimeError):
    """The partner could not be harvested; the message says why (checkpoint kept)."""


class Refused(HarvestFailed):
    """The partner leads where the harvester does not go: the run ends, nothing is assumed."""


class NotThere(HarvestFailed):
    """The URL answered 404 or 410: what it named is not (or no longer) there."""

    def __init__(self, url: str, status: int) -> None:
        super().__init__(f"{url}: HTTP {status}")
        self.status = status


class _Transient(Exception):
    def __init__(self, reason: str, wait: float | None = None) -> None:
        super().__init__(reason)
        self.wait = wait


@dataclass
class RetryPolicy:
    attempts: int = 6
    base: float = 1.0
    cap: float = 120.0
    connect_timeout: float = 10.0
    read_timeout: float = 120.0


MIB = 1024 * 1024


@dataclass
class Limits:
    """What one response may cost; each a setting (see navette.config)."""

    #: Bytes of one response as received (NAVETTE_HARVEST_MAX_PAGE_MB).
    max_page_bytes: int = 64 * MIB
    #: Bytes one response may inflate to from gzip or deflate (NAVETTE_HARVEST_MAX_INFLATED_MB).
    max_inflated_bytes: int = 64 * MIB
    #: Seconds one response may take from request to last byte (NAVETTE_HARVEST_PAGE_DEADLINE).
    page_deadline: float = 300.0


@dataclass
class Fetched:
    url: str
    body: bytes
    warnings: list[str] = field(default_factory=list)


def retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max(0.0, (moment - (now or datetime.now(UTC))).total_seconds())


def inflate(body: bytes, wbits: int, limit: int, what: str) -> bytes:
    """``body`` inflated, refusing to produce more than ``limit`` bytes (a zip bomb)."""
    parts, size = [], 0
    while True:
        # A gzip body may hold several members (RFC 1952, 2.2): each is inflated in turn.
        inflater = zlib.decompressobj(wbits)
        try:
            part = inflater.decompress(body, limit - size + 1)
        except zlib.error as error:
            raise _Transient(f"corrupt {what} body: {error}") from error
        size += len(part)
        if size > limit:
            raise _Transient(
                f"the {what} body inflates to more than {limit} bytes "
                "(NAVETTE_HARVEST_MAX_INFLATED_MB)"
            )
        if not inflater.eof:
            raise _Transient(f"corrupt {what} body: it ends before its compressed stream does")
        parts.append(part)
        body = inflater.unused_data
        if wbits < 16 or not body.strip(b"\0"):
            return b"".join(parts)


def _decompress(body: bytes, limit: int) -> tuple[bytes, list[str]]:
    if body[:2] == b"\x1f\x8b":
        return inflate(body, 16 + zlib.MAX_WBITS, limit, "gzip"), [
            "gzip body without Content-Encoding"
        ]
    if body[:1] == b"\x78":
        try:
            return inflate(body, zlib.MAX_WBITS, limit, "deflate"), [
                "deflate body without Content-Encoding"
            ]
        except _Transient:
            pass
    return body, []


def decode(body: bytes, encoding: str, limit: int) -> bytes:
    """The body as sent before its Content-Encoding, within ``limit`` bytes."""
    encoding = encoding.strip().lower()
    if encoding in ("gzip", "x-gzip"):
        return inflate(body, 16 + zlib.MAX_WBITS, limit, "gzip")
    if encoding == "deflate":
        # RFC 9110 means zlib-wrapped; some servers send raw deflate.
        try:
            return inflate(body, zlib.MAX_WBITS, limit, "deflate")
        except _Transient:
            return inflate(body, -zlib.MAX_WBITS, limit, "deflate")
    return body


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    try:
        port = parts.port or _DEFAULT_PORTS.get(parts.scheme)
    except ValueError:
        port = None
    return parts.scheme.lower(), (parts.hostname or "").lower(), port


def moved_to(current: str, location: str) -> str:
    """Where a redirect from ``current`` leads, if the harvester may follow it there.

    A partner's redirect is followed only where it stays with the partner: the same
    scheme, host and port, or https on the same host.  Anywhere else the harvest
    stops: a partner (or whoever answers in its name) must not send the harvester to
    another machine, or to another service of its own.
    """
    target = urljoin(current, location.strip())
    scheme, host, port = _origin(current)
    new_scheme, new_host, new_port = _origin(target)
    upgrade = scheme == "http" and new_scheme == "https" and new_port in (port, 443)
    if new_host == host and host and ((new_scheme, new_port) == (scheme, port) or upgrade):
        return target
    raise Refused(
        f"the partner says it moved to “{excerpt(target, 200)}”: Navette follows a redirect "
        "only to the same host and port (or to https on the same host), so the harvest "
        "stopped; if the new address is right, give the source that URL"
    )


def _root_end(body: bytes) -> int | None:
    """Where the last closing root tag ends, searched from the end of the body.

    Each candidate is checked within the few bytes a closing tag can span, so trailing
    text full of "OAI-PMH" costs time in proportion to its length, not its square.
    """
    position = len(body)
    while (position := body.rfind(b"OAI-PMH", 0, position)) >= 0:
        opening = body.rfind(b"</", max(0, position - 66), position)
        tag = _ROOT_END.match(body, opening) if opening >= 0 else None
        if tag is not None and tag.start() <= position < tag.end():
            return tag.end()
    return None


def complete_document(
    body: bytes, limit: int = Limits.max_inflated_bytes
) -> tuple[bytes, list[str]]:
    """The body if it is a whole OAI-PMH document, cut after its root; else _Transient."""
    body, warnings = _decompress(body, limit)
    if not _ROOT_START.search(body[:4096]):
        raise _Transient(f"not an OAI-PMH response (it starts “{excerpt(body)}”)")
    end = _root_end(body)
    if end is None:
        raise _Transient("truncated response: the OAI-PMH root element never closes")
    if body[end:].strip():
        warnings.append(f"{len(body) - end} bytes of garbage after the root element ignored")
        body = body[:end]
    return body, warnings


class Fetcher:
    """GETs with retries; ``sleep`` and ``jitter`` are injectable so tests need not wait."""

    def __init__(
        self,
        policy: RetryPolicy | None = None,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        jitter: Callable[[], float] = random.random,
        limits: Limits | None = None,
        reach: Reach | None = None,
    ) -> None:
        self.policy = policy or RetryPolicy()
        self.limits = limits or Limits()
        self.reach = reach or Reach()
        self.session = session or requests.Session()
        adapter = ReachAdapter(self.reach)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers.update({"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"})
        self.sleep = sleep
        self.jitter = jitter
        self.retries = 0

    def _backoff(self, attempt: int) -> float:
        ceiling = min(self.policy.cap, self.policy.base * 2**attempt)
        return ceiling / 2 + self.jitter() * ceiling / 2

    def _once(self, url: str, params: dict[str, str], oai: bool = True) -> Fetched:
        deadline = time.monotonic() + self.limits.page_deadline
        try:
            response = self._follow(url, params, deadline)
            with response:
                if response.status_code in RETRY_STATUSES:
                    wait = retry_after(response.headers.get("Retry-After"))
                    raise _Transient(f"HTTP {response.status_code}", wait)
                if response.status_code in (404, 410):
                    raise NotThere(response.url, response.status_code)
                if response.status_code != 200:
                    raise HarvestFailed(f"{response.url}: HTTP {response.status_code}")
                body = self._read(response, deadline)
        except OutOfReach as error:
            raise Refused(str(error)) from error
        except (
            requests.ConnectionError,
            requests.Timeout,
            requests.exceptions.ChunkedEncodingError,
        ) as error:
            raise _Transient(in_words(error, url)) from error
        except (urllib3.exceptions.HTTPError, OSError) as error:
            if time.monotonic() >= deadline:
                raise _Transient(self._late()) from error
            raise _Transient(in_words(error, url)) from error
        limit = self.limits.max_inflated_bytes
        body = decode(body, response.headers.get("Content-Encoding", ""), limit)
        body, warnings = complete_document(body, limit) if oai else _decompress(body, limit)
        return Fetched(response.url, body, warnings)

    def _follow(self, url: str, params: dict[str, str] | None, deadline: float):
        """The response at ``url``, through the redirects that stay with the partner."""
        for _ in range(MAX_REDIRECTS + 1):
            response = self.session.get(
                url,
                params=params,
                stream=True,
                allow_redirects=False,
                timeout=(self.policy.connect_timeout, self._read_timeout(deadline)),
            )
            if not response.is_redirect:
                return response
            response.close()
            url, params = moved_to(response.url, response.headers["Location"]), None
        raise HarvestFailed(f"{url}: more than {MAX_REDIRECTS} redirects in a row")

    def _read_timeout(self, deadline: float) -> float:
        left = deadline - time.monotonic()
        if left <= 0:
            raise _Transient(self._late())
        return min(self.policy.read_timeout, left)

    def _late(self) -> str:
        return (
            f"the response took more than {self.limits.page_deadline:g} s to arrive "
            "(NAVETTE_HARVEST_PAGE_DEADLINE)"
        )

    def _read(self, response: requests.Response, deadline: float) -> bytes:
        """The raw body, read as it comes, within the size and time bounds."""
        limit = self.limits.max_page_bytes
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            raise _Transient(
                f"the response announces {declared} bytes, more than the {limit} allowed "
                "(NAVETTE_HARVEST_MAX_PAGE_MB)"
            )
        raw = response.raw
        sock = getattr(getattr(raw, "_connection", None), "sock", None)
        chunks, received = [], 0
        while True:
            if sock is not None:
                # Each read waits no longer than the page has left, not a whole read timeout.
                sock.settimeout(self._read_timeout(deadline))
            else:
                self._read_timeout(deadline)
            chunk = raw.read1(CHUNK, decode_content=False)
            if not chunk:
                return b"".join(chunks)
            received += len(chunk)
            if received > limit:
                raise _Transient(
                    f"the response is larger than the {limit} bytes allowed "
                    "(NAVETTE_HARVEST_MAX_PAGE_MB)"
                )
            chunks.append(chunk)

    def get(self, url: str, params: dict[str, str], oai: bool = True) -> Fetched:
        """The response body, or HarvestFailed after the last retry.  With ``oai``, only
        a whole OAI-PMH document is a response (anything else is tried again); without,
        any body (a ResourceSync list or resource), inflated and bounded all the same."""
        last = ""
        for attempt in range(self.policy.attempts):
            try:
                return self._once(url, params, oai)
            except _Transient as problem:
                last = str(problem)
                if attempt + 1 == self.policy.attempts:
                    break
                wait = problem.wait if problem.wait is not None else self._backoff(attempt)
                self.retries += 1
                self.sleep(min(wait, self.policy.cap))
        raise HarvestFailed(f"{url} failed {self.policy.attempts} times; last: {last}")
