"""What a benchmark sets up as ``navette`` would from its settings: the schema folder."""

from __future__ import annotations

import os
from pathlib import Path

from navette.config import Settings
from schemas import registry

SHARED_SCHEMAS = Path(__file__).resolve().parent.parent.parent / "shared" / "schemas"


def configure_schemas() -> None:
    """The XSDs of NAVETTE_SCHEMA_DIR, else those of ../shared/schemas; for child
    processes too (they inherit the environment)."""
    os.environ.setdefault("NAVETTE_SCHEMA_DIR", str(SHARED_SCHEMAS))
    registry.configure(Settings.from_env().schema_location())
