"""Commands that check what we publish and what others serve: export, validate, check, schemas."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from mappings.formats import FORMATS
from navette.commands.common import EXIT_OK, EXIT_REJECTS, EXIT_UNUSABLE, open_sessions
from navette.config import Settings
from navette.progress import TerminalCount
from schemas.profiles import PROFILES
from schemas.schematron import SchematronUnavailable
from schemas.validators import COMPONENTS


@click.command()
@click.option("--prefix", required=True, type=click.Choice(sorted(FORMATS)))
@click.option("--out", type=click.Path(path_type=Path, file_okay=False), help="A folder.")
@click.option("--zip", "archive", type=click.Path(path_type=Path, dir_okay=False))
@click.pass_obj
def export(settings: Settings, prefix: str, out: Path | None, archive: Path | None) -> None:
    """Write one XML file per record, into a folder (--out) or a ZIP archive (--zip).

    Exit status: 0 records written; 1 the format holds no record (the warning says why)."""
    from navette.exporting import export_to_folder, export_to_zip

    if (out is None) == (archive is None):
        raise click.UsageError("give exactly one of --out DIR and --zip FILE")
    sessions = open_sessions(settings)
    if out is not None:
        count = export_to_folder(sessions, prefix, out)
    else:
        count = export_to_zip(sessions, prefix, archive)
    click.echo(f"{count} {prefix} records written to {out or archive}")
    if count == 0:
        from checks.holdings import holdings, said

        with sessions() as session:
            (held,) = [h for h in holdings(session, settings.publication()) if h.prefix == prefix]
        click.echo(f"warning: nothing exported: {said(held)}", err=True)
        sys.exit(EXIT_REJECTS)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--schema",
    default="auto",
    show_default=True,
    type=click.Choice(["auto", *sorted(COMPONENTS), "native"]),
    help="auto: chosen from each document's root element (native files by their suffix).",
)
@click.option(
    "--profile",
    type=click.Choice(sorted(PROFILES)),
    help="Check documents as their aggregator does: europeana = EDM XSD + Europeana's "
    "Schematron; marc = MARCXML XSD; mods = MODS 3.8 XSD. Other documents are reported.",
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
def validate(
    paths: tuple[Path, ...], schema: str, profile: str | None, output: str, workers: int
) -> None:
    """Check files, folders, ZIP archives and OAI-PMH dumps against the official schemas."""
    from checks.files import (
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
        with TerminalCount("validating", "doc") as progress:
            for outcome in validate_paths(paths, schema, workers, profile):
                outcomes.append(outcome)
                progress.add()
    except (SchemasMissing, SchematronUnavailable) as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_UNUSABLE)
    summary = summarise(outcomes)
    if not summary.documents:
        where = ", ".join(str(p) for p in paths)
        click.echo(f"error: nothing to check: no XML document found in {where}", err=True)
        sys.exit(EXIT_UNUSABLE)
    if output == "json":
        click.echo(json_report(outcomes, summary))
    elif output == "junit":
        click.echo(junit_report(outcomes, summary), nl=False)
    else:
        text_report(outcomes, summary, click.echo)
    sys.exit(EXIT_REJECTS if summary.invalid else EXIT_OK)


@click.command("check")
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
    from checks.endpoint import check
    from schemas.registry import SchemasMissing, schema_dir

    if not url.startswith(("http://", "https://")):
        raise click.UsageError(f"{url!r} is not an http(s) URL")
    try:
        schema_dir()
        schemas = True
    except SchemasMissing as error:
        click.echo(f"note: {error}; the schema checks are skipped", err=True)
        schemas = False
    sys.exit(EXIT_OK if check(url, click.echo, max_pages, schemas) else EXIT_REJECTS)


@click.group()
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
        from protocol.failures import in_words

        click.echo(f"error: could not fetch the schemas: {in_words(error)}", err=True)
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


#: The top-level commands of this module, registered on ``navette`` by navette.cli.
COMMANDS = [export, validate, check_endpoint, schemas]
