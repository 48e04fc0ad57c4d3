"""A laboratory as one line of text: 'LESIA (UMR8109)', or its code alone.

Simple Dublin Core, MARC's 500 note and MODS's laboratory note can only hold text;
written this way they keep the name a source gave beside the code that identifies
the laboratory, and reading the line back gives both.
"""

from __future__ import annotations

import re

from catalogue.model import Record

_NAMED = re.compile(r"^(?P<name>.*\S)\s*\((?P<code>[^()]+)\)$")


def format_laboratory(code: str, name: str | None) -> str:
    return f"{name} ({code})" if name else code


def laboratory_lines(record: Record) -> list[str]:
    """Each of the record's laboratories as a line, in the record's order."""
    return [
        format_laboratory(code, record.laboratory_names.get(code)) for code in record.laboratories
    ]


def parse_laboratory(text: str) -> tuple[str, str | None]:
    """(code, name) of a line; a line without a trailing '(CODE)' is a code alone."""
    text = text.strip()
    match = _NAMED.match(text)
    if match is None:
        return text, None
    return match["code"].strip(), match["name"].strip()
