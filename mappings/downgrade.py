"""Simple DC over a richer record: what it would lose, and whether it says anything new.

Fifteen unqualified elements cannot carry a laboratory, a role, a storyboard, a series as
such or a support: an oai_dc document over a catalogue record that holds such fields
would wipe them (re-importing an oai_dc export did exactly that).  The rule, applied by
import: a DC document that says nothing the stored record's own DC does not is the same
record (kept as it is); one that says something else is refused, naming what would be
lost, unless the import is told to replace.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, fields

from catalogue.model import Record
from mappings import dc_in, dc_out
from mappings.resource_types import dcmi_term
from protocol.namespaces import XML_LANG

#: What the OAI header and the store carry rather than the metadata.
_NOT_METADATA = {"identifier", "sets", "provenance", "datestamp", "deleted", "source_archive"}
_FIELDS = [f.name for f in fields(Record) if f.name not in _NOT_METADATA]


def _dc_elements(record: Record) -> Counter:
    root = dc_out.to_oai_dc(record)
    return Counter((child.tag, child.get(XML_LANG), child.text) for child in root)


def lost_through_dc(stored: Record) -> list[str]:
    """The fields of ``stored`` that a trip through simple DC does not bring back."""
    again = dc_in.from_oai_dc(dc_out.to_oai_dc(stored), stored.identifier)
    # The type DC states as a dc:type of its own comes back as one more type value.
    again.object_types = [
        value
        for value in again.object_types
        if value in stored.object_types or dcmi_term(value) != stored.resource_type
    ]
    return [name for name in _FIELDS if getattr(stored, name) != getattr(again, name)]


def says_nothing_new(stored: Record, incoming: Record) -> bool:
    """Whether the incoming DC is the stored record's own DC, element for element."""
    return _dc_elements(stored) == _dc_elements(incoming)


@dataclass(frozen=True)
class Verdict:
    """What to do with simple DC arriving for a stored record."""

    #: The DC may overwrite the stored record (it loses nothing by it).
    replace: bool
    #: When neither replaced nor kept: the stored fields it would lose.
    lost: tuple[str, ...] = ()

    @property
    def keep(self) -> bool:
        return not self.replace and not self.lost

    def reason(self, identifier: str) -> str:
        return (
            f"simple DC would replace {identifier}, a richer record, and lose its "
            f"{', '.join(self.lost)}"
        )


def judge(stored: Record, incoming: Record) -> Verdict:
    """Replace, keep the stored record as it is, or refuse (naming what would be lost)."""
    lost = lost_through_dc(stored)
    if not lost:
        return Verdict(replace=True)
    if says_nothing_new(stored, incoming):
        return Verdict(replace=False)
    return Verdict(replace=False, lost=tuple(lost))
