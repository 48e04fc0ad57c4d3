"""A run's lists read page by page: page -> map -> store, the checkpoint saved with each.

Each page's records, the copies it carried (``harvester.copies``: its deletions among
them, decided at the run's end), quarantined records and the checkpoint (the next
resumption token and the counts) are committed in one transaction, so a harvest
killed at any moment resumes from the last committed page.  While one page is being
stored the next is fetched and mapped (``listing.walk`` prefetches, ``Mapper`` maps on
every core).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from catalogue import store
from catalogue.model import IDENTIFIER_LENGTH
from harvester import copies, lease, state, storing, window
from harvester.checkpoint import Checkpoint
from harvester.copies import Copy
from harvester.fetch import HarvestFailed
from harvester.listing import ListError, walk
from harvester.mapping import Mapped, local_identifier, map_raw
from harvester.pages import Page, PageError, RawRecord
from harvester.parallel import Mapper, PageMapping
from harvester.partner import Partner
from mappings.publication import Publication
from protocol import dates
from protocol.errors import BadArgument, BadResumptionToken

#: Times a list may start again because its tokens expired, before the harvest fails.
REDO_LIMIT = 3


@dataclass(frozen=True)
class Progress:
    pages: int
    records: int
    complete_list_size: int | None


@dataclass(frozen=True)
class Context:
    """What every page of a run is read, mapped and stored with."""

    sessions: sessionmaker[Session]
    source: str
    owner: str
    clock: Callable[[], datetime]
    #: Whether records are checked against their schemas (the XSDs are at hand).
    check: bool
    publication: Publication
    heartbeat: lease.Heartbeat
    progress: Callable[[Progress], None] | None = None


@dataclass
class PendingPage:
    """A page read and handed to the mapper, not yet stored."""

    page: Page
    url: str
    #: The token that fetches the page after this one; the checkpoint once it is stored.
    next_token: str | None
    now: datetime
    #: The newest copy of each record the page holds (deletions included).
    copies: dict[str, Copy]
    outcomes: PageMapping
    identifiers: set[str]
    #: Records the previous page also held: their fingerprints may be out of date.
    stale: set[str]


class ListRun:
    def __init__(
        self,
        context: Context,
        partner: Partner,
        prefetcher: Executor,
        mapper: Mapper,
        checkpoint: Checkpoint,
        counts: Counter[str],
    ) -> None:
        self.context = context
        self.partner = partner
        self.prefetcher = prefetcher
        self.mapper = mapper
        self.checkpoint = checkpoint
        self.counts = counts
        self.pending: PendingPage | None = None

    def run(self) -> None:
        """Every set of the checkpoint, from where it stands to the end."""
        while not self.checkpoint.finished:
            self._window(self.checkpoint.current_set)
            self.checkpoint.next_set()
            self.save_checkpoint()

    def save_checkpoint(self, session: Session | None = None) -> None:
        """Store where the run stands, if this harvest still holds the source."""
        context = self.context
        self.checkpoint.counts = {k: v for k, v in self.counts.items() if k != "retries"}
        if session is None:
            with context.sessions.begin() as session:
                self.save_checkpoint(session)
            return
        claimed = lease.claim(session, context.source, context.owner, context.clock())
        if context.heartbeat.lost or not claimed:
            raise HarvestFailed(
                f"{context.source}: this harvest lost its claim on the source to another one; "
                "it stops without storing its last page"
            )
        state.save_checkpoint(session, context.source, self.checkpoint.as_json())

    # --- one list ---------------------------------------------------------------------

    def _first_request(self, set_spec: str | None) -> dict[str, str]:
        params = {"verb": "ListRecords", "metadataPrefix": self.checkpoint.prefix}
        if self.checkpoint.start:
            params["from"] = self.checkpoint.start
        if set_spec:
            params["set"] = set_spec
        return params

    def _window(self, set_spec: str | None) -> None:
        """One list, page after page; a page is stored while the next one is mapped."""
        self.pending = None
        try:
            self._list(set_spec)
        except (HarvestFailed, PageError):
            # What was read and mapped before the failure is kept.
            self._finish_pending()
            raise
        self._finish_pending()

    def _list(self, set_spec: str | None) -> None:
        redone = 0
        downgraded = False
        while True:
            try:
                for listed in walk(
                    self.partner.page,
                    self.partner.base_url,
                    self._first_request(set_spec),
                    self.checkpoint.token,
                    prefetch=self.prefetcher,
                    before_wait=self._store_while_waiting,
                ):
                    self.counts["warnings"] += len(listed.page.warnings)
                    for warning in listed.page.warnings:
                        self.checkpoint.note(warning)
                    begun = self._begin_page(listed.page, listed.url, listed.next_token)
                    self._finish_pending()
                    self.pending = begun
                return
            except ListError as error:
                if error.says(BadResumptionToken) and error.token:
                    redone += 1
                    if redone > REDO_LIMIT:
                        raise HarvestFailed(
                            f"{self.partner.base_url}: resumption tokens keep expiring"
                        ) from error
                    # The list starts again from its first page; what was stored stays.
                    self._finish_pending()
                    self.checkpoint.token = None
                    self.save_checkpoint()
                    continue
                if error.says(BadArgument) and not error.token and not downgraded:
                    if self.checkpoint.start and "T" in self.checkpoint.start:
                        downgraded = True
                        self._downgrade_granularity()
                        continue
                raise

    def _downgrade_granularity(self) -> None:
        """A partner that promised seconds but refuses them is asked in days from then on."""
        moment = dates.parse_lenient(self.checkpoint.start or "")
        self.checkpoint.start = dates.format_datestamp(moment, dates.DAYS)
        with self.context.sessions.begin() as session:
            state.get_source(session, self.context.source).granularity = dates.DAYS

    # --- pages ------------------------------------------------------------------------

    def _local(self, partner_identifier: str) -> str:
        return local_identifier(self.context.source, partner_identifier)

    def _begin_page(self, page: Page, url: str, next_token: str | None) -> PendingPage:
        """The page's records handed to the mapper (workers start on them at once)."""
        now = self.context.clock()
        # A record the store could not hold (its identifier too long) goes to the mapper,
        # which refuses it with the reason.
        tracked = [
            raw
            for raw in page.records
            if not raw.problem and len(self._local(raw.identifier or "")) <= IDENTIFIER_LENGTH
        ]
        chosen, older = copies.newest_of_page(
            Copy(self._local(raw.identifier), copies.datestamp_of(raw), raw.deleted, raw)
            for raw in tracked
        )
        self.counts["superseded"] += older
        followed = {id(raw) for raw in tracked}
        candidates = [
            raw
            for raw in page.records
            if id(raw) not in followed or _is_live_choice(chosen, self._local, raw)
        ]
        identifiers = [self._local(r.identifier) for r in candidates if r.identifier]
        with self.context.sessions() as session:
            stored = store.fingerprints(session, identifiers)
        touched = {*identifiers, *chosen}
        before = self.pending.identifiers if self.pending is not None else set()
        return PendingPage(
            page,
            url,
            next_token,
            now,
            chosen,
            self.mapper.map_page(candidates, stored, now),
            identifiers=touched,
            # The fingerprints were read before the page still pending was stored.
            stale=before & touched,
        )

    def _store_while_waiting(self, ahead: Future) -> None:
        """Store the pending page as soon as it is mapped, while the next one is on its
        way; if the next page arrives first, its mapping starts before this page is
        stored (the usual overlap).  A slow next page never holds this one back."""
        pending = self.pending
        if pending is None:
            return
        while not ahead.done():
            running = pending.outcomes.running()
            if not running:
                self._finish_pending()
                return
            wait([ahead, *running], return_when=FIRST_COMPLETED)

    def _finish_pending(self) -> None:
        """Store the pending page with its checkpoint, in one transaction."""
        pending, self.pending = self.pending, None
        if pending is None:
            return
        counts, token = self.counts.copy(), self.checkpoint.token
        try:
            self._store(pending)
        except BaseException:
            # Nothing of the page was committed: neither is it counted.
            self.counts.clear()
            self.counts.update(counts)
            self.checkpoint.token = token
            raise
        if self.context.progress:
            size = pending.page.complete_list_size
            self.context.progress(Progress(self.counts["pages"], self.counts["listed"], size))

    def _remap(self, now: datetime) -> storing.Remap:
        context = self.context

        def remap(raw: RawRecord, fingerprint: str | None) -> Mapped:
            return map_raw(
                raw,
                context.source,
                self.partner.base_url,
                now,
                context.check,
                fingerprint,
                context.publication,
            )

        return remap

    def _store(self, pending: PendingPage) -> None:
        # The whole page is mapped before its transaction starts: a few statements a
        # page instead of a few a chunk, and no write lock held while workers map.
        outcomes = [mapped for chunk in pending.outcomes for mapped in chunk]
        now, source = pending.now, self.context.source
        with self.context.sessions.begin() as session:
            kept = copies.keep_newest(session, source, pending.copies)
            self.counts["superseded"] += len(pending.copies) - len(kept)
            outcomes = [m for m in outcomes if _is_current(pending.copies, kept, self._local, m)]
            for copy in kept.values():
                self.checkpoint.newest = window.newest(self.checkpoint.newest, copy.datestamp)
            if pending.stale:
                outcomes = storing.remap_stale(
                    session, outcomes, pending.stale, self._local, self._remap(now)
                )
            outcomes = storing.keep_richer(session, outcomes)
            written = [m.written for m in outcomes if m.written is not None]
            self.counts["unchanged"] += sum(m.unchanged for m in outcomes)
            self.counts.update(store.save(session, written, now=now, source=source))
            self.counts["rejected"] += storing.quarantine_rejected(
                session, source, self.checkpoint.prefix, outcomes, pending.url, now
            )
            storing.resolve_quarantined(session, source, outcomes)
            self.counts["pages"] += 1
            # Every item of the list, deletions and repeated copies included: what the
            # partner's completeListSize counts, so that progress ends at its total.
            self.counts["listed"] += len(pending.page.records) + len(pending.page.headers)
            if pending.next_token is not None:
                self.checkpoint.token = pending.next_token
            self.save_checkpoint(session)


def _is_live_choice(chosen: dict[str, Copy], local: Callable[[str], str], raw: RawRecord) -> bool:
    """Whether ``raw`` is the copy of its record the page keeps, and a live one."""
    copy = chosen.get(local(raw.identifier or ""))
    return copy is not None and copy.raw is raw and not raw.deleted


def _is_current(
    page: dict[str, Copy], kept: dict[str, Copy], local: Callable[[str], str], mapped: Mapped
) -> bool:
    """Whether a mapped record is the newest copy the run has read of it (a record whose
    copies are not tracked, such as one already refused, is let through to the quarantine)."""
    identifier = local(mapped.raw.identifier or "")
    return identifier not in page or identifier in kept
