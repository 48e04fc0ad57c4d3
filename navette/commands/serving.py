"""Commands that run the service: serve, and the admin pages' credentials."""

from __future__ import annotations

import click

from navette.commands.catalogue import print_report
from navette.commands.common import open_sessions
from navette.config import Settings


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64))
@click.option("--demo", "load_demo", is_flag=True, help="Load the demo catalogue if empty.")
@click.pass_obj
def serve(settings: Settings, host: str, port: int, workers: int, load_demo: bool) -> None:
    """Serve the OAI-PMH endpoint (at /oai) and the admin pages, with waitress."""
    from navette import demo as demo_catalogue
    from navette.server import run

    sessions = open_sessions(settings)
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
COMMANDS = [serve, admin]
