"""The ``navette`` command line.

Exit statuses follow one rule everywhere: 0 when everything went through, 1 when
the command finished but some input was rejected or invalid, 2 when the
arguments (or the machine) made the command unusable.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from navette.config import Settings

EXIT_OK, EXIT_REJECTS, EXIT_UNUSABLE = 0, 1, 2


def _sessions(settings: Settings):
    from catalogue.database import open_store

    return open_store(settings.database_url)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="navette")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Navette: catalogue of record, crosswalks and OAI-PMH for audiovisual archives."""
    try:
        ctx.obj = Settings.from_env()
    except ValueError as error:
        raise click.UsageError(str(error)) from error


# --- database ---------------------------------------------------------------------


@main.group()
def db() -> None:
    """The store of record's schema."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
@click.pass_obj
def db_upgrade(settings: Settings, revision: str) -> None:
    """Apply the schema migrations (a new database is created)."""
    from catalogue.database import current_revision, make_engine, upgrade

    engine = make_engine(settings.database_url)
    upgrade(engine, revision)
    click.echo(f"database at revision {current_revision(engine)}")


# --- import, demo -----------------------------------------------------------------


def _print_report(report, dry_run: bool = False) -> int:
    from navette.importing import Report

    assert isinstance(report, Report)
    for notice in report.notices:
        click.echo(f"notice: {notice}", err=True)
    for location, warning in report.warnings:
        click.echo(f"{location}: warning: {warning}", err=True)
    for rejected in report.rejected:
        click.echo(f"{rejected.location}: rejected: {rejected.reason}", err=True)
    counts = report.counts
    if dry_run:
        click.echo(f"{counts['valid']} valid, {len(report.rejected)} rejected (dry run)")
    else:
        click.echo(
            f"{counts['new']} new, {counts['updated']} updated, "
            f"{counts['unchanged']} unchanged, {counts['deleted']} deleted, "
            f"{len(report.rejected)} rejected"
        )
    return EXIT_OK if report.ok else EXIT_REJECTS


@main.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Validate everything, write nothing.")
@click.pass_obj
def import_command(settings: Settings, paths: tuple[Path, ...], dry_run: bool) -> None:
    """Import native JSON Lines / CSV, EBUCore or oai_dc XML files, folders and ZIP archives."""
    from mappings.readers import UnusableInput, check_paths
    from navette.importing import import_paths

    try:
        check_paths(paths)
    except UnusableInput as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_UNUSABLE)
    sessions = None if dry_run else _sessions(settings)
    report = import_paths(sessions, paths, dry_run=dry_run)
    sys.exit(_print_report(report, dry_run))


@main.command()
@click.argument("identifiers", nargs=-1, required=True)
@click.pass_obj
def delete(settings: Settings, identifiers: tuple[str, ...]) -> None:
    """Delete records (local identifiers); each keeps a tombstone that OAI-PMH serves."""
    from catalogue import store

    unknown = []
    with _sessions(settings).begin() as session:
        for identifier in identifiers:
            if not store.delete_record(session, identifier):
                unknown.append(identifier)
    for identifier in unknown:
        click.echo(f"{identifier}: no such live record", err=True)
    click.echo(f"{len(identifiers) - len(unknown)} deleted")
    sys.exit(EXIT_REJECTS if unknown else EXIT_OK)


@main.command()
@click.option("--if-empty", is_flag=True, help="Load only into an empty catalogue.")
@click.pass_obj
def demo(settings: Settings, if_empty: bool) -> None:
    """Load the demo catalogue (the Mars Express record and 220 generated films)."""
    from navette import demo as demo_catalogue

    sessions = _sessions(settings)
    if if_empty and not demo_catalogue.is_empty(sessions):
        click.echo("the catalogue is not empty; demo not loaded")
        return
    sys.exit(_print_report(demo_catalogue.load(sessions)))


# --- export, validate, schemas ----------------------------------------------------


@main.command()
@click.option("--prefix", required=True, type=click.Choice(["oai_dc", "ebucore"]))
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), help="A folder.")
@click.option("--zip", "archive", type=click.Path(path_type=Path, dir_okay=False))
@click.pass_obj
def export(settings: Settings, prefix: str, out: Path | None, archive: Path | None) -> None:
    """Write one XML file per record, into a folder (--out) or a ZIP archive (--zip)."""
    from navette.exporting import export_to_folder, export_to_zip

    if (out is None) == (archive is None):
        raise click.UsageError("give exactly one of --out DIR and --zip FILE")
    sessions = _sessions(settings)
    if out is not None:
        count = export_to_folder(sessions, prefix, out)
    else:
        count = export_to_zip(sessions, prefix, archive)
    click.echo(f"{count} {prefix} records written to {out or archive}")


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--schema",
    default="auto",
    show_default=True,
    type=click.Choice(["auto", "oai_dc", "ebucore", "oai-pmh", "native"]),
    help="auto: chosen from each document's root element (native files by their suffix).",
)
@click.option(
    "--format",
    "output",
    default="text",
    show_default=True,
    type=click.Choice(["text", "json", "junit"]),
)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Processes checking documents in parallel.",
)
def validate(paths: tuple[Path, ...], schema: str, output: str, workers: int) -> None:
    """Check files, folders, ZIP archives and OAI-PMH dumps against the official schemas."""
    from navette.validating import (
        json_report,
        junit_report,
        summarise,
        text_report,
        validate_paths,
    )
    from schemas.registry import SchemasMissing, schema_dir

    missing = [p for p in paths if not p.exists()]
    if missing:
        click.echo(f"error: {missing[0]}: no such file or folder", err=True)
        sys.exit(EXIT_UNUSABLE)
    try:
        schema_dir()
        outcomes = []
        with _progress(err_tty=True) as advance:
            for outcome in validate_paths(paths, schema, workers):
                outcomes.append(outcome)
                advance()
    except SchemasMissing as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_UNUSABLE)
    summary = summarise(outcomes)
    if output == "json":
        click.echo(json_report(outcomes, summary))
    elif output == "junit":
        click.echo(junit_report(outcomes, summary), nl=False)
    else:
        text_report(outcomes, summary, click.echo)
    sys.exit(EXIT_REJECTS if summary.invalid else EXIT_OK)


class _progress:
    """A record counter on a terminal (stderr), nothing otherwise."""

    def __init__(self, err_tty: bool) -> None:
        self.bar = None
        if err_tty and sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(unit="doc", file=sys.stderr, desc="validating")

    def __enter__(self):
        return self.bar.update if self.bar is not None else (lambda: None)

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.close()


@main.group()
def admin() -> None:
    """The admin pages' credentials."""


