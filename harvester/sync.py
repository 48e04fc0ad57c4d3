"""One harvest of a partner archive into the catalogue, resumable at every page.

Each page's records, deletions, quarantined records and the checkpoint (the next
resumption token and the counts) are committed in one transaction, so a harvest
killed at any moment resumes from the last committed page and ends with the same
catalogue as an uninterrupted one.  The next incremental harvest starts from the
partner's own responseDate at the start of the last successful run, minus one
granularity unit: never from our clock.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from catalogue import codec, store
from catalogue.codec import utc_now
from catalogue.sets import name_if_unnamed, slug
from catalogue.tables import HarvestRun, HeldDeletion, RecordRow, SourceRow
from harvester import dates, lease, state
from harvester.fetch import Fetcher, HarvestFailed
from harvester.listing import ListError, walk
from harvester.mapping import Mapped, local_identifier, map_raw
from harvester.pages import Page, PageError, parse_page
from harvester.parallel import Mapper, PageMapping
from mappings import publish
from mappings.downgrade import judge
from mappings.namespaces import EBUCORE, MARC, OAI_DC, is_legacy_ebucore
from mappings.publication import DEFAULT, Publication
from schemas import validators


def richness(namespace: str) -> int | None:
    """Of the formats a partner offers, the lowest rank is harvested (None: not read)."""
    if namespace == EBUCORE:
        return 0
    if is_legacy_ebucore(namespace):
        return 1
    if namespace == MARC:
        return 2
    if namespace == OAI_DC:
        return 3
    return None


REDO_LIMIT = 3
OAI_DC_ROOT = "{%s}dc" % OAI_DC


class SourceBusy(RuntimeError):
    """Another harvest of this source is running (another worker holds its lease)."""


@dataclass
class PendingPage:
    """A page read and handed to the mapper, not yet stored."""

    page: Page
    url: str
    #: The token that fetches the page after this one; the checkpoint once it is stored.
    next_token: str | None
    now: datetime
    deletions: list[str]
    outcomes: PageMapping
    identifiers: set[str]
    stale: set[str]


@dataclass
class Progress:
    pages: int
    records: int
    complete_list_size: int | None


class Harvest:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        source: str,
        fetcher: Fetcher | None = None,
        reconcile: bool = False,
        progress: Callable[[Progress], None] | None = None,
        clock: Callable[[], datetime] = utc_now,
        owner: str | None = None,
        workers: int | None = None,
        publication: Publication = DEFAULT,
    ) -> None:
        self.sessions = sessions
        #: The landing pages, rights and provider the harvested records are published with.
        self.publication = publication
        self.name = source
        self.fetcher = fetcher or Fetcher()
        self.reconcile = reconcile
        self.progress = progress
        self.clock = clock
        self.owner = owner or lease.owner_name()
        self.check = publish.schemas_available() is None
        self.counts: Counter[str] = Counter()
        self.base_url = ""
        self.prefetcher: ThreadPoolExecutor | None = None
        self.pending: PendingPage | None = None
        self.heartbeat = lease.Heartbeat(sessions, source, self.owner, clock)
        #: The partner's repositoryName (Identify), which names its set.
        self.repository = ""
        #: Processes mapping records (None: one per core; Settings.harvest_workers).
        self.workers = workers

    # --- the run ----------------------------------------------------------------------

    def run(self) -> HarvestRun:
        """Harvest the source once; the stored run report says how it went."""
        now = self.clock()
        with self.sessions.begin() as session:
            source = state.get_source(session, self.name)
            if not lease.claim(session, self.name, self.owner, now):
                raise SourceBusy(
                    f"{self.name} is being harvested by {source.lease_owner} (if that "
                    f"harvest is gone, `navette sources unlock {self.name}` releases it)"
                )
            lease.close_interrupted_runs(
                session, self.name, now, "interrupted: the harvest stopped without finishing"
            )
            run = HarvestRun(source=self.name, started=now, status="running", counts={})
            session.add(run)
            session.flush()
            run_id = run.id
            source.status = "running"
            self.base_url = source.base_url
        if self.check:
            # Compiled before any other thread parses: libxml2's schema imports and a
            # concurrent parse do not mix (see schemas.validators._complete).
            for schema in ("oai_dc", "ebucore"):
                validators.lxml_schema(schema)
        self.prefetcher = ThreadPoolExecutor(1, thread_name_prefix=f"prefetch-{self.name}")
        self.mapper = Mapper(self.name, self.base_url, self.check, self.workers, self.publication)
        self.heartbeat.start()
        try:
            self._harvest()
            status, message = ("rejects" if self.counts["rejected"] else "success"), None
        except (HarvestFailed, PageError) as error:
            status, message = "failed", str(error)
        except Exception as error:
            self._finish(run_id, "failed", f"internal error: {error!r}")
            raise
        finally:
            self.heartbeat.stop()
            self.prefetcher.shutdown(wait=True, cancel_futures=True)
            self.mapper.close()
        return self._finish(run_id, status, message)

    def _finish(self, run_id: int, status: str, message: str | None) -> HarvestRun:
        """Store the run report, release the source; the checkpoint stays if it failed."""
        self.counts["retries"] = self.fetcher.retries
        with self.sessions.begin() as session:
            source = state.get_source(session, self.name)
            run = session.get(HarvestRun, run_id)
            run.finished = self.clock()
            run.status = status
            run.message = message
            run.counts = dict(self.counts)
            source.status = "failed" if status == "failed" else "idle"
            source.message = message
            if source.schedule:
                source.next_run = state.next_run(source.schedule, self.clock())
            lease.release(session, self.name, self.owner)
            if self.repository:
                # The partner's own name for its set, once records made the set exist.
                name_if_unnamed(session, f"source:{slug(self.name)}", self.repository)
            session.flush()
            session.expunge(run)
        return run

    def _fetch(self, params: dict[str, str]) -> tuple[Page, str]:
        """A parsed page; a page whose envelope is broken is fetched again.

        May run in the prefetch thread: the page carries its warnings, and the
        harvesting thread counts them.
        """
        last = None
        for _ in range(self.fetcher.policy.attempts):
            fetched = self.fetcher.get(self.base_url, params)
            try:
                page = parse_page(fetched.body)
            except PageError as error:
                last = error
                self.fetcher.retries += 1
                continue
            page.warnings += fetched.warnings
            return page, fetched.url
        raise HarvestFailed(f"{self.base_url}: unreadable responses: {last}")

    def _harvest(self) -> None:
        identify, _ = self._fetch({"verb": "Identify"})
        if identify.errors or identify.identify is None:
            raise HarvestFailed(f"{self.base_url} does not answer Identify: {identify.errors}")
        if not identify.response_date:
            raise HarvestFailed(f"{self.base_url} answers without a responseDate")
        oai = "{http://www.openarchives.org/OAI/2.0/}"
        granularity = identify.identify.findtext(oai + "granularity", dates.SECONDS).strip()
        self.repository = (identify.identify.findtext(oai + "repositoryName") or "").strip()
        deleted_policy = identify.identify.findtext(oai + "deletedRecord", "").strip()
        with self.sessions() as session:
            source = state.get_source(session, self.name)
            checkpoint = source.checkpoint
            wanted, window_from = list(source.prefixes), self._incremental_from(source)
            sets = list(source.sets) or [None]
        if checkpoint is None:
            # Asked outside any transaction: no database lock is held across the network.
            checkpoint = {
                "prefix": self._choose_prefix(wanted),
                "from": window_from,
                "sets": sets,
                "set_index": 0,
                "token": None,
                "started": identify.response_date,
                "counts": {},
            }
        with self.sessions.begin() as session:
            source = state.get_source(session, self.name)
            if source.granularity != dates.DAYS:
                source.granularity = granularity
            source.deleted_policy = deleted_policy
            source.checkpoint = checkpoint
            self.live_at_start = state.live_count(session, self.name)
            self.threshold = source.delete_threshold
        self.counts.update(checkpoint["counts"])
        self.checkpoint = dict(checkpoint)
        while self.checkpoint["set_index"] < len(self.checkpoint["sets"]):
            self._window(self.checkpoint["sets"][self.checkpoint["set_index"]])
            self.checkpoint.update(set_index=self.checkpoint["set_index"] + 1, token=None)
            self._save_checkpoint()
        if self.reconcile:
            self._reconcile()
        with self.sessions.begin() as session:
            source = state.get_source(session, self.name)
            source.harvested_until = dates.parse(self.checkpoint["started"])
            source.checkpoint = None

    def _choose_prefix(self, wanted: list[str]) -> str:
        page, _ = self._fetch({"verb": "ListMetadataFormats"})
        offered = dict(page.formats)
        if wanted:
            for prefix in wanted:
                if prefix in offered:
                    return prefix
            raise HarvestFailed(f"{self.base_url} offers none of {', '.join(wanted)}")
        ranked = sorted(
            (rank, prefix)
            for prefix, namespace in page.formats
            if (rank := richness(namespace)) is not None
        )
        if ranked:
            return ranked[0][1]
        raise HarvestFailed(f"{self.base_url} offers none of EBUCore, MARCXML and oai_dc")

    def _incremental_from(self, source: SourceRow) -> str | None:
        if source.harvested_until is None:
            return None
        granularity = source.granularity or dates.SECONDS
        return dates.format_for(dates.step_back(source.harvested_until, granularity), granularity)

    def _save_checkpoint(self, session: Session | None = None) -> None:
        self.checkpoint["counts"] = {k: v for k, v in self.counts.items() if k != "retries"}
        if session is None:
            with self.sessions.begin() as session:
                self._save_checkpoint(session)
            return
        if self.heartbeat.lost or not lease.claim(session, self.name, self.owner, self.clock()):
            raise HarvestFailed(
                f"{self.name}: this harvest lost its claim on the source to another one; "
                "it stops without storing its last page"
            )
        state.save_checkpoint(session, self.name, self.checkpoint)

    # --- one list ---------------------------------------------------------------------

    def _first_request(self, set_spec: str | None) -> dict[str, str]:
        params = {"verb": "ListRecords", "metadataPrefix": self.checkpoint["prefix"]}
        if self.checkpoint["from"]:
            params["from"] = self.checkpoint["from"]
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
            token = self.checkpoint["token"]
            try:
                for listed in walk(
                    self._fetch,
                    self.base_url,
                    self._first_request(set_spec),
                    token,
                    prefetch=self.prefetcher,
                    before_wait=self._store_while_waiting,
                ):
                    self.counts["warnings"] += len(listed.page.warnings)
                    begun = self._begin_page(listed.page, listed.url, listed.next_token)
                    self._finish_pending()
                    self.pending = begun
                return
            except ListError as error:
                if "badResumptionToken" in error.codes and error.token:
                    redone += 1
                    if redone > REDO_LIMIT:
                        raise HarvestFailed(
                            f"{self.base_url}: resumption tokens keep expiring"
                        ) from error
                    # The list starts again from its first page; what was stored stays.
                    self._finish_pending()
                    self.checkpoint["token"] = None
                    self._save_checkpoint()
                    continue
                if (
                    "badArgument" in error.codes
                    and not error.token
                    and not downgraded
                    and (self.checkpoint["from"] and "T" in self.checkpoint["from"])
                ):
                    downgraded = True
                    self._downgrade_granularity()
                    continue
                raise

    def _downgrade_granularity(self) -> None:
        moment = dates.parse(self.checkpoint["from"])
        self.checkpoint["from"] = dates.format_for(moment, dates.DAYS)
        with self.sessions.begin() as session:
            state.get_source(session, self.name).granularity = dates.DAYS

    # --- records ----------------------------------------------------------------------

    def _begin_page(self, page: Page, url: str, next_token: str | None) -> PendingPage:
        """The page's records handed to the mapper (workers start on them at once)."""
        now = self.clock()
        deletions = [
            local_identifier(self.name, raw.identifier)
            for raw in page.records
            if raw.deleted and not raw.problem
        ]
        candidates = [raw for raw in page.records if not raw.deleted or raw.problem]
        identifiers = [
            local_identifier(self.name, r.identifier) for r in candidates if r.identifier
        ]
        with self.sessions() as session:
            stored = store.fingerprints(session, identifiers)
        touched = {*identifiers, *deletions}
        before = self.pending.identifiers if self.pending is not None else set()
        return PendingPage(
            page,
            url,
            next_token,
            now,
            deletions,
            self.mapper.map_page(candidates, stored, now),
            identifiers=touched,
            # The fingerprints were read before the page still pending was stored:
            # for the records both pages hold, they may be out of date.
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
        now = pending.now
        counts, token = self.counts.copy(), self.checkpoint["token"]
        try:
            self._store(pending, now)
        except BaseException:
            # Nothing of the page was committed: neither is it counted.
            self.counts, self.checkpoint["token"] = counts, token
            raise
        if self.progress:
            records_seen = sum(self.counts[k] for k in ("new", "updated", "unchanged", "rejected"))
            self.progress(
                Progress(self.counts["pages"], records_seen, pending.page.complete_list_size)
            )

    def _store(self, pending: PendingPage, now: datetime) -> None:
        # The whole page is mapped before its transaction starts: a few statements a
        # page instead of a few a chunk, and no write lock held while workers map.
        outcomes = [mapped for chunk in pending.outcomes for mapped in chunk]
        with self.sessions.begin() as session:
            if pending.stale:
                outcomes = self._remap_stale(session, outcomes, pending)
            outcomes = self._keep_richer(session, outcomes)
            written = [m.written for m in outcomes if m.written is not None]
            self.counts["unchanged"] += sum(m.unchanged for m in outcomes)
            self.counts += store.save(session, written, now=now, source=self.name)
            rejected = [m for m in outcomes if m.problem]
            for mapped in rejected:
                state.quarantine(
                    session,
                    self.name,
                    mapped.raw.identifier,
                    self.checkpoint["prefix"],
                    mapped.problem,
                    mapped.raw.xml,
                    pending.url,
                    now,
                )
            self.counts["rejected"] += len(rejected)
            self._delete(session, pending.deletions, now)
            self.counts["pages"] += 1
            if pending.next_token is not None:
                self.checkpoint["token"] = pending.next_token
            self._save_checkpoint(session)

    def _keep_richer(self, session: Session, outcomes: list[Mapped]) -> list[Mapped]:
        """Simple DC never silently overwrites a richer stored record (mappings.downgrade):
        the same record's DC leaves it as it is; new DC is quarantined with the reason."""
        simple = {
            m.written.identifier: m
            for m in outcomes
            if m.written is not None
            and m.raw.metadata is not None
            and m.raw.metadata.tag == OAI_DC_ROOT
        }
        stored = store.stored_data(session, simple) if simple else {}
        if not stored:
            return outcomes
        judged = {}
        for identifier, data in stored.items():
            mapped = simple[identifier]
            verdict = judge(codec.from_dict(data), mapped.written.full_record())
            if verdict.keep:
                judged[identifier] = Mapped(mapped.raw, unchanged=True)
            elif not verdict.replace:
                reason = verdict.reason(identifier)
                judged[identifier] = Mapped(
                    mapped.raw,
                    problem=f"{reason}; quarantined (the partner's richer format, or "
                    "deleting the record here, lets it in)",
                )
        return [
            judged.get(m.written.identifier, m) if m.written is not None else m for m in outcomes
        ]

    def _remap_stale(
        self, session: Session, outcomes: list[Mapped], pending: PendingPage
    ) -> list[Mapped]:
        """Records the previous page also held, mapped again against what it stored."""
        stale = [
            m
            for m in outcomes
            if local_identifier(self.name, m.raw.identifier or "") in pending.stale
        ]
        if not stale:
            return outcomes
        fresh = store.fingerprints(
            session, [local_identifier(self.name, m.raw.identifier) for m in stale]
        )
        again = {
            id(m): map_raw(
                m.raw,
                self.name,
                self.base_url,
                pending.now,
                self.check,
                fresh.get(local_identifier(self.name, m.raw.identifier)),
                self.publication,
            )
            for m in stale
        }
        return [again.get(id(m), m) for m in outcomes]

    def _delete(self, session: Session, identifiers: list[str], now: datetime) -> None:
        """Apply deletions, unless they would take more than the source's threshold."""
        if not identifiers:
            return
        allowed = int(self.threshold * self.live_at_start)
        if self.counts["deleted"] + self.counts["held"] + len(identifiers) > allowed and (
            self.live_at_start
        ):
            session.add(
                HeldDeletion(
                    source=self.name,
                    identifiers=identifiers,
                    reason=(
                        f"the harvest would delete more than {self.threshold:.0%} of the "
                        f"{self.live_at_start} records of {self.name}"
                    ),
                    created=now,
                    status="held",
                )
            )
            self.counts["held"] += len(identifiers)
            return
        for identifier in identifiers:
            if store.delete_record(session, identifier, now):
                self.counts["deleted"] += 1

    def _reconcile(self) -> None:
        """Delete what the partner no longer lists (for partners that do not keep deletions)."""
        present: set[str] = set()
        first = {"verb": "ListIdentifiers", "metadataPrefix": self.checkpoint["prefix"]}
        for listed in walk(self._fetch, self.base_url, first):
            present.update(
                local_identifier(self.name, h.identifier)
                for h in listed.page.headers
                if h.identifier and not h.deleted
            )
        with self.sessions.begin() as session:
            ours = set(
                session.scalars(
                    select(RecordRow.identifier).where(
                        RecordRow.source == self.name, RecordRow.deleted.is_(False)
                    )
                )
            )
            gone = sorted(ours - present)
            self._delete(session, gone, self.clock())


def approve(sessions: sessionmaker[Session], held_id: int, now: datetime) -> int:
    """Apply held deletions an admin approved; how many records were deleted."""
    with sessions.begin() as session:
        held = session.get(HeldDeletion, held_id)
        if held is None or held.status != "held":
            raise state.SourceError(f"there are no held deletions numbered {held_id}")
        deleted = sum(store.delete_record(session, i, now) for i in held.identifiers)
        held.status = "approved"
    return deleted


def reject(sessions: sessionmaker[Session], held_id: int) -> None:
    with sessions.begin() as session:
        held = session.get(HeldDeletion, held_id)
        if held is None or held.status != "held":
            raise state.SourceError(f"there are no held deletions numbered {held_id}")
        held.status = "rejected"
