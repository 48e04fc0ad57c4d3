"""Why a native record is refused, in words a cataloguer can act on: a value that fails
one of the schema's patterns is told what the field takes, not the regular expression."""

from __future__ import annotations

import json

from schemas import native


def _patterns(schema) -> list[dict]:
    """Every subschema of ``schema`` that holds a pattern."""
    found = []
    if isinstance(schema, dict):
        if "pattern" in schema:
            found.append(schema)
        for value in schema.values():
            found += _patterns(value)
    elif isinstance(schema, list):
        for value in schema:
            found += _patterns(value)
    return found


def test_a_language_tag_with_an_underscore_is_refused_saying_how_to_write_it(seed_data):
    seed_data["titles"][0]["lang"] = "en_GB"
    assert native.problems(seed_data) == [
        "titles/0/lang: 'en_GB' is not a language tag as XML takes it: letters, then parts "
        "joined by hyphens, such as 'en' or 'en-GB'; write 'en-GB'"
    ]


def test_a_value_no_hyphen_would_mend_is_refused_without_a_suggestion(seed_data):
    seed_data["landing_page"] = "www.example.org/films/mars express"
    assert native.problems(seed_data) == [
        "landing_page: 'www.example.org/films/mars express' is not a web address: http:// "
        "or https://, then no space"
    ]


def test_every_pattern_of_the_native_schema_says_in_words_what_it_takes():
    schema = json.loads(native.SCHEMA_PATH.read_text(encoding="utf-8"))
    patterns = _patterns(schema)
    assert patterns
    assert [p["pattern"] for p in patterns if not p.get("errorMessage")] == []


def test_other_problems_keep_the_validators_wording(seed_data):
    seed_data["colour"] = "yes"
    assert native.problems(seed_data) == ["colour: 'yes' is not of type 'boolean'"]
