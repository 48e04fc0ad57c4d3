"""What every command shares: exit statuses and the way to the store.

Exit statuses follow one rule everywhere: 0 when everything went through, 1 when
the command finished but some input was rejected or invalid, 2 when the
arguments (or the machine) made the command unusable.  A harvest adds 3: it finished,
but held its deletions for an admin (``navette deletions list``).
"""

from __future__ import annotations

from navette.config import Settings

EXIT_OK, EXIT_REJECTS, EXIT_UNUSABLE, EXIT_HELD = 0, 1, 2, 3


def open_sessions(settings: Settings):
    """A session factory on the configured store, its schema brought up to date."""
    from catalogue.database import open_store

    return open_store(settings.database_url)
