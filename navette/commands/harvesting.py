"""Commands on partner archives: sources, harvests, the worker, quarantine, held deletions."""

from __future__ import annotations

import sys

import click

from navette.commands.common import EXIT_OK, EXIT_REJECTS, EXIT_UNUSABLE, open_sessions
from navette.config import Settings
from protocol.dates import utc_now


@click.group()
def sources() -> None:
    """Partner archives to harvest."""


@sources.command("add")
@click.argument("name")
@click.argument("url")
@click.option("--prefix", "prefixes", multiple=True, help="Metadata prefix, richest first.")
@click.option("--set", "sets", multiple=True, help="Harvest only these sets.")
@click.option("--schedule", help="Cron expression for `navette worker`, e.g. '0 3 * * *'.")
@click.option(
    "--delete-threshold",
    default=0.2,
    show_default=True,
    type=float,
    help="Share of the source a harvest may delete before an admin approves.",
)
@click.option(
    "--no-check",
    "unchecked",
    is_flag=True,
    help="Add it without asking the endpoint first (Identify, and the prefixes served).",
)
@click.pass_obj
def sources_add(settings, name, url, prefixes, sets, schedule, delete_threshold, unchecked) -> None:
    """Add a partner's OAI-PMH endpoint as a source (asked first whether it answers)."""
    from dataclasses import replace

    from harvester import state
    from harvester.fetch import Fetcher
    from harvester.probe import probe

    with open_sessions(settings).begin() as session:
        try:
            state.check_name(session, name)
            if not unchecked:
                # One try each, no retries: the admin is waiting for the answer.
                fetcher = settings.fetcher()
                probe(
                    Fetcher(
                        replace(fetcher.policy, attempts=1),
                        limits=fetcher.limits,
                        reach=fetcher.reach,
                    ),
                    url,
                    list(prefixes),
                )
            state.add_source(
                session,
                name,
                url,
                list(prefixes),
                list(sets),
                schedule,
                utc_now(),
                delete_threshold,
            )
        except state.SourceError as error:
            raise click.UsageError(str(error)) from error
    click.echo(f"source {name} added")


@sources.command("list")
@click.pass_obj
def sources_list(settings: Settings) -> None:
    """The sources, with their state."""
    from harvester import state

    with open_sessions(settings)() as session:
        for row in state.list_sources(session):
            until = row.harvested_until.isoformat() + "Z" if row.harvested_until else "never"
            click.echo(
                f"{row.name}\t{row.status}\t{row.base_url}\tharvested until {until}"
                f"\tschedule {row.schedule or '-'}"
            )


@sources.command("show")
@click.argument("name")
@click.pass_obj
def sources_show(settings: Settings, name: str) -> None:
    """One source, its checkpoint and its last runs."""
    from harvester import state
    from harvester.reports import describe

    with open_sessions(settings)() as session:
        try:
            row = state.get_source(session, name)
        except state.SourceError as error:
            raise click.UsageError(str(error)) from error
        for field in (
            "name",
            "base_url",
            "prefixes",
            "sets",
            "schedule",
            "granularity",
            "deleted_policy",
            "harvested_until",
            "status",
            "message",
            "next_run",
            "delete_threshold",
            "checkpoint",
        ):
            click.echo(f"{field}: {getattr(row, field)}")
        for run in state.runs(session, name, limit=5):
            click.echo(describe(run))


@sources.command("remove")
@click.argument("name")
@click.pass_obj
def sources_remove(settings: Settings, name: str) -> None:
    """Forget a source (its records stay in the catalogue)."""
    from harvester import state

    with open_sessions(settings).begin() as session:
        try:
            session.delete(state.get_source(session, name))
        except state.SourceError as error:
            raise click.UsageError(str(error)) from error
    click.echo(f"source {name} removed")


@sources.command("unlock")
@click.argument("name")
@click.pass_obj
def sources_unlock(settings: Settings, name: str) -> None:
    """Release a source's claim left by a harvest that died (it resumes from its checkpoint)."""
    from harvester import lease, state

    with open_sessions(settings).begin() as session:
        try:
            holder = lease.unlock(session, name, utc_now())
        except state.SourceError as error:
            raise click.UsageError(str(error)) from error
    if holder is None:
        click.echo(f"source {name} was not claimed by any harvest")
    else:
        click.echo(f"source {name} released (it was claimed by {holder})")


