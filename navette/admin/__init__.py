"""The admin pages: sources and their runs, quarantine, held deletions, validation of
what we publish, and a record's data sheet with its renderings.

Server-rendered, usable without JavaScript.  Every page needs the admin login (a
password hash from configuration) or the API token; every action is a POST carrying
the session's CSRF token.  The OAI endpoint stays public and read-only.
"""

from __future__ import annotations

from navette.admin import (  # noqa: F401  (their routes join the blueprint)
    run_views,
    source_views,
    usage_views,
)
from navette.admin.views import blueprint

__all__ = ["blueprint"]
