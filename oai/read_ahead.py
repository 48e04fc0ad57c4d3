"""The next page of a list, read while the harvester is still receiving this one.

A harvester walks a list a page at a time and asks for the next page only once it
has read the token at the end of the last: the server is idle while a page travels
and is parsed, and the harvester waits while the server reads the next one.  Once a
page is sent, the page its token names is read on a thread of its own, so the two
overlap (docs/performance.md: a walk of EBUCore at 1,000 a page went from 0.65x to
0.93x of the bare Flask floor).

Pages are read ahead only for a harvester that follows tokens (a first page asked for
and left costs no second read).  A page read ahead is served only if nothing was
committed to the store since it was read (``catalogue.commits``), and its token is
checked again as it is answered; otherwise, or when the read failed or had not
begun, the page is read as it always was.  Only the last few pages read ahead are
kept, so memory stays bounded whatever the harvesters do.

It pays where the next request reaches the same process: one process answering every
request (``navette serve``), not several workers each answering a share
(NAVETTE_READ_AHEAD).
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from catalogue.commits import CommitWatch
from catalogue.database import read_once_more
from oai.arguments import OAIRequest
from oai.provider import Provider, ProviderConfig
from oai.tokens import Tokens
from protocol.dates import utc_now
from protocol.errors import OAIError

log = logging.getLogger(__name__)

#: Pages read ahead and not yet asked for, kept at most (each up to a page's size).
KEPT = 4


@dataclass(frozen=True)
class Page:
    """A list answer's body, the token it issues (None: the last page), and the mark
    of the store it was read from."""

    body: list[str | bytes]
    next_token: str | None
    mark: Hashable


#: Reads the page of (verb, token) in the session as a request for it would: the
#: answer's body and the token it issues; raises the protocol's error as it would.
Reader = Callable[[Session, str, str], tuple[list[str | bytes], str | None]]


def list_reader(config: ProviderConfig, tokens: Callable[[], Tokens]) -> Reader:
    """A resumed list page, read by the provider as the request for it would be (such
    a page depends on neither the endpoint's URL nor the clock)."""

    def read(session: Session, verb: str, token: str) -> tuple[list[str | bytes], str | None]:
        provider = Provider(config, tokens(), session, base_url="")
        request = OAIRequest(verb, {"resumptionToken": token})
        return list(provider.answer(request, utc_now())), provider.next_token

    return read


class ReadAhead:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        read: Reader,
        watch: CommitWatch,
        kept: int = KEPT,
    ) -> None:
        self._sessions = sessions
        self._read = read
        self._watch = watch
        self._kept = kept
        self._pages: OrderedDict[tuple[str, str], Future] = OrderedDict()
        self._lock = threading.Lock()
        self._executor: ThreadPoolExecutor | None = None
        #: Pages answered from what was read ahead, and pages read ahead in vain
        #: because the store changed after they were read.
        self.served = 0
        self.stale = 0

    def waiting(self) -> int:
        """Pages read ahead (or being read) and not asked for yet."""
        with self._lock:
            return len(self._pages)

    def settled(self) -> None:
        """Wait until every page being read ahead is read."""
        with self._lock:
            futures = list(self._pages.values())
        wait(futures)

    def start(self, verb: str, token: str, after: Page | None = None) -> None:
        """Read the page of ``token`` now; the oldest page not asked for makes room.

        ``after``: the page just answered from what was read ahead, whose token this is.
        Its mark, found current a moment ago and taken before this read begins, covers
        this read too: equal at the next ``take``, nothing was committed since either
        read began (one question to the database fewer a page)."""
        key = (verb, token)
        with self._lock:
            if key in self._pages:
                return
            while len(self._pages) >= self._kept:
                _, oldest = self._pages.popitem(last=False)
                oldest.cancel()
            if self._executor is None:
                self._executor = ThreadPoolExecutor(1, thread_name_prefix="read-ahead")
            mark = after.mark if after is not None else None
            self._pages[key] = self._executor.submit(self._safely, verb, token, mark)

    def take(self, verb: str, token: str) -> Page | None:
        """The page of ``token`` as read ahead, if the store is still as it was read;
        None: read it now."""
        with self._lock:
            future = self._pages.pop((verb, token), None)
        if future is None or future.cancel():
            # Not asked for, or not begun: reading it here is as quick.
            return None
        page = future.result()
        if page is None:
            return None
        fresh = page.mark == self._watch.mark()
        with self._lock:
            if fresh:
                self.served += 1
            else:
                self.stale += 1
        log.debug("%s page read ahead %s", verb, "answered" if fresh else "stale: read again")
        return page if fresh else None

    def _safely(self, verb: str, token: str, mark: Hashable | None) -> Page | None:
        """The page, marked before it is read (so the mark covers all the read saw);
        None when it is an error, which the request for it will read and answer."""
        try:
            if mark is None:
                mark = self._watch.mark()
            body, next_token = read_once_more(
                self._sessions, lambda session: self._read(session, verb, token)
            )
        except OAIError:
            return None
        except Exception:
            log.exception("reading ahead the page of a %s token failed", verb)
            return None
        return Page(body, next_token, mark)
