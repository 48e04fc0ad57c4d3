"""Fetching OAI-PMH responses over HTTP, through every fault a real feed throws.

503 and 429 with Retry-After (seconds or an HTTP date), bursts of 500/502/504,
connection resets and read timeouts are retried on the same request with capped
exponential backoff and jitter, a bounded number of times.  A body that is not a
complete OAI-PMH document (an HTML error page with status 200, a truncated body)
is retried too, never taken for the end of a list.  A gzip body sent without
Content-Encoding is decompressed.  Garbage after the root element is cut off and
reported.
"""

from __future__ import annotations

import gzip
import random
import re
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import requests

USER_AGENT = "Navette OAI-PMH harvester (+https://navette.example.org)"
RETRY_STATUSES = {429, 500, 502, 503, 504}
_ROOT_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?OAI-PMH\s*>")
_ROOT_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?OAI-PMH[\s>]")


class HarvestFailed(RuntimeError):
    """The partner could not be harvested; the message says why (checkpoint kept)."""


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


def _decompress(body: bytes) -> tuple[bytes, list[str]]:
    if body[:2] == b"\x1f\x8b":
        try:
            return gzip.decompress(body), ["gzip body without Content-Encoding"]
        except (OSError, EOFError) as error:
            raise _Transient(f"corrupt gzip body: {error}") from error
    if body[:1] == b"\x78":
        try:
            return zlib.decompress(body), ["deflate body without Content-Encoding"]
        except zlib.error:
            pass
    return body, []


def _root_end(body: bytes) -> int | None:
    """Where the last closing root tag ends, searched from the end of the body."""
    position = len(body)
    while (position := body.rfind(b"OAI-PMH", 0, position)) >= 0:
        tag = _ROOT_END.match(body, body.rfind(b"</", 0, position))
        if tag is not None and tag.start() <= position < tag.end():
            return tag.end()
    return None


def complete_document(body: bytes) -> tuple[bytes, list[str]]:
    """The body if it is a whole OAI-PMH document, cut after its root; else _Transient."""
    body, warnings = _decompress(body)
    if not _ROOT_START.search(body[:4096]):
        snippet = body[:80].decode("utf-8", "replace").strip()
        raise _Transient(f"not an OAI-PMH response (it starts {snippet!r})")
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
    ) -> None:
        self.policy = policy or RetryPolicy()
        self.session = session or requests.Session()
        self.session.headers.update({"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"})
        self.sleep = sleep
        self.jitter = jitter
        self.retries = 0

    def _backoff(self, attempt: int) -> float:
        ceiling = min(self.policy.cap, self.policy.base * 2**attempt)
        return ceiling / 2 + self.jitter() * ceiling / 2

    def _once(self, url: str, params: dict[str, str]) -> Fetched:
        try:
            response = self.session.get(
                url,
                params=params,
                timeout=(self.policy.connect_timeout, self.policy.read_timeout),
            )
            body = response.content
        except (requests.ConnectionError, requests.Timeout) as error:
            raise _Transient(f"{type(error).__name__}: {error}") from error
        except requests.exceptions.ChunkedEncodingError as error:
            raise _Transient(f"connection broken mid-body: {error}") from error
        except requests.exceptions.ContentDecodingError as error:
            raise _Transient(f"undecodable body: {error}") from error
        if response.status_code in RETRY_STATUSES:
            wait = retry_after(response.headers.get("Retry-After"))
            raise _Transient(f"HTTP {response.status_code}", wait)
        if response.status_code != 200:
            raise HarvestFailed(f"{response.url}: HTTP {response.status_code}")
        body, warnings = complete_document(body)
        return Fetched(response.url, body, warnings)

    def get(self, url: str, params: dict[str, str]) -> Fetched:
        """The response body, or HarvestFailed after the last retry."""
        last = ""
        for attempt in range(self.policy.attempts):
            try:
                return self._once(url, params)
            except _Transient as problem:
                last = str(problem)
                if attempt + 1 == self.policy.attempts:
                    break
                wait = problem.wait if problem.wait is not None else self._backoff(attempt)
                self.retries += 1
                self.sleep(min(wait, self.policy.cap))
        raise HarvestFailed(f"{url} failed {self.policy.attempts} times; last: {last}")