@admin.command("hash-password")
@click.password_option()
def admin_hash_password(password: str) -> None:
    """Print the hash to put in NAVETTE_ADMIN_PASSWORD_HASH."""
    from werkzeug.security import generate_password_hash

    click.echo(generate_password_hash(password))


@main.command("check")
@click.argument("url")
@click.option(
    "--max-pages",
    default=200,
    show_default=True,
    type=click.IntRange(1),
    help="How many pages of a list to follow to its end.",
)
def check_endpoint(url: str, max_pages: int) -> None:
    """Probe an OAI-PMH endpoint for conformance; exit 1 on any failed check."""
    from harvester.conformance import check
    from schemas.registry import SchemasMissing, schema_dir

    if not url.startswith(("http://", "https://")):
        raise click.UsageError(f"{url!r} is not an http(s) URL")
    try:
        schema_dir()
    except SchemasMissing as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_UNUSABLE)
    sys.exit(EXIT_OK if check(url, click.echo, max_pages) else EXIT_REJECTS)


@main.group()
def schemas() -> None:
    """The official XSDs that validation reads (never from the network)."""


@schemas.command("fetch")
@click.option("--to", "destination", type=click.Path(path_type=Path, file_okay=False))
def schemas_fetch(destination: Path | None) -> None:
    """Download the official XSDs once into the user cache (or --to DIR)."""
    import requests

    from schemas.registry import cache_dir, fetch

    try:
        written = fetch(destination)
    except (requests.RequestException, RuntimeError) as error:
        click.echo(f"error: could not fetch the schemas: {error}", err=True)
        sys.exit(EXIT_UNUSABLE)
    click.echo(f"{len(written)} schema files written to {destination or cache_dir()}")


@schemas.command("path")
def schemas_path() -> None:
    """Print the folder the schemas are read from, or how to get them."""
    from schemas.registry import SchemasMissing, schema_dir

    try:
        click.echo(schema_dir())
    except SchemasMissing as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_UNUSABLE)


# --- partner archives -------------------------------------------------------------


