"""Commands on sources, the partner archives Navette harvests: add, list, show, edit,
pause, resume, remove, unlock.  What they do is ``harvester.controls``'s, shared with the
admin pages; each says in a sentence what it did, and exits non-zero when it cannot."""

from __future__ import annotations

import click

from navette.commands.common import open_sessions
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
@click.option(
    "--protocol",
    type=click.Choice(["oai-pmh", "resourcesync"]),
    default="oai-pmh",
    show_default=True,
    help="resourcesync: URL is a ResourceSync Capability List, harvested through its "
    "Resource List, then its Change List.",
)
@click.pass_obj
def sources_add(
    settings, name, url, prefixes, sets, schedule, delete_threshold, unchecked, protocol
) -> None:
    """Add a partner's OAI-PMH endpoint (or ResourceSync Capability List) as a source,
    asked first whether it answers."""
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
                once = Fetcher(
                    replace(fetcher.policy, attempts=1), limits=fetcher.limits, reach=fetcher.reach
                )
                probe(once, url, list(prefixes), protocol)
            state.add_source(
                session,
                name,
                url,
                list(prefixes),
                list(sets),
                schedule,
                utc_now(),
                delete_threshold,
                protocol,
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


def _source_error(action):
    """Run ``action(session)`` in a transaction; a SourceError is a usage error (exit 2)."""
    from harvester import state

    def run(settings: Settings):
        try:
            with open_sessions(settings).begin() as session:
                return action(session)
        except state.SourceError as error:
            raise click.UsageError(str(error)) from error

    return run


#: What ``sources show`` prints, and how a value is written ("-" for none).
_SHOWN = (
    ("name", "name"), ("URL", "base_url"), ("protocol", "protocol"), ("prefixes", "prefixes"),
    ("sets", "sets"),
    ("schedule", "schedule"), ("paused", "paused"), ("next run", "next_run"),
    ("harvest asked for", "requested_at"), ("granularity", "granularity"),
    ("deleted records", "deleted_policy"), ("harvested until", "harvested_until"),
    ("status", "status"), ("message", "message"), ("delete threshold", "delete_threshold"),
)  # fmt: skip


def _shown(value) -> str:
    from datetime import datetime

    if value is None or value == [] or value == "":
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M:%S} UTC"
    if isinstance(value, float):
        return f"{value:.0%}"
    if isinstance(value, list):
        return ", ".join(value)
    return str(value)


@sources.command("show")
@click.argument("name")
@click.pass_obj
def sources_show(settings: Settings, name: str) -> None:
    """One source, where its next harvest resumes, and its last runs."""
    from harvester import state
    from harvester.reports import describe

    def show(session):
        row = state.get_source(session, name)
        for label, field in _SHOWN:
            click.echo(f"{label}: {_shown(getattr(row, field))}")
        if row.checkpoint:
            counts = row.checkpoint.get("counts") or {}
            done = ", ".join(f"{k} {v}" for k, v in counts.items() if v) or "nothing yet"
            click.echo(f"interrupted harvest to resume: {done}")
        for run in state.runs(session, name, limit=5):
            click.echo(describe(run))

    _source_error(show)(settings)


@sources.command("edit")
@click.argument("name")
@click.option("--url", help="The endpoint's new base URL (the next harvest reads all again).")
@click.option("--prefix", "prefixes", multiple=True, help="Metadata prefix, richest first.")
@click.option("--any-prefix", is_flag=True, help="Let the partner's richest format be chosen.")
@click.option("--set", "sets", multiple=True, help="Harvest only these sets.")
@click.option("--all-sets", is_flag=True, help="Harvest the whole repository.")
@click.option("--schedule", help="Cron expression for `navette worker`, e.g. '0 3 * * *'.")
@click.option("--no-schedule", is_flag=True, help="Harvest on demand only.")
@click.option("--delete-threshold", type=float, help="Share a harvest may delete unapproved.")
@click.pass_obj
def sources_edit(settings, name, url, prefixes, any_prefix, sets, all_sets, schedule,
                 no_schedule, delete_threshold) -> None:  # fmt: skip
    """Change a source's URL, prefixes, sets, schedule or delete threshold."""
    from harvester import controls

    changes = controls.Changes(
        url=url,
        prefixes=[] if any_prefix else (list(prefixes) or None),
        sets=[] if all_sets else (list(sets) or None),
        schedule="" if no_schedule else schedule,
        threshold=delete_threshold,
    )
    said = _source_error(lambda session: controls.edit(session, name, changes, utc_now()))(settings)
    click.echo(f"source {name}: " + "; ".join(said) if said else f"source {name}: nothing changed")


@sources.command("pause")
@click.argument("name")
@click.pass_obj
def sources_pause(settings: Settings, name: str) -> None:
    """Leave a source alone: no worker harvests it until it is resumed."""
    from harvester import controls

    click.echo(_source_error(lambda session: controls.pause(session, name))(settings))


@sources.command("resume")
@click.argument("name")
@click.pass_obj
def sources_resume(settings: Settings, name: str) -> None:
    """Harvest a paused source again on its schedule."""
    from harvester import controls

    click.echo(_source_error(lambda session: controls.resume(session, name, utc_now()))(settings))


@sources.command("remove")
@click.argument("name")
@click.option("--keep-records", "records", flag_value="keep", help="Keep its records as they are.")
@click.option(
    "--delete-records",
    "records",
    flag_value="delete",
    help="Delete its records (harvesters of Navette see them go).",
)
@click.pass_obj
def sources_remove(settings: Settings, name: str, records: str | None) -> None:
    """Remove a source with its runs and quarantine, saying what becomes of its records."""
    from harvester import controls

    def remove(session):
        live = controls.live_records(session, name)
        if records is None and live:
            raise click.UsageError(
                f"{name} holds {live} live records: say what becomes of them, "
                "--keep-records or --delete-records"
            )
        return controls.remove(session, name, records or controls.KEEP, utc_now())

    click.echo(_source_error(remove)(settings))


COMMANDS = [sources]
