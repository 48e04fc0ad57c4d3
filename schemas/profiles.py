"""Validation profiles: a format checked the way the aggregator that takes it checks it.

``europeana`` is EDM's XSD and then Europeana's Schematron (what Metis runs on
every record it ingests); ``marc`` and ``mods`` are the Library of Congress XSDs.
Each names the schema of its documents and the rules run after the schema.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from schemas.schematron import europeana_problems
from schemas.validators import Problem

Rules = Callable[[etree._Element], list[Problem]]


@dataclass(frozen=True)
class Profile:
    name: str
    #: The validator (``schemas.validators``) its documents are checked against.
    schema: str
    #: What a reader calls the documents it expects.
    documents: str
    #: Checks beyond the XSD, run on each valid document.
    rules: Rules | None = None


PROFILES = {
    "europeana": Profile("europeana", "edm", "EDM (rdf:RDF)", europeana_problems),
    "marc": Profile("marc", "marcxml", "MARCXML (marc:record or marc:collection)"),
    "mods": Profile("mods", "mods", "MODS 3.8 (mods:mods)"),
}

#: Rules every document of a schema must also pass, wherever it is checked.
RULES_BY_SCHEMA: dict[str, Rules] = {
    profile.schema: profile.rules for profile in PROFILES.values() if profile.rules
}
