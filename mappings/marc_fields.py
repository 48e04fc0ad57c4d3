"""MARC 21 fields as plain data, and their MARCXML form.

Both crosswalks (record -> MARC and MARC -> record) work on these, so the reader can
ask "would the writer give this field back as it came?" by comparing data, not text.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from lxml import etree

from mappings.builder import Maker, Markup, escaped_attribute, escaped_text
from protocol.namespaces import MARC, XSI

NSMAP = {None: MARC, "xsi": XSI}
MARC_E = Maker(MARC, NSMAP)
_TAG = "{%s}%s"


@dataclass(frozen=True)
class Field:
    """A control field (``value``) or a data field (indicators and subfields)."""

    tag: str
    ind1: str = " "
    ind2: str = " "
    subfields: tuple[tuple[str, str], ...] = ()
    value: str | None = None

    def first(self, code: str) -> str | None:
        return next((value for c, value in self.subfields if c == code), None)

    def all(self, *codes: str) -> list[str]:
        return [value for c, value in self.subfields if c in codes]


#: Tags that say one thing in several ways (a name as 100 or 700, a subject as 600 or 650,
#: a date in 260 or 264): a partner's fields of a group are kept or made as a whole, so
#: a field kept verbatim is never said again by one the writer makes.
GROUPS = {
    **dict.fromkeys(("100", "110", "700", "710", "720", "508", "511"), "names"),
    **dict.fromkeys(("600", "610", "611", "630", "650", "651"), "subjects"),
    **dict.fromkeys(("245", "246"), "titles"),
    **dict.fromkeys(("260", "264"), "production"),
    **dict.fromkeys(("300", "306"), "extent"),
    **dict.fromkeys(("007", "336", "337", "338"), "carrier"),
    **dict.fromkeys(("490", "830"), "series"),
    **dict.fromkeys(("020", "024", "035"), "identifiers"),
    **dict.fromkeys(("506", "540"), "rights"),
}


def group(tag: str) -> str:
    return GROUPS.get(tag, tag)


def data(tag: str, ind1: str, ind2: str, *subfields: tuple[str, str | None]) -> Field | None:
    """A data field of the subfields that have a value; None when none has."""
    kept = tuple((code, value) for code, value in subfields if value)
    return Field(tag, ind1, ind2, kept) if kept else None


def control(tag: str, value: str) -> Field:
    return Field(tag, value=value)


def to_markup(field: Field) -> Markup:
    """The field's MARCXML, formatted directly: a record has dozens of subfields, and
    this is the hot path of rendering MARC (the output is what ``MARC_E`` would make)."""
    if field.value is not None:
        tag = escaped_attribute(field.tag)
        return Markup(f'<controlfield tag="{tag}">{escaped_text(field.value)}</controlfield>')
    head = _datafield_head(field.tag, field.ind1, field.ind2)
    if not field.subfields:
        return Markup(f"{head}/>")
    subfields = "".join(
        [f"{_subfield_head(c)}{escaped_text(value)}</subfield>" for c, value in field.subfields]
    )
    return Markup(f"{head}>{subfields}</datafield>")


# Tags, indicators and codes come from a small alphabet: their markup is made once.
# (Bounded: a partner's MARC may hold any string there.)
@lru_cache(maxsize=4096)
def _datafield_head(tag: str, ind1: str, ind2: str) -> str:
    return (
        f'<datafield tag="{escaped_attribute(tag)}" '
        f'ind1="{escaped_attribute(ind1)}" ind2="{escaped_attribute(ind2)}"'
    )


@lru_cache(maxsize=4096)
def _subfield_head(code: str) -> str:
    return f'<subfield code="{escaped_attribute(code)}">'


def from_element(element: etree._Element) -> Field | None:
    """The field a ``controlfield`` or ``datafield`` element holds (None for others)."""
    local = etree.QName(element).localname
    tag = element.get("tag", "")
    if local == "controlfield":
        return Field(tag, value=element.text or "")
    if local != "datafield":
        return None
    subfields = tuple(
        (sub.get("code", ""), sub.text or "")
        for sub in element.iterchildren(_TAG % (MARC, "subfield"))
    )
    return Field(tag, element.get("ind1", " "), element.get("ind2", " "), subfields)


def to_xml(field: Field) -> str:
    """The field as a standalone MARCXML element (how a record keeps a field verbatim)."""
    return etree.tostring(etree.fromstring(_standalone(to_markup(field))), encoding="unicode")


def _standalone(markup: Markup) -> str:
    end_of_name = next(i for i, c in enumerate(markup) if c in " />")
    return f'{markup[:end_of_name]} xmlns="{MARC}"{markup[end_of_name:]}'
