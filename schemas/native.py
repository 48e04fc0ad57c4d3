"""Validation of native catalogue records against ``native-record.schema.json``."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

SCHEMA_PATH = Path(__file__).with_name("native-record.schema.json")


@lru_cache(maxsize=1)
def validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def problems(data: Any) -> list[str]:
    """Why ``data`` is not a valid native record, one sentence each; empty when valid."""
    found = []
    for error in sorted(validator().iter_errors(data), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(p) for p in error.absolute_path) or "record"
        found.append(f"{where}: {error.message}")
    return found