@click.command()
@click.argument("target", required=False)
@click.option("--all", "everything", is_flag=True, help="Harvest every source.")
@click.option("--prefix", "prefixes", multiple=True, help="With a URL: metadata prefix.")
@click.option("--set", "sets", multiple=True, help="With a URL: sets to harvest.")
@click.option(
    "--reconcile",
    is_flag=True,
    help="Also list every identifier and delete what the partner no longer has.",
)
@click.pass_obj
def harvest(settings, target, everything, prefixes, sets, reconcile) -> None:
    """Harvest a source (NAME), every source (--all), or an endpoint (URL --prefix P)."""
    from urllib.parse import urlparse

    from harvester import state
    from navette.logs import configure

    configure(settings.log_level, settings.log_format)
    from harvester.reports import describe
    from harvester.sync import SourceBusy
    from navette.harvesting import exit_status, harvest_source, worst

    if bool(target) == everything:
        raise click.UsageError("give a source NAME or URL, or --all")
    sessions = open_sessions(settings)
    names = []
    with sessions.begin() as session:
        if everything:
            names = [row.name for row in state.list_sources(session)]
        elif target.startswith(("http://", "https://")):
            # An endpoint already harvested under a name is harvested under that name.
            name = state.source_for(session, target, list(prefixes), list(sets))
            if name is None:
                name = _unused_name(session, urlparse(target).netloc.replace(":", "-"))
                state.add_source(session, name, target, list(prefixes), list(sets), None, utc_now())
            names = [name]
        else:
            try:
                names = [state.get_source(session, target).name]
            except state.SourceError as error:
                raise click.UsageError(str(error)) from error
    codes = [EXIT_OK]
    for name in names:
        try:
            run = harvest_source(
                sessions,
                name,
                reconcile=reconcile,
                fetcher=settings.fetcher(),
                publication=settings.publication(),
                workers=settings.harvest_workers,
            )
        except SourceBusy as error:
            click.echo(f"error: {error}", err=True)
            codes.append(EXIT_UNUSABLE)
            continue
        click.echo(describe(run))
        codes.append(exit_status(run))
    sys.exit(worst(codes))


def _unused_name(session, wanted: str) -> str:
    from catalogue.tables import SourceRow

    name, number = wanted, 1
    while session.get(SourceRow, name) is not None:
        number += 1
        name = f"{wanted}-{number}"
    return name


@click.command()
@click.option("--once", is_flag=True, help="Run what is due, then stop.")
@click.option("--interval", default=30.0, show_default=True, help="Seconds between looks.")
@click.pass_obj
def worker(settings: Settings, once: bool, interval: float) -> None:
    """Run the scheduled harvests; several workers share the sources safely."""
    from harvester.schedule import work
    from navette.logs import configure

    configure(settings.log_level, settings.log_format)
    done = work(
        open_sessions(settings),
        once=once,
        interval=interval,
        fetcher=settings.fetcher,
        publication=settings.publication(),
        workers=settings.harvest_workers,
    )
    click.echo(f"{done} harvests run")


@click.group()
def quarantine() -> None:
    """Harvested records that could not go in."""


@quarantine.command("list")
@click.option("--source")
@click.pass_obj
def quarantine_list(settings: Settings, source: str | None) -> None:
    from harvester import state

    with open_sessions(settings)() as session:
        for item in state.quarantined(session, source):
            click.echo(f"{item.id}\t{item.source}\t{item.identifier}\t{item.reason}")


@quarantine.command("show")
@click.argument("number", type=int)
@click.pass_obj
def quarantine_show(settings: Settings, number: int) -> None:
    from catalogue.tables import QuarantinedRecord

    with open_sessions(settings)() as session:
        item = session.get(QuarantinedRecord, number)
        if item is None:
            raise click.UsageError(f"there is no quarantined record numbered {number}")
        for field in (
            "id",
            "source",
            "identifier",
            "metadata_prefix",
            "reason",
            "page",
            "created",
            "status",
        ):
            click.echo(f"{field}: {getattr(item, field)}")
        click.echo(item.raw_xml)


@quarantine.command("retry")
@click.argument("numbers", nargs=-1, type=int)
@click.option("--all", "everything", is_flag=True)
@click.pass_obj
def quarantine_retry(settings: Settings, numbers: tuple[int, ...], everything: bool) -> None:
    """Map quarantined records again (after a fix), storing those that now go in."""
    from harvester.quarantine import retry

    numbers_wanted = list(numbers) or None if not everything else None
    outcomes = retry(open_sessions(settings), numbers_wanted, settings.publication())
    failed = 0
    for number, problem in outcomes:
        click.echo(f"{number}: {'stored' if problem is None else problem}")
        failed += problem is not None
    sys.exit(EXIT_REJECTS if failed else EXIT_OK)


@click.group()
def deletions() -> None:
    """Deletions held because they would take too much of a source."""


@deletions.command("list")
@click.pass_obj
def deletions_list(settings: Settings) -> None:
    from harvester import state

    with open_sessions(settings)() as session:
        for held in state.held_deletions(session):
            click.echo(f"{held.id}\t{held.source}\t{len(held.identifiers)} records\t{held.reason}")


@deletions.command("approve")
@click.argument("number", type=int)
@click.pass_obj
def deletions_approve(settings: Settings, number: int) -> None:
    from harvester import state
    from harvester.deletions import approve

    try:
        count = approve(open_sessions(settings), number, utc_now())
    except state.SourceError as error:
        raise click.UsageError(str(error)) from error
    click.echo(f"{count} records deleted")


@deletions.command("reject")
@click.argument("number", type=int)
@click.pass_obj
def deletions_reject(settings: Settings, number: int) -> None:
    from harvester import state
    from harvester.deletions import reject

    try:
        reject(open_sessions(settings), number)
    except state.SourceError as error:
        raise click.UsageError(str(error)) from error
    click.echo("deletions rejected; the records stay")


#: The top-level commands of this module, registered on ``navette`` by navette.cli.
COMMANDS = [sources, harvest, worker, quarantine, deletions]
