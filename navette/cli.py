"""The ``navette`` command line: the group, and every command registered on it.

Each concern keeps its commands in a module of ``navette.commands`` (exit statuses in
``navette.commands.common``); they are registered here, explicitly.
"""

from __future__ import annotations

import click

from navette.commands import catalogue, harvesting, serving, sources, validation
from navette.config import Settings
from schemas import registry


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="navette")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Navette: catalogue of record, crosswalks and OAI-PMH for audiovisual archives."""
    try:
        ctx.obj = Settings.from_env()
    except ValueError as error:
        raise click.UsageError(str(error)) from error
    registry.configure(ctx.obj.schema_location())


for module in (catalogue, harvesting, serving, sources, validation):
    for command in module.COMMANDS:
        main.add_command(command)


if __name__ == "__main__":
    main()
