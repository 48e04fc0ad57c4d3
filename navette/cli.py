"""The ``navette`` command line.

Exit statuses follow one rule everywhere: 0 when everything went through, 1 when
the command finished but some input was rejected or invalid, 2 when the
arguments (or the machine) made the command unusable.
"""

from __future__ import annotations

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


# The commands, each group in the module of its concern, register on ``main`` when imported.
from navette.commands import catalogue, harvesting, serving, validation  # noqa: E402, F401
