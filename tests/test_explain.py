"""Schema errors explained in words an admin understands."""

from __future__ import annotations

import pytest

from schemas.explain import explain, field_name

CORE = "/ebucore:ebuCoreMain/ebucore:coreMetadata"


@pytest.mark.parametrize(
    ("path", "reason", "message"),
    [
        (
            f"{CORE}/ebucore:format/ebucore:duration/ebucore:normalPlayTime",
            "'ten' is not an xs:duration value",
            "ebucore:duration/normalPlayTime is not an xs:duration ('ten')",
        ),
        (
            f"{CORE}/ebucore:format/ebucore:duration/ebucore:normalPlayTime",
            "Element '{urn:ebu:metadata-schema:ebucore}normalPlayTime': 'ten' is not a valid value "
            "of the atomic type 'xs:duration'.",
            "ebucore:duration/normalPlayTime is not an xs:duration ('ten')",
        ),
        (
            f"{CORE}/ebucore:date/ebucore:created",
            "attribute year='19': Invalid datetime string '19' for <class "
            "'elementpath.datatypes.datetime.GregorianYear10'>",
            "ebucore:date/created/@year is not an xs:gYear (a four-digit year) ('19')",
        ),
        (
            f"{CORE}/ebucore:title",
            "The content of element 'ebucore:title' is not complete. Tag 'dc:title' expected.",
            "ebucore:title lacks its required dc:title",
        ),
        (
            CORE,
            "Unexpected child with tag 'ebucore:nonsense' at position 2.",
            "ebucore:nonsense is not allowed in ebucore:coreMetadata",
        ),
        (
            f"{CORE}/ebucore:nonsense",
            "Unexpected child with tag 'ebucore:nonsense' at position 2.",
            "ebucore:nonsense is not allowed in ebucore:coreMetadata",
        ),
    ],
    ids=["duration", "duration-libxml", "year", "incomplete", "unexpected", "unexpected-child"],
)
def test_schema_errors_name_the_field_and_what_is_wrong(path, reason, message):
    assert explain(path, reason).message == message


def test_records_with_the_same_problem_share_a_kind():
    first = explain(
        f"{CORE}/ebucore:format[1]/ebucore:duration/ebucore:normalPlayTime",
        "'ten' is not an xs:duration value",
    )
    second = explain(
        f"{CORE}/ebucore:format[2]/ebucore:duration/ebucore:normalPlayTime",
        "'9 min' is not an xs:duration value",
    )
    assert first.kind == second.kind == "ebucore:duration/normalPlayTime is not an xs:duration"


def test_field_names_drop_positions_and_repeated_prefixes():
    assert field_name("/a:x/a:y[3]/b:z") == "a:y/b:z"
    assert field_name(None) == "the document"
