"""Commands on the store of record: schema, import, deletion, demo catalogue."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from navette.commands.common import EXIT_OK, EXIT_REJECTS, EXIT_UNUSABLE, open_sessions
from navette.config import Settings
from navette.progress import TerminalCount

if TYPE_CHECKING:
    from ingest.importing import Report


@click.group()
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


@db.command("compact")
@click.pass_obj
def db_compact(settings: Settings) -> None:
    """Rewrite the store's tables whole: the room of deleted and shrunk rows given back,
    SQLite's file in pages of 64 kB.  Stop the service first; it needs as much free
    disk as the store takes."""
    from catalogue.database import StoreInUse, compact_all, make_engine, page_size, upgrade

    engine = make_engine(settings.database_url)
    upgrade(engine)
    try:
        compact_all(engine)
    except StoreInUse as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_UNUSABLE)
    size = page_size(engine)
    click.echo("store compacted" + (f" (pages of {size} bytes)" if size else ""))
    engine.dispose()


# --- import, demo -----------------------------------------------------------------


def print_report(report: Report, dry_run: bool = False) -> int:
    for notice in report.notices:
        click.echo(f"notice: {notice}", err=True)
    for location, warning in report.warnings:
        click.echo(f"{location}: warning: {warning}", err=True)
    for rejected in report.rejected:
        click.echo(f"{rejected.location}: rejected: {rejected.reason}", err=True)
    for prefix, count in sorted(report.withheld.items()):
        click.echo(
            f"notice: {count} record(s) not offered in {prefix}: "
            f"{report.withheld_reasons[prefix]} (the first; the admin record page says each)",
            err=True,
        )
    counts = report.counts
    if dry_run:
        click.echo(f"{counts['valid']} valid, {len(report.rejected)} rejected (dry run)")
    else:
        click.echo(
            f"{counts['new']} new, {counts['updated']} updated, "
            f"{counts['unchanged']} unchanged, {counts['deleted']} deleted, "
            f"{len(report.rejected)} rejected"
            + (f", {counts['kept']} kept (simple DC over richer records)" if counts["kept"] else "")
        )
    return EXIT_OK if report.ok else EXIT_REJECTS


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Validate everything, write nothing.")
@click.option(
    "--replace",
    is_flag=True,
    help="Let simple DC overwrite records that hold more than DC can say (refused otherwise).",
)
@click.pass_obj
def import_command(
    settings: Settings, paths: tuple[Path, ...], dry_run: bool, replace: bool
) -> None:
    """Import native JSON Lines / CSV, EBUCore or oai_dc XML files, folders and ZIP archives.

    \b
    Formats, by the file's suffix:
      .jsonl .ndjson .json   native records (docs/native-format.md), one per line
      .csv                   native records, one per row, a header naming the columns
      .xml                   EBUCore (any ebuCore_YYYY namespace), oai_dc, or an
                             OAI-PMH response holding either (deletions applied)
      .zip, folders          every file above inside them
    \b
    CSV columns (docs/native-format.md): identifier; texts, as FIELD@LANG or FIELD:
      titles, alternative_titles, series, abstracts, descriptions, dates, process,
      notes, rights, subjects, identifiers, relations, coverage, formats; duration
      (HH:MM:SS or seconds), production_year, resource_type (a DCMI type; left out:
      MovingImage), definition, aspect_ratio, colour and sound (yes/no),
      original_support, delivery_support,
      distribution_restriction, item_number, landing_page, source_archive; lists
      separated by " | ": laboratories, audiences, languages, sets, object_types,
      credits ("Role: FAMILY, Given (Affiliation)"), keyframes ("HH:MM:SS https://...").
    \b
    Exit status: 0 every record went in (or was unchanged), 1 some were rejected
    (each listed with its file, line and reason), 2 unusable arguments.
    """
    from ingest.importing import import_paths
    from ingest.readers import UnusableInput, check_paths

    try:
        check_paths(paths)
    except UnusableInput as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_UNUSABLE)
    sessions = None if dry_run else open_sessions(settings)
    with TerminalCount("checking" if dry_run else "importing", "rec") as progress:
        report = import_paths(
            sessions,
            paths,
            dry_run=dry_run,
            replace=replace,
            publication=settings.publication(),
            progress=lambda report: progress.to(sum(report.counts.values()) + len(report.rejected)),
        )
    sys.exit(print_report(report, dry_run))


@click.command()
@click.argument("identifiers", nargs=-1, required=True)
@click.pass_obj
def delete(settings: Settings, identifiers: tuple[str, ...]) -> None:
    """Delete records (local identifiers); each keeps a tombstone that OAI-PMH serves."""
    from catalogue import store

    unknown = []
    with open_sessions(settings).begin() as session:
        for identifier in identifiers:
            if not store.delete_record(session, identifier):
                unknown.append(identifier)
    for identifier in unknown:
        hint = ""
        if identifier.startswith("oai:") and identifier.count(":") >= 2:
            local = identifier.split(":", 2)[2]
            hint = f" (an OAI identifier? give the local one: navette delete {local})"
        click.echo(f"{identifier}: no such live record{hint}", err=True)
    click.echo(f"{len(identifiers) - len(unknown)} deleted")
    sys.exit(EXIT_REJECTS if unknown else EXIT_OK)


@click.command()
@click.option("--if-empty", is_flag=True, help="Load only into an empty catalogue.")
@click.pass_obj
def demo(settings: Settings, if_empty: bool) -> None:
    """Load the demo catalogue (the Mars Express record and 220 generated films)."""
    from navette import demo as demo_catalogue

    sessions = open_sessions(settings)
    if if_empty and not demo_catalogue.is_empty(sessions):
        click.echo("the catalogue is not empty; demo not loaded")
        return
    publication = demo_catalogue.published(settings.publication())
    sys.exit(print_report(demo_catalogue.load(sessions, publication)))


@click.group()
def sets() -> None:
    """The OAI sets and the names ListSets gives them."""


@sets.command("list")
@click.pass_obj
def sets_list(settings: Settings) -> None:
    """Every set: spec, name, description."""
    from sqlalchemy import select

    from catalogue.tables import SetRow

    with open_sessions(settings)() as session:
        for row in session.scalars(select(SetRow).order_by(SetRow.spec)):
            click.echo(f"{row.spec}\t{row.name}\t{row.description or ''}")


@sets.command("name")
@click.argument("spec")
@click.argument("name")
@click.option("--description", help="A sentence for the set's setDescription.")
@click.pass_obj
def sets_name(settings: Settings, spec: str, name: str, description: str | None) -> None:
    """Name a set (and describe it); later imports and harvests keep the name."""
    from catalogue.sets import UnknownSet, name_set

    try:
        with open_sessions(settings).begin() as session:
            name_set(session, spec, name, description)
    except (UnknownSet, ValueError) as error:
        raise click.UsageError(str(error)) from error
    click.echo(f"set {spec} is named {name!r}")


#: The top-level commands of this module, registered on ``navette`` by navette.cli.
@click.command("render")
@click.pass_obj
def render(settings: Settings) -> None:
    """Render stored records again where their renderings are stale: after an upgrade that
    adds a format or changes a crosswalk, or a change of NAVETTE_PUBLIC_URL or
    NAVETTE_DEFAULT_RIGHTS. Records whose renderings come out the same keep their datestamp.

    Exit codes: 0 done; 1 some records could not be rendered validly (left as they were)."""
    from navette.rendering import render_stored

    counts = render_stored(open_sessions(settings), settings.publication())
    click.echo(
        f"{counts['updated']} updated, {counts['unchanged']} unchanged, "
        f"{counts['current']} already current, {counts['refused']} refused"
    )
    sys.exit(EXIT_REJECTS if counts["refused"] else EXIT_OK)


COMMANDS = [db, import_command, delete, demo, sets, render]
