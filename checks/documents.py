"""How one document is judged, whoever asks: its XSD first, then its format's own rules.

A document that fails its XSD gets the detailed validator's problems (paths and
reasons a person can act on), or the fast one's where the detailed one has nothing to
say.  A valid one is then held to the rules of its format's consumer (Europeana's
Schematron for EDM): a valid document that the aggregator would refuse is not valid
for us either.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from protocol.namespaces import OAI, qname
from schemas import validators
from schemas.profiles import RULES_BY_SCHEMA
from schemas.validators import Problem

_METADATA = qname(OAI, "metadata")


@dataclass(frozen=True)
class Judged:
    """What is wrong with a document; ``valid`` says whether it passed its XSD."""

    valid: bool
    problems: list[Problem]


def judge(root: etree._Element, schema: str) -> Judged:
    """The document against ``schema`` (an ``oai-pmh:X`` schema: each payload's rules too)."""
    if validators.is_valid(root, schema):
        return Judged(True, rule_problems(root, schema))
    found = validators.detailed_problems(root, schema) or validators.quick_problems(root, schema)
    return Judged(False, found)


def rule_problems(root: etree._Element, schema: str) -> list[Problem]:
    """What the rules of the document's format find; each problem placed on its payload's
    line when the rules give none (Schematron reports paths, not lines)."""
    payload_schema = schema.removeprefix("oai-pmh:")
    rules = RULES_BY_SCHEMA.get(payload_schema)
    if rules is None:
        return []
    wrapped = payload_schema != schema
    documents = [m[0] for m in root.iter(_METADATA) if len(m)] if wrapped else [root]
    return [
        Problem(problem.line or document.sourceline, problem.column, problem.path, problem.reason)
        for document in documents
        for problem in rules(document)
    ]
