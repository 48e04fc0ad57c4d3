"""Making a record ready for the store: rendered in every format, each rendering checked.

Shared by every way a record comes in (file import, harvest, quarantine retry), so
the store never holds a rendering that does not validate against its XSD.
"""

from __future__ import annotations

from catalogue import codec, store
from catalogue.links import unsafe_links
from catalogue.model import IDENTIFIER_LENGTH, Record
from catalogue.sets import record_sets
from mappings.builder import parse_own
from mappings.ebucore_readings import understood
from mappings.formats import CROSSWALK_VERSION, FORMATS
from mappings.provenance import about_xml
from schemas import registry, validators


class RecordRefused(ValueError):
    """The record cannot be stored as it is; the message says why."""


class RenderingInvalid(RecordRefused):
    """A rendering of the record does not validate; the message says which and why."""


class UnsafeLink(RecordRefused):
    """A link of the record is not a web address (``javascript:``, ``data:`` ...)."""


def schemas_available() -> str | None:
    """None when the XSDs are here; otherwise the sentence saying how to get them."""
    try:
        registry.schema_dir()
    except registry.SchemasMissing as error:
        return str(error)
    return None


def fingerprint(data: dict) -> str:
    """The fingerprint of a record's JSON form under the current crosswalks."""
    return store.fingerprint(data, CROSSWALK_VERSION)


def prepare_if_changed(
    record: Record, check: bool, stored_fingerprint: str | None
) -> store.Written | None:
    """The record ready to store, or None when the fingerprint stored for it says that
    rendering it again would give the same renderings."""
    data = codec.to_dict(record)
    current = fingerprint(data)
    if current == stored_fingerprint:
        return None
    return prepare(record, check, current, data)


def prepare(
    record: Record,
    check: bool = True,
    known_fingerprint: str | None = None,
    data: dict | None = None,
) -> store.Written:
    """The record with its renderings (validated when ``check``) and its about XML."""
    if len(record.identifier) > IDENTIFIER_LENGTH:
        raise RecordRefused(
            f"its identifier is {len(record.identifier)} characters long; the catalogue "
            f"keeps identifiers of up to {IDENTIFIER_LENGTH}"
        )
    unsafe = unsafe_links(record)
    if unsafe:
        raise UnsafeLink("; ".join(unsafe))
    data = data or codec.to_dict(record)
    renderings = {}
    for prefix, metadata_format in FORMATS.items():
        text = metadata_format.write(record)
        try:
            element = parse_own(text)
        except ValueError as error:
            raise RenderingInvalid(f"its {prefix} rendering is {error}") from error
        if check:
            problems = validators.quick_problems(element, metadata_format.schema)
            if problems:
                raise RenderingInvalid(f"its {prefix} rendering is invalid: {problems[0]}")
        renderings[prefix] = text
    sets = record_sets(understood(record))
    return store.Written(
        record,
        renderings,
        about=about_xml(record.provenance),
        fingerprint=known_fingerprint or fingerprint(data),
        data=data,
        sets=sets,
        content_hash=store.content_hash(renderings, sets),
    )
