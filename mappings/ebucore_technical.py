"""EBUCore's technical description and parts: format, duration, storyboard, segments.

``format`` becomes the record's video facts (aspect ratio, HD, colour, sound, running
time, medium); ``part`` a keyframe of the storyboard or a segment.  What the model has
no place for stays verbatim.
"""

from __future__ import annotations

from lxml import etree

from catalogue.model import Keyframe, Part, Record
from mappings import ebucore_terms as terms
from mappings.durations import parse_seconds
from mappings.ebucore_xml import (
    Foreign,
    attributes_within,
    bare,
    child_elements,
    dc_texts,
    local_name,
    only_child,
    q,
    serialise,
    text_of,
    time_value,
)

NORMAL_PLAY_TIME = q("normalPlayTime")
_VIDEO_ATTRIBUTES = frozenset({"videoFormatDefinition"})
_MEDIUM, _VIDEO_FORMAT = q("medium"), q("videoFormat")
_AUDIO_FORMAT, _DURATION = q("audioFormat"), q("duration")
_ASPECT_RATIO, _TECHNICAL_BOOLEAN = q("aspectRatio"), q("technicalAttributeBoolean")
_FACTOR_NUMERATOR, _FACTOR_DENOMINATOR = q("factorNumerator"), q("factorDenominator")


#: A support's role (EBUCore label) -> the record's field.
_SUPPORTS = {
    terms.ORIGINAL_SUPPORT: "original_support",
    terms.DELIVERY_SUPPORT: "delivery_support",
}


def _aspect_ratio(item: etree._Element) -> str | None:
    if item.items() != [("typeLabel", terms.ASPECT_RATIO)] or len(item) != 2:
        return None
    numerator, denominator = item[0], item[1]
    if numerator.tag != _FACTOR_NUMERATOR or denominator.tag != _FACTOR_DENOMINATOR:
        return None
    if not (bare(numerator) and bare(denominator)):
        return None
    return f"{text_of(numerator)}:{text_of(denominator)}"


Found = dict[str, object]


def _medium(child: etree._Element, found: Found) -> bool:
    """A support as Navette wrote it before crosswalk 4 (``typeDefinition`` naming the
    role), still read from older exports and partners."""
    if sorted(child.keys()) != ["typeDefinition", "typeLabel"] or len(child):
        return False
    field = _SUPPORTS.get(child.get("typeDefinition", ""))
    if field is None or field in found:
        return False
    found[field] = child.get("typeLabel")
    return True


def _colour(item: etree._Element, found: Found) -> bool:
    if item.items() != [("typeLabel", terms.COLOUR)] or len(item) or "colour" in found:
        return False
    found["colour"] = (item.text or "").strip() in ("true", "1")
    return True


def _video_format(child: etree._Element, found: Found) -> bool:
    if "video" in found or not attributes_within(child, _VIDEO_ATTRIBUTES):
        return False
    found["video"] = True
    if child.get("videoFormatDefinition") is not None:
        found["definition"] = child.get("videoFormatDefinition")
    for item in child.iterchildren(etree.Element):
        if item.tag == _ASPECT_RATIO and "aspect_ratio" not in found:
            ratio = _aspect_ratio(item)
            if ratio is None:
                return False
            found["aspect_ratio"] = ratio
        elif item.tag != _TECHNICAL_BOOLEAN or not _colour(item, found):
            return False
    return True


def _audio_format(child: etree._Element, found: Found) -> bool:
    if "sound" in found or child.keys() != ["audioPresenceFlag"] or len(child):
        return False
    found["sound"] = child.get("audioPresenceFlag") in ("true", "1")
    return True


def _duration(child: etree._Element, found: Found) -> bool:
    play = only_child(child, NORMAL_PLAY_TIME)
    if "duration_seconds" in found or play is None or child.keys():
        return False
    seconds = parse_seconds(play.text or "")
    if seconds is None:
        return False
    found["duration_seconds"] = seconds
    return True


#: The children of a format Navette understands, each read into ``found`` (False: foreign).
_FORMAT_READERS = {
    _MEDIUM: _medium,
    _VIDEO_FORMAT: _video_format,
    _AUDIO_FORMAT: _audio_format,
    _DURATION: _duration,
}


def _support(element: etree._Element, record: Record) -> bool:
    """A support as its own instantiation: ``format typeLabel="Original support"``
    holding one ``medium typeLabel="HD"``."""
    name = _SUPPORTS.get(element.get("typeLabel", ""))
    if name is None or element.keys() != ["typeLabel"] or getattr(record, name) is not None:
        return False
    if len(element) != 1 or element[0].tag != _MEDIUM or len(element[0]):
        return False
    medium = element[0]
    if medium.keys() != ["typeLabel"]:
        return False
    setattr(record, name, medium.get("typeLabel"))
    return True


def read_format(element: etree._Element, record: Record) -> bool:
    """Fill the record's technical fields from a Navette-shaped format; False if foreign
    (anything it does not hold entirely is kept verbatim instead)."""
    if element.keys():
        return _support(element, record)
    found: Found = {}
    for child in element.iterchildren(etree.Element):
        reader = _FORMAT_READERS.get(child.tag)
        if reader is None or not reader(child, found):
            return False
    found.pop("video", None)
    if any(getattr(record, name) is not None for name in found):
        return False
    for name, value in found.items():
        setattr(record, name, value)
    return True


_RELATION, _RELATION_LINK = q("relation"), q("relationLink")
_PART_START_TIME = q("partStartTime")


def read_keyframe(part: etree._Element) -> Keyframe | None:
    if part.items() != [("typeLabel", terms.KEYFRAME)]:
        return None
    children = child_elements(part)
    if len(children) != 2 or children[0].tag != _RELATION:
        return None
    relation, start = children
    if relation.items() != [("typeLabel", terms.KEYFRAME_IMAGE)]:
        return None
    link = only_child(relation, _RELATION_LINK)
    play = only_child(start, NORMAL_PLAY_TIME)
    if link is None or play is None or start.tag != _PART_START_TIME or start.keys():
        return None
    return Keyframe(timecode=text_of(play), image=text_of(link))


def read_part(element: etree._Element) -> Part:
    part = Part(part_id=element.get("partId"), name=element.get("partName"))
    extra_attributes = set(element.attrib) - {"partId", "partName"}
    if extra_attributes:
        raise Foreign
    for child in child_elements(element):
        local = local_name(child.tag)
        target = {
            "title": (part.titles, "title"),
            "description": (part.descriptions, "description"),
            "identifier": (part.identifiers, "identifier"),
            "relation": (part.relations, "relation"),
        }.get(local or "")
        if target is not None:
            texts = dc_texts(child, target[1], child.get("typeLabel"))
            if texts is not None and (local != "title" or child.get("typeLabel") is None):
                target[0].extend(texts)
                continue
        if local == "partStartTime" and part.start is None:
            part.start = time_value(child)
            if part.start is not None:
                continue
        if local == "partDuration" and part.duration is None:
            part.duration = time_value(child)
            if part.duration is not None:
                continue
        if local in ("partStartTime", "partDuration", "partEndTime"):
            raise Foreign
        part.extra_xml.append(serialise(child))
    return part
