"""Commands on harvests: running them, the worker, the quarantine, held deletions."""

from __future__ import annotations

import sys

import click

from navette.commands.common import EXIT_OK, EXIT_REJECTS, EXIT_UNUSABLE, open_sessions
from navette.config import Settings
from protocol.dates import utc_now


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


def dump_upkeep(settings: Settings, sessions):
    """Between harvests, the Resource Dumps made again where the catalogue has moved;
    nothing when no public address says how to name their resources."""
    import logging

    from sqlalchemy.exc import SQLAlchemyError

    from protocol.failures import in_words
    from resourcesync.refresh import make_dumps

    log = logging.getLogger("navette.resourcesync")
    if settings.publication().site_url is None:
        log.info("Resource Dumps are not kept: set NAVETTE_PUBLIC_URL to keep them")
        return None

    def upkeep() -> None:
        try:
            make_dumps(settings, sessions, only_stale=True)
        except (OSError, SQLAlchemyError) as error:
            log.warning(
                "the Resource Dumps in %s could not be made again; the last ones stay offered: %s",
                settings.dump_dir,
                in_words(error),
            )

    return upkeep


@click.command()
@click.option("--once", is_flag=True, help="Run what is due, then stop.")
@click.option("--interval", default=30.0, show_default=True, help="Seconds between looks.")
@click.pass_obj
def worker(settings: Settings, once: bool, interval: float) -> None:
    """Run the scheduled harvests; several workers share the sources safely."""
    from harvester.schedule import work
    from navette.logs import configure

    configure(settings.log_level, settings.log_format)
    sessions = open_sessions(settings)
    done = work(
        sessions,
        once=once,
        interval=interval,
        fetcher=settings.fetcher,
        publication=settings.publication(),
        workers=settings.harvest_workers,
        idle=dump_upkeep(settings, sessions),
    )
    click.echo(f"{done} harvests run")


@click.group()
def quarantine() -> None:
    """Harvested records that could not go in."""


@quarantine.command("list")
@click.option("--source")
@click.pass_obj
def quarantine_list(settings: Settings, source: str | None) -> None:
    """The records held now: number, source, identifier, when, and why."""
    from harvester import state

    with open_sessions(settings)() as session:
        for item in state.quarantined(session, source):
            click.echo(
                f"{item.id}\t{item.source}\t{item.identifier or '?'}\t"
                f"{item.created:%Y-%m-%d %H:%M:%S} UTC\t{item.reason}"
            )


@quarantine.command("show")
@click.argument("number", type=int)
@click.pass_obj
def quarantine_show(settings: Settings, number: int) -> None:
    """One held record (NUMBER, from `quarantine list`): why, from where, and its XML."""
    from catalogue.tables import QuarantinedRecord
    from mappings.safexml import indented

    with open_sessions(settings)() as session:
        item = session.get(QuarantinedRecord, number)
        if item is None:
            raise click.UsageError(f"there is no quarantined record numbered {number}")
        said = {
            "number": item.id,
            "source": item.source,
            "identifier": item.identifier,
            "format": item.metadata_prefix,
            "reason": item.reason,
            "from": item.page,
            "held since": f"{item.created:%Y-%m-%d %H:%M:%S} UTC ({item.status})",
        }
        for field, value in said.items():
            if value is not None:
                click.echo(f"{field}: {value}")
        click.echo(indented(item.raw_xml))


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
    tried = {number for number, _ in outcomes}
    for number in numbers_wanted or []:
        if number not in tried:
            click.echo(
                f"{number}: no record is held in quarantine under this number "
                "(see `navette quarantine list`)",
                err=True,
            )
            failed += 1
    sys.exit(EXIT_REJECTS if failed else EXIT_OK)


@click.group()
def deletions() -> None:
    """Deletions held because they would take too much of a source."""


@deletions.command("list")
@click.pass_obj
def deletions_list(settings: Settings) -> None:
    """The batches of deletions waiting for a decision: number, source, records, why."""
    from harvester import state

    with open_sessions(settings)() as session:
        for held in state.held_deletions(session):
            click.echo(
                f"{held.id}\t{held.source}\t{len(held.identifiers)} records\t"
                f"held {held.created:%Y-%m-%d %H:%M:%S} UTC\t{held.reason}"
            )


@deletions.command("approve")
@click.argument("number", type=int)
@click.pass_obj
def deletions_approve(settings: Settings, number: int) -> None:
    """Apply a held batch (NUMBER, from `deletions list`): its records are deleted."""
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
    """Drop a held batch (NUMBER, from `deletions list`): its records stay."""
    from harvester import state
    from harvester.deletions import reject

    try:
        reject(open_sessions(settings), number)
    except state.SourceError as error:
        raise click.UsageError(str(error)) from error
    click.echo("deletions rejected; the records stay")


#: The top-level commands of this module, registered on ``navette`` by navette.cli.
COMMANDS = [harvest, worker, quarantine, deletions]
