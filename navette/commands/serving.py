"""Commands that run the service: serve, and the admin pages' credentials."""

from __future__ import annotations

import sys

import click

from navette.commands.catalogue import print_report
from navette.commands.common import EXIT_UNUSABLE, open_sessions
from navette.config import Settings


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64))
@click.option(
    "--demo",
    "load_demo",
    is_flag=True,
    help="Load the demo catalogue if empty, published with this address and an In Copyright "
    "rights statement (unless NAVETTE_PUBLIC_URL or NAVETTE_DEFAULT_RIGHTS say otherwise), "
    "so that every format holds it.",
)
@click.pass_obj
def serve(settings: Settings, host: str, port: int, workers: int, load_demo: bool) -> None:
    """Serve the OAI-PMH endpoint (at /oai) and the admin pages, with waitress."""
    from navette import demo as demo_catalogue
    from navette.server import run

    sessions = open_sessions(settings)
    if load_demo and settings.default_rights is None:
        # The demo's records are all "© CNRS Images": served in every format, EDM included.
        settings.default_rights = demo_catalogue.RIGHTS
        click.echo(
            f"demo: records without a rights statement URI are published as "
            f"{demo_catalogue.RIGHTS} (NAVETTE_DEFAULT_RIGHTS chooses another)",
            err=True,
        )
    if load_demo and demo_catalogue.is_empty(sessions):
        site = f"http://{host}:{port}"
        print_report(demo_catalogue.load(sessions, settings.publication(fallback_site=site)))
    sessions.kw["bind"].dispose()
    click.echo(f"serving the OAI-PMH endpoint at http://{host}:{port}/oai", err=True)
    if settings.read_ahead is None:
        # One process answers every request: a page read ahead is always the one asked for.
        settings.read_ahead = True
    run(settings, host, port, workers)


@click.group()
def admin() -> None:
    """The admin pages' credentials."""


@admin.command("hash-password")
def admin_hash_password() -> None:
    """Print the hash to put in NAVETTE_ADMIN_PASSWORD_HASH.

    On a terminal the password is asked twice, hidden; from a pipe
    (`printf %s "$PASSWORD" | navette admin hash-password`) its first line is read.
    """
    import sys

    from werkzeug.security import generate_password_hash

    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise click.UsageError("the password is empty")
    click.echo(generate_password_hash(password))


#: The top-level commands of this module, registered on ``navette`` by navette.cli.
@click.command()
@click.option(
    "--format",
    "prefixes",
    multiple=True,
    help="A metadata format to dump (repeatable); every served one by default.",
)
@click.option("--if-stale", is_flag=True, help="Only the dumps older than the catalogue.")
@click.pass_obj
def dump(settings: Settings, prefixes: tuple[str, ...], if_stale: bool) -> None:
    """Write the ResourceSync Resource Dumps: one ZIP of every record per format, in
    NAVETTE_DUMP_DIR, offered at /resourcesync/<format>/resourcedump.xml."""
    from resourcesync.refresh import NoPublicAddress, make_dumps

    unknown = sorted(set(prefixes) - set(settings.served_formats()))
    if unknown:
        served = ", ".join(settings.served_formats())
        click.echo(f"error: {', '.join(unknown)} is not a format served here ({served})", err=True)
        sys.exit(EXIT_UNUSABLE)
    try:
        made = make_dumps(settings, open_sessions(settings), prefixes or None, if_stale)
    except (NoPublicAddress, OSError) as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_UNUSABLE)
    for written in made:
        click.echo(
            f"{written.prefix}: {written.resources} resources in "
            f"{len(written.packages)} package(s) in {written.folder}"
        )
    if not made:
        click.echo("every dump is as new as the catalogue")


COMMANDS = [serve, admin, dump]