@main.group()
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
@click.pass_obj
def sources_add(settings, name, url, prefixes, sets, schedule, delete_threshold) -> None:
    """Add a partner's OAI-PMH endpoint as a source."""
    from harvester import dates, state

    with _sessions(settings).begin() as session:
        try:
            state.add_source(
                session,
                name,
                url,
                list(prefixes),
                list(sets),
                schedule,
                dates.utc_now(),
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

    with _sessions(settings)() as session:
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
    from navette.harvesting import describe

    with _sessions(settings)() as session:
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

    with _sessions(settings).begin() as session:
        try:
            session.delete(state.get_source(session, name))
        except state.SourceError as error:
            raise click.UsageError(str(error)) from error
    click.echo(f"source {name} removed")


@main.command()
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

    from catalogue.tables import SourceRow
    from harvester import dates, state
    from harvester.sync import SourceBusy
    from navette.harvesting import describe, exit_status, harvest_source

    if bool(target) == everything:
        raise click.UsageError("give a source NAME or URL, or --all")
    sessions = _sessions(settings)
    names = []
    with sessions.begin() as session:
        if everything:
            names = [row.name for row in state.list_sources(session)]
        elif target.startswith(("http://", "https://")):
            name = urlparse(target).netloc.replace(":", "-")
            if session.get(SourceRow, name) is None:
                state.add_source(
                    session, name, target, list(prefixes), list(sets), None, dates.utc_now()
                )
            names = [name]
        else:
            try:
                names = [state.get_source(session, target).name]
            except state.SourceError as error:
                raise click.UsageError(str(error)) from error
    worst = EXIT_OK
    for name in names:
        try:
            run = harvest_source(sessions, name, reconcile=reconcile)
        except SourceBusy as error:
            click.echo(f"error: {error}", err=True)
            worst = EXIT_UNUSABLE
            continue
        click.echo(describe(run))
        worst = max(worst, exit_status(run))
    sys.exit(worst)


@main.command()
@click.option("--once", is_flag=True, help="Run what is due, then stop.")
@click.option("--interval", default=30.0, show_default=True, help="Seconds between looks.")
@click.pass_obj
def worker(settings: Settings, once: bool, interval: float) -> None:
    """Run the scheduled harvests; several workers share the sources safely."""
    import logging

    from navette.harvesting import work

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    done = work(_sessions(settings), once=once, interval=interval)
    click.echo(f"{done} harvests run")


@main.group()
def quarantine() -> None:
    """Harvested records that could not go in."""


@quarantine.command("list")
@click.option("--source")
@click.pass_obj
def quarantine_list(settings: Settings, source: str | None) -> None:
    from harvester import state

    with _sessions(settings)() as session:
        for item in state.quarantined(session, source):
            click.echo(f"{item.id}\t{item.source}\t{item.identifier}\t{item.reason}")


@quarantine.command("show")
@click.argument("number", type=int)
@click.pass_obj
def quarantine_show(settings: Settings, number: int) -> None:
    from catalogue.tables import QuarantinedRecord

    with _sessions(settings)() as session:
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

    outcomes = retry(_sessions(settings), list(numbers) or None if not everything else None)
    failed = 0
    for number, problem in outcomes:
        click.echo(f"{number}: {'stored' if problem is None else problem}")
        failed += problem is not None
    sys.exit(EXIT_REJECTS if failed else EXIT_OK)


@main.group()
def deletions() -> None:
    """Deletions held because they would take too much of a source."""


@deletions.command("list")
@click.pass_obj
def deletions_list(settings: Settings) -> None:
    from harvester import state

    with _sessions(settings)() as session:
        for held in state.held_deletions(session):
            click.echo(f"{held.id}\t{held.source}\t{len(held.identifiers)} records\t{held.reason}")


@deletions.command("approve")
@click.argument("number", type=int)
@click.pass_obj
def deletions_approve(settings: Settings, number: int) -> None:
    from harvester import dates, state
    from harvester.sync import approve

    try:
        count = approve(_sessions(settings), number, dates.utc_now())
    except state.SourceError as error:
        raise click.UsageError(str(error)) from error
    click.echo(f"{count} records deleted")


@deletions.command("reject")
@click.argument("number", type=int)
@click.pass_obj
def deletions_reject(settings: Settings, number: int) -> None:
    from harvester import state
    from harvester.sync import reject

    try:
        reject(_sessions(settings), number)
    except state.SourceError as error:
        raise click.UsageError(str(error)) from error
    click.echo("deletions rejected; the records stay")


# --- serving ----------------------------------------------------------------------


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64))
@click.option("--demo", "load_demo", is_flag=True, help="Load the demo catalogue if empty.")
@click.pass_obj
def serve(settings: Settings, host: str, port: int, workers: int, load_demo: bool) -> None:
    """Serve the OAI-PMH endpoint (at /oai) with gunicorn."""
    from navette import demo as demo_catalogue
    from navette.server import run

    sessions = _sessions(settings)
    if load_demo and demo_catalogue.is_empty(sessions):
        _print_report(demo_catalogue.load(sessions))
    sessions.kw["bind"].dispose()
    click.echo(f"serving the OAI-PMH endpoint at http://{host}:{port}/oai", err=True)
    run(settings, host, port, workers)


if __name__ == "__main__":
    main()
