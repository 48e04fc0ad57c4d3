"""Simple Dublin Core (``oai_dc:dc``) -> catalogue record, for partners that offer only DC.

DC is flat, so the record gets what DC says and no more: creators and contributors
as named credits, every description as an abstract, technical ``dc:format``
values recognised by shape.  DC never says which date is the creation, nor what kind
of resource a record is beyond ``dc:type``: a date stays a date, and the type is the one
``dc:type`` names (``mappings.resource_types``), or none.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml import etree

from catalogue.model import MOVING_IMAGE, Credit, Record, Text, is_web_url
from mappings.durations import parse_seconds
from mappings.ebucore_in import MappingError
from mappings.people import format_person, parse_person
from mappings.resource_types import from_dc_types
from protocol.namespaces import DC, OAI_DC, XML_LANG

_RATIO = re.compile(r"^\d+:\d+$")


def _texts(root: etree._Element, local: str) -> list[Text]:
    return [
        Text((element.text or "").strip(), element.get(XML_LANG))
        for element in root.iterchildren("{%s}%s" % (DC, local))
    ]


def credit_of(kind: str, name: str) -> Credit:
    """A creator or contributor written 'Family, Given' is a person (DCMI's form for
    one); any other name, and every publisher, is an agent named as written: DC does
    not say whether "Jane Smith" or "Wiley Periodicals, Inc." is a person or an
    organisation, so no format is told either."""
    person = parse_person(name) if kind != "publisher" else None
    if person is not None:
        written = name if format_person(person) != name else None
        return Credit(role=kind.capitalize(), kind=kind, person=person, written=written)
    return Credit(role=kind.capitalize(), kind=kind, written=name)


def _read_format(record: Record, text: Text) -> None:
    value = text.value
    lowered = value.lower()
    seconds = parse_seconds(value)
    if seconds is not None and record.duration_seconds is None:
        record.duration_seconds = seconds
    elif record.resource_type != MOVING_IMAGE:
        record.formats.append(text)  # 'HD' or 'colour' is a film's only where it is one
    elif value in ("SD", "HD", "4K") and record.definition is None:
        record.definition = value
    elif _RATIO.match(value) and record.aspect_ratio is None:
        record.aspect_ratio = value
    elif lowered in ("colour", "color") and record.colour is None:
        record.colour = True
    elif lowered in ("black and white", "black-and-white", "b&w") and record.colour is None:
        record.colour = False
    elif lowered == "sound" and record.sound is None:
        record.sound = True
    elif lowered == "silent" and record.sound is None:
        record.sound = False
    else:
        record.formats.append(text)


#: File name extensions of downloads (documents, media, archives): a URL ending in one
#: is the file itself, not a page about the record.
FILE_EXTENSIONS = frozenset(
    "pdf ps epub doc docx odt rtf txt csv tsv xls xlsx xml json zip gz tar tgz 7z "
    "mp3 wav flac ogg oga m4a aac aif aiff wma mp4 m4v mov avi mkv webm mpg mpeg wmv "
    "jpg jpeg png gif tif tiff bmp svg jp2 eaf".split()
)


#: Media types of web pages: a URL said to be of any other type is a file, not a page.
PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml", "html"})


def is_web_page(value: str, media_type: str | None = None) -> bool:
    """An http(s) URL that is not a file by its extension, nor by the media type its
    source states for it (MARC 856 $q), so a landing page may be one."""
    if not is_web_url(value):
        return False
    if media_type and media_type.split(";")[0].strip().lower() not in PAGE_TYPES:
        return False
    last = urlsplit(value).path.rsplit("/", 1)[-1]
    return last.rpartition(".")[2].lower() not in FILE_EXTENSIONS or "." not in last


def from_oai_dc(root: etree._Element, identifier: str) -> Record:
    """The record an ``oai_dc:dc`` element describes; ``identifier`` names it."""
    if root.tag != "{%s}dc" % OAI_DC:
        raise MappingError(
            f"not an oai_dc document: the root element is {root.tag}, expected {{{OAI_DC}}}dc"
        )
    record = Record(identifier=identifier)
    titles = _texts(root, "title")
    translated = [n for n, t in enumerate(titles) if n and t.lang and t.lang != titles[0].lang]
    record.titles = titles[:1] + [titles[n] for n in translated]
    record.alternative_titles = [t for n, t in enumerate(titles[1:], 1) if n not in translated]
    for kind in ("creator", "contributor", "publisher"):
        record.credits += [credit_of(kind, t.value) for t in _texts(root, kind) if t.value]
    record.subjects = _texts(root, "subject")
    record.abstracts = _texts(root, "description")
    record.dates = _texts(root, "date")
    record.object_types = [t.value for t in _texts(root, "type")]
    record.resource_type = from_dc_types(record.object_types)
    for text in _texts(root, "format"):
        _read_format(record, text)
    for text in _texts(root, "identifier"):
        if is_web_page(text.value) and record.landing_page is None:
            record.landing_page = text.value
        else:
            record.identifiers.append(text)
    record.sources = [t.value for t in _texts(root, "source")]
    record.languages = [t.value for t in _texts(root, "language")]
    record.relations = _texts(root, "relation")
    record.coverage = _texts(root, "coverage")
    record.rights = _texts(root, "rights")
    return record
