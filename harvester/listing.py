"""Walking one OAI-PMH list through its resumption tokens: the only place that does.

The harvest, ``--reconcile`` and the ``check`` command all read lists page by page
here, so that whatever makes a list endless is caught once: a token seen before,
pages that bring no identifier not already seen, far more items than the list
announced, a cursor going backwards, or page after page with no records.  The
cursor is optional in OAI-PMH (section 3.5): one that stays put while the tokens
change is a partner's quirk, not a loop; the tokens themselves prove progress.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future
from dataclasses import dataclass

from harvester.fetch import HarvestFailed
from harvester.pages import Page
from protocol.errors import NoRecordsMatch, OAIError, said

#: Pages in a row with a token but no record, before a list counts as endless.
EMPTY_PAGE_LIMIT = 50
#: Pages in a row that bring no identifier not already seen in the list.
NO_PROGRESS_LIMIT = 10
#: Items past the announced completeListSize (times, plus a margin) that end a list.
OVERRUN_FACTOR = 2
OVERRUN_MARGIN = 100

Fetch = Callable[[dict[str, str]], tuple[Page, str]]


class ListError(HarvestFailed):
    """The partner answered a list request with OAI-PMH errors."""

    def __init__(self, base_url: str, errors: list[OAIError], token: str | None) -> None:
        super().__init__(f"{base_url} answered {said(errors)}")
        self.errors = errors
        self.token = token

    def says(self, kind: type[OAIError]) -> bool:
        """Whether one of the partner's errors is of this kind."""
        return any(isinstance(error, kind) for error in self.errors)


class EndlessList(HarvestFailed):
    """The list would never end; the message says what gave it away."""


@dataclass
class Listed:
    """One page of a list, with the token that asks for the page after it (None: the end)."""

    page: Page
    url: str
    next_token: str | None


class SeenIdentifiers:
    """Which identifiers a list has already brought, in a fixed 8 MiB whatever its length.

    A Bloom filter: a false "seen" is rare (about 4 % of identifiers at ten million)
    and a loop is only declared after many pages in a row made of nothing else.
    """

    BITS = 1 << 26
    PROBES = 4

    def __init__(self) -> None:
        self.bits = bytearray(self.BITS // 8)

    def add(self, identifier: str) -> bool:
        """Remember the identifier; True if it had not been seen before."""
        value = hash(identifier) & 0xFFFFFFFFFFFFFFFF
        first, step = value & 0xFFFFFFFF, (value >> 32) | 1
        new = False
        for probe in range(self.PROBES):
            bit = (first + probe * step) % self.BITS
            byte, mask = bit >> 3, 1 << (bit & 7)
            if not self.bits[byte] & mask:
                self.bits[byte] |= mask
                new = True
        return new


class ProgressGuard:
    """Watches a list page by page and says why it would never end, if it would."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.tokens: set[str] = set()
        self.last_cursor: int | None = None
        self.empty_pages = 0
        self.stale_pages = 0
        self.items = 0
        self.seen = SeenIdentifiers()

    def problem(self, page: Page, token: str | None) -> str | None:
        """Why the list that ``page`` continues would never end; None while it progresses."""
        items = page.records or page.headers
        self.items += len(items)
        new = sum(self.seen.add(item.identifier) for item in items if item.identifier)
        self.empty_pages = 0 if items else self.empty_pages + 1
        self.stale_pages = self.stale_pages + 1 if items and not new else 0
        if page.token is None:
            return None
        if page.token == token or page.token in self.tokens:
            return f"{self.base_url} repeated a resumption token: the list would never end"
        self.tokens.add(page.token)
        if page.cursor is not None:
            if self.last_cursor is not None and page.cursor < self.last_cursor:
                return (
                    f"{self.base_url}: the resumption cursor goes backwards "
                    f"(from {self.last_cursor} to {page.cursor}): the list would never end"
                )
            self.last_cursor = page.cursor
        size = page.complete_list_size
        if size is not None and self.items > OVERRUN_FACTOR * size + OVERRUN_MARGIN:
            return (
                f"{self.base_url}: the list goes on far past its completeListSize "
                f"({self.items} items received, {size} announced)"
            )
        if self.empty_pages > EMPTY_PAGE_LIMIT:
            return f"{self.base_url}: {self.empty_pages} pages in a row without records"
        if self.stale_pages >= NO_PROGRESS_LIMIT:
            return (
                f"{self.base_url}: the same identifiers come round again: {self.stale_pages} "
                "pages in a row brought none not already seen; the list would never end"
            )
        return None


def resume(verb: str, token: str) -> dict[str, str]:
    return {"verb": verb, "resumptionToken": token}


def walk(
    fetch: Fetch,
    base_url: str,
    first: dict[str, str],
    token: str | None = None,
    prefetch: Executor | None = None,
    before_wait: Callable[[Future], None] | None = None,
) -> Iterator[Listed]:
    """The pages of the list that ``first`` asks for, resumed at ``token`` if given.

    With ``prefetch``, the next page is fetched while the caller works on this one;
    ``before_wait`` is given that fetch when it has not arrived yet, so that work held
    back for overlap (a page to store) need not wait on the network.  An
    empty list (noRecordsMatch) yields nothing; other errors raise ListError; a list
    that would never end yields its last page, then raises EndlessList.
    """
    verb = first["verb"]
    guard = ProgressGuard(base_url)
    ahead: Future | None = None
    while True:
        if ahead is not None:
            if not ahead.done() and before_wait is not None:
                before_wait(ahead)
            page, url = ahead.result()
        else:
            page, url = fetch(resume(verb, token) if token else first)
        ahead = None
        if page.errors:
            if all(isinstance(error, NoRecordsMatch) for error in page.errors):
                return
            raise ListError(base_url, page.errors, token)
        problem = guard.problem(page, token)
        if problem is not None:
            yield Listed(page, url, None)
            raise EndlessList(problem)
        if page.token is not None and prefetch is not None:
            ahead = prefetch.submit(fetch, resume(verb, page.token))
        yield Listed(page, url, page.token)
        if page.token is None:
            return
        token = page.token
