"""Making a record ready for the store: rendered in every format, each rendering checked.

Shared by every way a record comes in (file import, harvest, quarantine retry), so
the store never holds a rendering that does not validate against its XSD.
"""

from __future__ import annotations

import logging

from catalogue import codec, save_plan, store
from catalogue.facets import facets
from catalogue.model import IDENTIFIER_LENGTH, Record, unsafe_links
from catalogue.searched_text import searchable
from catalogue.sets import record_sets
from mappings import xmltext
from mappings.builder import parse_own
from mappings.ebucore_readings import understood
from mappings.formats import CROSSWALK_VERSION, FORMATS, MetadataFormat
from mappings.provenance import about_xml
from mappings.publication import DEFAULT, Publication
from protocol.set_specs import is_set_spec
from schemas import registry, validators

log = logging.getLogger(__name__)


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


def fingerprint(data: dict, publication: Publication = DEFAULT) -> str:
    """The fingerprint of a record's JSON form under the current crosswalks and settings."""
    return store.fingerprint(data, f"{CROSSWALK_VERSION}|{publication.key()}")


def prepare_if_changed(
    record: Record,
    check: bool,
    stored_fingerprint: str | None,
    publication: Publication = DEFAULT,
) -> store.Written | None:
    """The record ready to store, or None when the fingerprint stored for it says that
    rendering it again would give the same renderings."""
    data = codec.to_dict(record)
    current = fingerprint(data, publication)
    if current == stored_fingerprint:
        return None
    return prepare(record, check, current, data, publication)


def prepare(
    record: Record,
    check: bool = True,
    known_fingerprint: str | None = None,
    data: dict | None = None,
    publication: Publication = DEFAULT,
) -> store.Written:
    """The record with its renderings (validated when ``check``) and its about XML.

    A record that cannot be rendered validly in a required format is refused; in an
    optional one (EDM, MARC, MODS) it is only withheld from it, with the reason."""
    if len(record.identifier) > IDENTIFIER_LENGTH:
        raise RecordRefused(
            f"its identifier is {len(record.identifier)} characters long; the catalogue "
            f"keeps identifiers of up to {IDENTIFIER_LENGTH}"
        )
    if xmltext.clean(record.identifier) != record.identifier:
        # Served, it would lose those characters and no longer name the stored record.
        raise RecordRefused(
            f"its identifier {record.identifier!r} holds characters XML cannot carry"
        )
    for spec in record.sets:
        if not is_set_spec(spec):
            # Served, it would make every list the record is in invalid.
            raise RecordRefused(
                f"its set {spec!r} is not an OAI-PMH setSpec: letters, digits and "
                "-_.!~*'() in parts separated by colons"
            )
    unsafe = unsafe_links(record)
    if unsafe:
        raise UnsafeLink("; ".join(unsafe))
    data = data or codec.to_dict(record)
    published = publication.apply(record)
    renderings: dict[str, str] = {}
    withheld: dict[str, str] = {}
    for prefix, metadata_format in FORMATS.items():
        if not publication.publishes(prefix):
            continue
        try:
            renderings[prefix] = _rendering(published, metadata_format, check, publication)
        except RenderingInvalid as error:
            if metadata_format.required:
                raise
            withheld[prefix] = str(error)
    # What the record's verbatim EBUCore says counts for its sets, search and facets as
    # for its renderings (the writers read it the same way, and share this reading).
    reading = understood(published)
    sets = record_sets(reading)
    return store.Written(
        record,
        renderings,
        about=about_xml(record.provenance),
        fingerprint=known_fingerprint or fingerprint(data, publication),
        data=data,
        sets=sets,
        content_hash=save_plan.content_hash(renderings, sets),
        withheld=withheld,
        searchable=searchable(reading),
        facets=[(f.kind, f.value, f.lang) for f in facets(reading)],
    )


def _rendering(
    record: Record, metadata_format: MetadataFormat, check: bool, publication: Publication
) -> str:
    prefix = metadata_format.prefix
    lacking = metadata_format.lacks(record)
    if lacking is not None:
        raise RenderingInvalid(lacking)
    try:
        text = metadata_format.write(record, publication)
    except Exception as error:
        # A crosswalk's bug must cost one record its rendering, not stop a harvest
        # or an import at that record every time it is retried.
        log.exception("writing %s in %s failed", record.identifier, prefix)
        raise RenderingInvalid(
            f"its {prefix} rendering could not be written ({type(error).__name__}: {error}); "
            "this is a bug in Navette: please report it with the record"
        ) from error
    try:
        element = parse_own(text)
    except ValueError as error:
        raise RenderingInvalid(f"its {prefix} rendering is {error}") from error
    if check:
        problems = validators.quick_problems(element, metadata_format.schema)
        if problems:
            raise RenderingInvalid(f"its {prefix} rendering is invalid: {problems[0]}")
    return text
