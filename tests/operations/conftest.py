"""The admin tests' store (a source, a run, a quarantined record, held deletions)."""

from tests.admin.conftest import app, prepared_store, store_url  # noqa: F401
