"""Validation of native catalogue records against ``native-record.schema.json``.

fastjsonschema (the schema compiled to Python) answers valid-or-not for bulk
imports; jsonschema only runs on the records that fail, to name every problem.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import fastjsonschema
from jsonschema import Draft7Validator, ValidationError

SCHEMA_PATH = Path(__file__).with_name("native-record.schema.json")


@lru_cache(maxsize=1)
def _schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def validator() -> Draft7Validator:
    Draft7Validator.check_schema(_schema())
    return Draft7Validator(_schema())


@lru_cache(maxsize=1)
def _fast():
    return fastjsonschema.compile(_schema())


def problems(data: Any) -> list[str]:
    """Why ``data`` is not a valid native record, one sentence each; empty when valid."""
    try:
        _fast()(data)
        return []
    except fastjsonschema.JsonSchemaException:
        pass
    found = []
    for error in sorted(validator().iter_errors(data), key=lambda e: list(e.absolute_path)):
        where = "/".join(str(p) for p in error.absolute_path) or "record"
        found.append(f"{where}: {_in_words(error)}")
    return found


def _in_words(error: ValidationError) -> str:
    """The problem as a cataloguer can act on it: a value that fails a pattern is told
    what the field takes (the schema's ``errorMessage`` beside the pattern), not the
    regular expression, with the value it likely meant where underscores stand for
    hyphens ('en_GB' for 'en-GB')."""
    meaning = error.schema.get("errorMessage") if isinstance(error.schema, dict) else None
    if error.validator != "pattern" or meaning is None:
        return error.message
    said = f"{error.instance!r} {meaning}"
    hyphenated = error.instance.replace("_", "-")
    if hyphenated != error.instance and re.search(error.validator_value, hyphenated):
        said += f"; write {hyphenated!r}"
    return said
