"""One harvest of a partner archive into the catalogue: claim, read, store, report.

The harvest claims its source (one harvest of a source at a time, across processes),
asks the partner who it is, starts or resumes the checkpoint, hands the lists to
``run.ListRun``, reconciles if asked, decides the run's deletions at once
(``harvester.deletions``) and stores the run report.  The next incremental harvest
starts on the partner's clock, never on ours (``harvester.window``).

A run ends in one of four statuses, which ``navette harvest`` turns into its exit code:
success (everything went in), rejects (some records were quarantined), held (the
run's deletions passed the threshold and wait for an admin) and failed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from catalogue.database import refresh_statistics_after
from catalogue.sets import name_if_unnamed, slug
from catalogue.tables import HarvestRun, SourceRow
from harvester import copies, lease, state, window
from harvester.checkpoint import Checkpoint
from harvester.deletions import DeletionGuard
from harvester.fetch import Fetcher, HarvestFailed
from harvester.pages import PageError
from harvester.parallel import Mapper
from harvester.partner import Identity, Partner
from harvester.reconcile import missing
from harvester.resourcesync import ResourceSyncPartner
from harvester.run import Context, ListRun, Progress
from ingest import prepare
from mappings.publication import DEFAULT, Publication
from protocol import dates
from protocol.dates import utc_now
from protocol.failures import in_words
from schemas import validators

__all__ = ["Harvest", "Progress", "SourceBusy"]

#: Who the harvest talks to, by the source's protocol.
PARTNERS = {"oai-pmh": Partner, "resourcesync": ResourceSyncPartner}


class SourceBusy(RuntimeError):
    """Another harvest of this source is running (another worker holds its lease)."""


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
        self.name = source
        self.fetcher = fetcher or Fetcher()
        self.reconcile = reconcile
        self.clock = clock
        self.owner = owner or lease.owner_name()
        #: Processes mapping records (None: one per core; Settings.harvest_workers).
        self.workers = workers
        self.counts: Counter[str] = Counter()
        #: The partner's repositoryName (Identify), which names its set.
        self.repository = ""
        #: What the run report says besides its counts; the deletions it held, if any.
        self.notes: list[str] = []
        self.held: int | None = None
        self.context = Context(
            sessions=sessions,
            source=source,
            owner=self.owner,
            clock=clock,
            check=prepare.schemas_available() is None,
            # The landing pages, rights and provider the records are published with.
            publication=publication,
            heartbeat=lease.Heartbeat(sessions, source, self.owner, clock),
            progress=progress,
        )

    def run(self) -> HarvestRun:
        """Harvest the source once; the stored run report says how it went."""
        run_id, base_url, protocol = self._claim()
        if self.context.check:
            # Compiled before any other thread parses: libxml2's schema imports and a
            # concurrent parse do not mix (see schemas.validators._complete).
            for schema in ("oai_dc", "ebucore"):
                validators.lxml_schema(schema)
        partner = PARTNERS[protocol](self.fetcher, base_url)
        prefetcher = ThreadPoolExecutor(1, thread_name_prefix=f"prefetch-{self.name}")
        mapper = Mapper(
            self.name, base_url, self.context.check, self.workers, self.context.publication
        )
        self.context.heartbeat.start()
        try:
            self._harvest(partner, prefetcher, mapper)
            status, message = self._outcome()
        except (HarvestFailed, PageError) as error:
            status, message = "failed", "; ".join([str(error), *self.notes])
        except Exception as error:
            self._finish(
                run_id,
                "failed",
                f"Navette failed while harvesting ({in_words(error)}): this is a bug in "
                "Navette; the worker's log has the details, please report it",
            )
            raise
        finally:
            self.context.heartbeat.stop()
            prefetcher.shutdown(wait=True, cancel_futures=True)
            mapper.close()
        refresh_statistics_after(self.sessions.kw["bind"], self.counts)
        return self._finish(run_id, status, message)

    def _outcome(self) -> tuple[str, str | None]:
        if self.held is not None:
            status = "held"
        else:
            status = "rejects" if self.counts["rejected"] else "success"
        return status, "; ".join(self.notes) or None

    def _claim(self) -> tuple[int, str, str]:
        """Claim the source and open its run report: the report's id, the partner's URL
        and the protocol it is harvested over."""
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
            source.status = "running"
            return run.id, source.base_url, source.protocol

    def _finish(self, run_id: int, status: str, message: str | None) -> HarvestRun:
        """Store the run report, release the source; the checkpoint stays if it failed."""
        self.counts["retries"] = self.fetcher.retries
        with self.sessions.begin() as session:
            source = state.get_source(session, self.name)
            run = session.get(HarvestRun, run_id)
            run.finished = self.clock()
            run.status = status
            run.message = message
            # The source's live records once the run ended: the catalogue's growth, drawn.
            run.counts = {**self.counts, "live": state.live_count(session, self.name)}
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

    def _harvest(
        self,
        partner: Partner | ResourceSyncPartner,
        prefetcher: ThreadPoolExecutor,
        mapper: Mapper,
    ) -> None:
        identity = partner.identify()
        self.repository = identity.repository
        with self.sessions() as session:
            source = state.get_source(session, self.name)
            stored = source.checkpoint
            wanted, window_from = list(source.prefixes), _incremental_from(source, identity)
            sets = list(source.sets) or [None]
            live = state.live_count(session, self.name)
            threshold = source.delete_threshold
        if stored is None:
            # Asked outside any transaction: no database lock is held across the network.
            choice = partner.choose_prefix(wanted)
            checkpoint = Checkpoint(
                prefix=choice.prefix,
                start=window_from,
                sets=sets,
                started=identity.response_date,
                live_at_start=live,
            )
            skewed = window.skew(identity.response_date, self.clock())
            for warning in (*identity.warnings, *choice.warnings, *([skewed] if skewed else [])):
                checkpoint.note(warning)
        else:
            checkpoint = Checkpoint.from_json(stored)
            if checkpoint.live_at_start is None:
                checkpoint.live_at_start = live
        with self.sessions.begin() as session:
            source = state.get_source(session, self.name)
            if not identity.warnings:
                if source.granularity != dates.DAYS:
                    source.granularity = identity.granularity
                source.deleted_policy = identity.deleted_policy
            if stored is None:
                # A new run: whatever an abandoned one read is not this run's.
                copies.forget(session, self.name)
            source.checkpoint = checkpoint.as_json()
        self.counts.update(checkpoint.counts)
        lists = ListRun(self.context, partner, prefetcher, mapper, checkpoint, self.counts)
        try:
            lists.run()
            gone = set()
            if self.reconcile and isinstance(partner, ResourceSyncPartner):
                checkpoint.note(
                    "--reconcile compares OAI-PMH lists: a ResourceSync source's deletions "
                    "come from its Change List"
                )
            elif self.reconcile:
                gone = missing(self.sessions, partner, checkpoint.prefix, self.name, sets)
        finally:
            self.notes = list(checkpoint.notes)
        guard = DeletionGuard(self.name, threshold, checkpoint.live_at_start or 0)
        with self.sessions.begin() as session:
            asked = [*copies.deleted_in_run(session, self.name), *gone]
            held = guard.decide(session, asked, self.clock(), self.counts)
            if held is not None:
                self.held = held.id
                self.notes.insert(
                    0,
                    f"{held.reason}: `navette deletions approve {held.id}` applies them, "
                    f"`navette deletions reject {held.id}` keeps the records",
                )
            copies.forget(session, self.name)
            lists.save_checkpoint(session)
            source = state.get_source(session, self.name)
            source.harvested_until = window.harvested_until(
                source.harvested_until, checkpoint.started, checkpoint.newest
            )
            source.checkpoint = None


def _incremental_from(source: SourceRow, identity: Identity) -> str | None:
    if source.harvested_until is None:
        return None
    # Without Identify, the partner's granularity is unknown: days are always accepted.
    granularity = dates.DAYS if identity.warnings else (source.granularity or dates.SECONDS)
    moment = dates.step_back(source.harvested_until, granularity)
    return dates.format_datestamp(moment, granularity)
