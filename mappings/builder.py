"""An ElementMaker that writes the whole document as text in one pass.

lxml's ``ElementMaker`` makes every element in a document of its own and moves it
into its parent, and even one tree made with ``SubElement`` costs more than the
mapping that describes it.  ``Maker`` keeps the same way of writing
(``E.title(DC.title("Mars Express"), typeLabel="Series")``) but collects a light
description, which ``to_text`` writes out exactly as lxml would serialise the same
tree; libxml2 parses that text back faster than the tree could be built, so
``build`` (an element, for validation) is a parse of it.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from mappings.namespaces import XML


class Node:
    __slots__ = ("attributes", "children", "tag")

    def __init__(self, tag: str, children: list[Any], attributes: dict[str, str]) -> None:
        self.tag = tag
        self.children = children
        self.attributes = attributes


class Maker:
    """``Maker(namespace).local(*children, **attributes)`` -> Node.

    A child is a Node, a string (text), a dict (more attributes, for names like
    ``{http://www.w3.org/XML/1998/namespace}lang``), an lxml element (written as
    it is, its namespaces reconciled with the document's) or None (skipped).
    """

    def __init__(self, namespace: str) -> None:
        self._prefix = "{%s}" % namespace

    def __call__(self, local: str, *children: Any, **attributes: str) -> Node:
        return getattr(self, local)(*children, **attributes)

    def __getattr__(self, local: str):
        if local.startswith("__"):
            raise AttributeError(local)
        tag = self._prefix + local

        def make(*children: Any, **attributes: str) -> Node:
            kept: list[Any] = []
            for child in children:
                if isinstance(child, dict):
                    attributes.update(child)
                elif child is not None:
                    kept.append(child)
            return Node(tag, kept, attributes)

        setattr(self, local, make)
        return make


def _escape_text(text: str) -> str:
    """Character data as libxml2 writes it."""
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    return text


_ATTRIBUTE_SPECIAL = re.compile('[&<>"\n\t\r]')
_ATTRIBUTE_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
    | {"\n": "&#10;", "\t": "&#9;", "\r": "&#13;"}
)


def _escape_attribute(value: str) -> str:
    """An attribute value as libxml2 writes it between double quotes."""
    if _ATTRIBUTE_SPECIAL.search(value) is None:
        return value
    return value.translate(_ATTRIBUTE_ESCAPES)


class _Names:
    """Qualified names under one set of namespace declarations, worked out once."""

    def __init__(self, nsmap: dict[str | None, str]) -> None:
        self.prefixes = {uri: prefix for prefix, uri in nsmap.items()}
        self.prefixes[XML] = "xml"
        #: Clark name -> ("<prefix:local", "</prefix:local>")
        self.tags: dict[str, tuple[str, str]] = {}
        #: Clark name -> ' prefix:local="'
        self.attributes: dict[str, str] = {}
        self.declarations = "".join(
            f' xmlns:{prefix}="{uri}"' if prefix else f' xmlns="{uri}"'
            for prefix, uri in nsmap.items()
        )

    def _qualified(self, clark: str, default_allowed: bool) -> str:
        if clark[0] != "{":
            return clark
        uri, local = clark[1:].split("}", 1)
        prefix = self.prefixes.get(uri, False)
        if prefix is False:
            raise ValueError(f"namespace {uri} is not declared on the document")
        if prefix is None and not default_allowed:
            raise ValueError(f"attribute {clark} needs a prefixed namespace on the document")
        return f"{prefix}:{local}" if prefix else local

    def tag(self, clark: str) -> tuple[str, str]:
        pair = self.tags.get(clark)
        if pair is None:
            name = self._qualified(clark, True)
            pair = self.tags[clark] = (f"<{name}", f"</{name}>")
        return pair

    def attribute(self, clark: str) -> str:
        opening = self.attributes.get(clark)
        if opening is None:
            opening = self.attributes[clark] = f' {self._qualified(clark, False)}="'
        return opening


_names: dict[tuple, _Names] = {}


def _names_for(nsmap: dict[str | None, str]) -> _Names:
    key = tuple(nsmap.items())
    names = _names.get(key)
    if names is None:
        names = _names[key] = _Names(nsmap)
    return names


def _foreign(element: etree._Element, root_tag: str, nsmap: dict[str | None, str]) -> str:
    """An lxml element as it reads once moved into the document: lxml drops the
    declarations the document already makes and renames prefixes to its own."""
    holder = etree.Element(root_tag, nsmap=nsmap)
    holder.append(element)
    text = etree.tostring(holder, encoding="unicode")
    return text[text.index(">") + 1 : text.rindex("</")]


def to_text(node: Node, nsmap: dict[str | None, str]) -> str:
    """The document ``node`` describes, ``nsmap`` declared on its root, serialised as
    ``etree.tostring(..., encoding="unicode")`` would."""
    names = _names_for(nsmap)
    parts: list[str] = []
    append = parts.append

    def write(node: Node, declarations: str = "") -> None:
        opening, closing = names.tag(node.tag)
        head = opening + declarations
        for key, value in node.attributes.items():
            head += names.attribute(key) + _escape_attribute(value) + '"'
        children = node.children
        if not children:
            append(head + "/>")
        elif len(children) == 1 and children[0].__class__ is str:
            append(f"{head}>{_escape_text(children[0])}{closing}")
        else:
            append(head + ">")
            for child in children:
                kind = child.__class__
                if kind is Node:
                    write(child)
                elif kind is str:
                    append(_escape_text(child))
                else:
                    append(_foreign(child, root.tag, nsmap))
            append(closing)

    root = node
    write(node, names.declarations)
    return "".join(parts)


def build(node: Node, nsmap: dict[str | None, str]) -> etree._Element:
    """The lxml element ``node`` describes; ValueError if its text is not well-formed
    (characters XML 1.0 cannot carry)."""
    return parse_own(to_text(node, nsmap))


def parse_own(text: str) -> etree._Element:
    """A document Navette wrote itself, as an element; ValueError if it is not
    well-formed.  (Outside XML goes through ``safexml``.)"""
    try:
        return etree.fromstring(text)
    except (etree.XMLSyntaxError, ValueError) as error:
        raise ValueError(f"not well-formed XML: {error}") from error
