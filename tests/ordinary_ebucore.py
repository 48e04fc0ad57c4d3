"""EBUCore as other tools write it, made from Navette's own: the harvest bench's second
feed and the hostile records' (issue 33).

Navette writes EBUCore in the shape its reader maps straight into a record.  Partners
write the same statements with labels and links Navette keeps verbatim and reads
through ``mappings.ebucore_readings`` instead: a title labelled "main", a role given by
its EBU RoleCode link alone or by a label in lower case, an organisation name labelled
as an acronym, an identifier labelled by its format.  Each change is one small rewrite
in ``REWRITES``; the result stays valid EBUCore 1.10 (the harvest validates it).
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from protocol.namespaces import EBUCORE

_E = "{%s}" % EBUCORE


def _main_title(element: etree._Element) -> None:
    element.set("typeLabel", "main")


def _role(element: etree._Element) -> None:
    if element.get("typeLink"):
        element.attrib.pop("typeLabel", None)
    elif element.get("typeLabel"):
        element.set("typeLabel", element.get("typeLabel").lower())


def _acronym(element: etree._Element) -> None:
    if element.getparent().tag == _E + "organisation":
        element.set("typeLabel", "acronym")


def _identifier(element: etree._Element) -> None:
    if not element.get("formatLabel") and not element.get("typeLabel"):
        element.set("formatLabel", "local")


REWRITES: dict[str, Callable[[etree._Element], None]] = {
    _E + "title": _main_title,
    _E + "role": _role,
    _E + "organisationName": _acronym,
    _E + "identifier": _identifier,
}


def _rewritten(root: etree._Element) -> etree._Element:
    for element in root.iter(*REWRITES):
        REWRITES[element.tag](element)
    return root


def rewrite_page(body: bytes) -> bytes:
    """An OAI-PMH page with each EBUCore record written the ordinary way."""
    return etree.tostring(
        _rewritten(etree.fromstring(body)), xml_declaration=True, encoding="UTF-8"
    )


def rewrite_document(ebucore: str) -> str:
    """One EBUCore document written the ordinary way."""
    return etree.tostring(_rewritten(etree.fromstring(ebucore)), encoding="unicode")
