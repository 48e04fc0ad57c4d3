"""Reading EBUCore elements: the small tests every EBUCore reader makes of an element.

Whether an element holds only what the model understands (its attributes, its
children), its dc:* texts, and its text as it came when it does not.
"""

from __future__ import annotations

import copy
import re

from lxml import etree

from catalogue.model import Text
from protocol.namespaces import DC, EBUCORE, XML_LANG, is_legacy_ebucore

EBUCORE_PREFIX = "{%s}" % EBUCORE


def q(local: str) -> str:
    return EBUCORE_PREFIX + local


def local_name(tag: str) -> str | None:
    """The local name of an EBUCore tag, None for a tag of another namespace."""
    return tag[len(EBUCORE_PREFIX) :] if tag.startswith(EBUCORE_PREFIX) else None


def dcq(local: str) -> str:
    return "{%s}%s" % (DC, local)


#: A declaration of a legacy EBUCore namespace, in any quotes.
_DECLARED = re.compile(
    r"""(xmlns(?::[\w.-]+)?=)(["'])(urn:ebu:metadata-schema:ebuCore(?:_\d{4})?)\2"""
)


def normalise_namespace(root: etree._Element) -> etree._Element:
    """A copy of ``root`` with legacy EBUCore namespaces renamed to the current one: the
    declarations change, the document's own prefixes and its lines stay (a reason points
    at the line and the names the partner wrote)."""
    if not is_legacy_ebucore(etree.QName(root).namespace):
        return root
    text = etree.tostring(root, encoding="unicode")
    renamed = _DECLARED.sub(lambda m: f"{m[1]}{m[2]}{EBUCORE}{m[2]}", text)
    padding = "\n" * ((root.sourceline or 1) - 1)
    return etree.fromstring(padding + renamed)


def child_elements(element: etree._Element) -> list[etree._Element]:
    """Child elements, without comments and processing instructions."""
    return list(element.iterchildren(etree.Element))


def attributes_within(element: etree._Element, allowed: frozenset[str]) -> bool:
    return all(name in allowed for name in element.keys())


def has_only(element: etree._Element, attributes: frozenset[str], children: set[str]) -> bool:
    return attributes_within(element, attributes) and all(
        child.tag in children for child in element.iterchildren(etree.Element)
    )


def text_of(element: etree._Element) -> str:
    return element.text or ""


TYPE_LABEL = frozenset({"typeLabel"})
LANG = frozenset({XML_LANG})
NOTHING: frozenset[str] = frozenset()


def dc_texts(element: etree._Element, dc_local: str, type_: str | None) -> list[Text] | None:
    """The dc:* texts of a typed EBUCore element, or None if it holds more than that.

    Element trees are walked once per element (finds and sets cost more than the
    mapping itself, and a harvest reads every record through here)."""
    if not attributes_within(element, TYPE_LABEL):
        return None
    tag = dcq(dc_local)
    texts = []
    for child in element.iterchildren(etree.Element):
        if child.tag != tag or len(child) or not attributes_within(child, LANG):
            return None
        texts.append(Text(child.text or "", child.get(XML_LANG), type_))
    return texts or None


def serialise(element: etree._Element) -> str:
    """The element alone, declaring only the namespaces it uses, so its text is stable."""
    alone = copy.deepcopy(element)
    alone.tail = None
    etree.cleanup_namespaces(alone)
    return etree.tostring(alone, encoding="unicode")


def bare(element: etree._Element) -> bool:
    """No attributes and no children: all it holds is its text."""
    return not element.keys() and not len(element)


def only_child(element: etree._Element, tag: str) -> etree._Element | None:
    """The element's one child (comments count), if it is a bare ``tag``."""
    if len(element) != 1 or element[0].tag != tag or not bare(element[0]):
        return None
    return element[0]


def time_value(element: etree._Element) -> str | None:
    children = child_elements(element)
    if element.attrib or len(children) != 1 or children[0].attrib:
        return None
    if children[0].tag not in (q("timecode"), q("normalPlayTime")):
        return None
    return text_of(children[0])


class Foreign(Exception):
    """Raised inside a reader when an element must be kept verbatim."""
