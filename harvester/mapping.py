"""A partner's record, from its raw XML to what the store writes: checked, mapped, rendered.

Pure work on one record, kept apart from the harvest's I/O (fetching, writing,
checkpoints) so that it reads as the rules a record must pass.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from catalogue import store
from catalogue.model import Provenance, Record
from catalogue.sets import slug
from harvester.pages import RawRecord
from ingest import prepare
from mappings import dc_in, ebucore_in, edm_in, marc_in, mods_in
from mappings.ebucore_in import MappingError
from mappings.publication import DEFAULT, Publication
from protocol import dates
from protocol.namespaces import MARC, MODS, OAI_DC, PROVENANCE, RDF, is_ebucore
from schemas import validators

MAX_RECORD_BYTES = 5_000_000

log = logging.getLogger(__name__)


@dataclass
class Mapped:
    """What became of one record: written, unchanged (rendering skipped), or refused."""

    raw: RawRecord
    written: store.Written | None = None
    unchanged: bool = False
    problem: str | None = None


def local_identifier(source: str, partner_identifier: str) -> str:
    """The catalogue identifier of a partner's record: unique across partners, stable."""
    return f"{source}:{partner_identifier}"


def _schema_of(metadata: etree._Element) -> tuple[str, str] | None:
    namespace = etree.QName(metadata).namespace
    if is_ebucore(namespace):
        return "ebucore", namespace
    if metadata.tag == "{%s}dc" % OAI_DC:
        return "oai_dc", namespace
    if metadata.tag == "{%s}record" % MARC:
        return "marcxml", namespace
    if metadata.tag == "{%s}mods" % MODS:
        return "mods", namespace
    if metadata.tag == "{%s}RDF" % RDF:
        return "edm", namespace
    return None


def accept(
    raw: RawRecord, source: str, base_url: str, now: datetime, check: bool = True
) -> Record | str:
    """The catalogue record for a partner's record, or why it must be quarantined."""
    if raw.problem:
        return raw.problem
    size = len(raw.xml.encode())
    if size > MAX_RECORD_BYTES:
        return f"oversize record: {size} bytes (limit {MAX_RECORD_BYTES})"
    kind = _schema_of(raw.metadata)
    if kind is None:
        return (
            f"metadata in a format Navette does not read ({raw.metadata.tag}); "
            "it reads EBUCore, MARCXML, MODS, EDM and oai_dc"
        )
    schema, namespace = kind
    if check:
        problems = validators.quick_problems(ebucore_in.normalise_namespace(raw.metadata), schema)
        if problems:
            return f"not valid {schema}: {problems[0]}"
    try:
        datestamp = dates.format_datestamp(dates.parse_lenient(raw.datestamp or ""))
    except dates.BadDatestamp as error:
        return str(error)
    identifier = local_identifier(source, raw.identifier)
    try:
        if schema == "ebucore":
            record = ebucore_in.from_ebucore(raw.metadata, identifier)
        elif schema == "marcxml":
            record = marc_in.from_marc(raw.metadata, identifier)
        elif schema == "mods":
            record = mods_in.from_mods(raw.metadata, identifier)
        elif schema == "edm":
            record = edm_in.from_edm(raw.metadata, identifier)
        else:
            record = dc_in.from_oai_dc(raw.metadata, identifier)
    except MappingError as error:
        return str(error)
    except Exception as error:
        # A reader's bug must cost the partner one record (quarantined, retried after
        # the fix), not the harvest of every record after it.
        log.exception("reading %s from %s failed", raw.identifier, source)
        return (
            f"Navette could not read it ({type(error).__name__}: {error}); this is a bug "
            "in Navette: please report it with the record"
        )
    record.identifier = identifier
    record.sets = [*record.sets, f"source:{slug(source)}"]
    earlier = None
    if raw.about is not None and raw.about.tag == "{%s}provenance" % PROVENANCE:
        origin = raw.about.find("{%s}originDescription" % PROVENANCE)
        if origin is not None:
            earlier = etree.tostring(origin, encoding="unicode")
    record.provenance = Provenance(
        base_url=base_url,
        identifier=raw.identifier,
        datestamp=datestamp,
        metadata_namespace=namespace,
        harvest_date=now,
        altered=True,
        earlier_xml=earlier,
    )
    return record


def map_raw(
    raw: RawRecord,
    source: str,
    base_url: str,
    now: datetime,
    check: bool,
    stored_fingerprint: str | None,
    publication: Publication = DEFAULT,
) -> Mapped:
    record = accept(raw, source, base_url, now, check)
    if isinstance(record, str):
        return Mapped(raw, problem=record)
    try:
        written = prepare.prepare_if_changed(record, check, stored_fingerprint, publication)
    except prepare.RecordRefused as error:
        return Mapped(raw, problem=str(error))
    if written is None:
        return Mapped(raw, unchanged=True)
    return Mapped(raw, written=written)
