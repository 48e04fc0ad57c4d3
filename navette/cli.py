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
    type=click.Choice(["auto", "oai_dc", "ebucore", "oai-pmh"]),
)
def validate(paths: tuple[Path, ...], schema: str) -> None:
    """Check XML files, folders and ZIP archives against the official XSDs."""
    from navette.validating import validate_paths
    from schemas.registry import SchemasMissing

    missing = [p for p in paths if not p.exists()]
    if missing:
        click.echo(f"error: {missing[0]}: no such file or folder", err=True)
        sys.exit(EXIT_UNUSABLE)
    valid = invalid = 0
    try:
        for outcome in validate_paths(paths, schema):
            if outcome.valid:
                valid += 1
                continue
            invalid += 1
            for problem in outcome.problems:
                click.echo(f"{outcome.name}: {outcome.schema or '?'}: {problem}")
    except SchemasMissing as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_UNUSABLE)
    click.echo(f"{valid + invalid} documents: {valid} valid, {invalid} invalid")
    sys.exit(EXIT_REJECTS if invalid else EXIT_OK)


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
