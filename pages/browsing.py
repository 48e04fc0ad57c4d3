"""The facets a visitor narrows the list by: what was chosen (from the address), the
links that add or remove one, and how values are named on the page."""

from __future__ import annotations

from flask import abort, request, url_for
from flask_babel import gettext, lazy_gettext

from catalogue.facets import KINDS, SHOWN, VALUE

#: Each facet's heading on the page.
HEADINGS = {
    "series": lazy_gettext("Series"),
    "subject": lazy_gettext("Subject"),
    "decade": lazy_gettext("Decade"),
    "year": lazy_gettext("Year"),
    "type": lazy_gettext("Type"),
    "language": lazy_gettext("Language"),
    "audience": lazy_gettext("Audience"),
    "person": lazy_gettext("Person"),
    "laboratory": lazy_gettext("Laboratory"),
}
#: Values shown per facet before "more" would be needed.
SHOWN_VALUES = 12
#: DCMI Type terms and language codes as people read them.
LABELS = {
    "type": {
        "MovingImage": lazy_gettext("Moving image"),
        "Sound": lazy_gettext("Sound"),
        "Text": lazy_gettext("Text"),
        "StillImage": lazy_gettext("Still image"),
        "Image": lazy_gettext("Image"),
        "Collection": lazy_gettext("Collection"),
        "Dataset": lazy_gettext("Dataset"),
        "InteractiveResource": lazy_gettext("Interactive resource"),
        "PhysicalObject": lazy_gettext("Physical object"),
        "Software": lazy_gettext("Software"),
        "Event": lazy_gettext("Event"),
        "Service": lazy_gettext("Service"),
    },
    "language": {
        "fr": lazy_gettext("French"),
        "en": lazy_gettext("English"),
        "de": lazy_gettext("German"),
        "es": lazy_gettext("Spanish"),
        "it": lazy_gettext("Italian"),
        "la": lazy_gettext("Latin"),
    },
}


def label(kind: str, value: str) -> str:
    return str(LABELS.get(kind, {}).get(value, value))


def heading(kind: str) -> str:
    return str(HEADINGS[kind])


def chosen() -> list[tuple[str, str]]:
    """The (kind, value) facets the address narrows the list by."""
    found = []
    for kind in KINDS:
        for value in request.args.getlist(kind):
            if "\x00" in value or len(value) > VALUE:
                abort(
                    400,
                    description=gettext(
                        "%(kind)s=%(value)s is not a value of the catalogue",
                        kind=kind,
                        value=repr(value[:20]),
                    ),
                )
            if value:
                found.append((kind, value))
    return found


def shown_kinds(picked: list[tuple[str, str]]) -> list[str]:
    """The facets offered: every one, the year only once a decade is chosen."""
    decade = any(kind == "decade" for kind, _ in picked)
    return [kind for kind in SHOWN if kind != "year" or decade]


def _address(pairs: list[tuple[str, str]], page: int | None = None) -> str:
    """The list's address with these facets, the words, set and order kept, at ``page``
    (None: the first)."""
    arguments: dict[str, list[str] | str | int] = {"page": page} if page else {}
    for name in ("q", "set", "sort"):
        if request.args.get(name):
            arguments[name] = request.args[name]
    for kind, value in pairs:
        arguments.setdefault(kind, [])
        arguments[kind].append(value)  # type: ignore[union-attr]
    return url_for(request.endpoint, **arguments)


def adding(picked: list[tuple[str, str]], kind: str, value: str) -> str:
    return _address([*picked, (kind, value)])


def removing(picked: list[tuple[str, str]], kind: str, value: str) -> str:
    return _address([pair for pair in picked if pair != (kind, value)])


def page_address(picked: list[tuple[str, str]], page: int) -> str:
    return _address(picked, page)
