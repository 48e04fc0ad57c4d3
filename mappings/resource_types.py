"""What kind of resource a record describes, as its source said it: the DCMI Type Vocabulary.

Navette's own catalogue holds films, but partners also send articles, theses, maps, sound
recordings and datasets.  Each reader states a type only where its source does (``dc:type``,
the MARC leader, EBUCore's formats, MODS ``typeOfResource``, ``edm:type``), and each writer
says that type in its own words: none is written where none is known, so nothing becomes a
film, a book or a video object because a default said so.  ``docs/mappings.md`` gives the
tables.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from catalogue.model import MOVING_IMAGE

#: The DCMI Type Vocabulary (https://www.dublincore.org/specifications/dublin-core/dcmi-type-vocabulary/).
DCMI_TYPES = (
    "Collection",
    "Dataset",
    "Event",
    "Image",
    "InteractiveResource",
    "MovingImage",
    "PhysicalObject",
    "Service",
    "Software",
    "Sound",
    "StillImage",
    "Text",
)
DCMITYPE_URI = "http://purl.org/dc/dcmitype/"

_BY_KEY = {name.lower(): name for name in DCMI_TYPES}
#: ``dc:type`` words (as repositories write them: DSpace, EPrints, the OpenAIRE
#: ``info:eu-repo/semantics`` terms) that name exactly one DCMI type.  A word that could
#: be several kinds (``lecture``, ``conference``, ``other``) names none.
_WORDS = {
    **dict.fromkeys(
        (
            "article", "journal article", "journalarticle", "book", "book chapter",
            "bookchapter", "bookpart", "thesis", "dissertation", "doctoralthesis",
            "masterthesis", "bachelorthesis", "report", "technical report", "working paper",
            "workingpaper", "preprint", "conferencepaper", "contributiontoperiodical",
            "review", "monograph", "doc-type:article",
        ),
        "Text",
    ),
    **dict.fromkeys(("dataset", "data set", "publications:dataset"), "Dataset"),
    **dict.fromkeys(("sound recording", "audio", "audio recording"), "Sound"),
    **dict.fromkeys(
        ("moving image", "video", "videorecording", "video recording", "film", "motion picture"),
        "MovingImage",
    ),
    **dict.fromkeys(("still image", "photograph", "photographs"), "StillImage"),
    **dict.fromkeys(("software", "computer program"), "Software"),
    **dict.fromkeys(("physical object", "three dimensional object"), "PhysicalObject"),
    **dict.fromkeys(("interactive resource",), "InteractiveResource"),
}  # fmt: skip
_EU_REPO = "info:eu-repo/semantics/"


def _key(value: str) -> str:
    return re.sub(r"\s+", " ", value.strip()).lower()


def dcmi_term(value: str) -> str | None:
    """The DCMI type one ``dc:type`` value names: 'MovingImage', 'moving image', the DCMI
    URI, or a word that can mean nothing else ('Article' is Text); None otherwise."""
    key = _key(value)
    if key.startswith(DCMITYPE_URI.lower()):
        key = key[len(DCMITYPE_URI) :]
    elif key.startswith(_EU_REPO):
        key = key[len(_EU_REPO) :]
    return _BY_KEY.get(key) or _BY_KEY.get(key.replace(" ", "")) or _WORDS.get(key)


def from_dc_types(values: Iterable[str]) -> str | None:
    """The first DCMI type the ``dc:type`` values name."""
    return next((term for term in map(dcmi_term, values) if term), None)


def states(values: Iterable[str], resource_type: str) -> bool:
    """Whether one of the values already says ``resource_type`` (so it is not said twice)."""
    return any(dcmi_term(value) == resource_type for value in values)


# --- MARC 21: the leader, 007, 008 and 336 ---------------------------------------------

#: Leader/06 (type of record) -> DCMI type, after the Library of Congress's MARC to Dublin
#: Core crosswalk; ``g`` (projected medium) is refined by 007/00, 008/33 or 336 below.
_LEADER_06 = {
    **dict.fromkeys("acdt", "Text"),
    **dict.fromkeys("ef", "Image"),
    "g": "Image",
    **dict.fromkeys("ij", "Sound"),
    "k": "StillImage",
    "r": "PhysicalObject",
    "p": "Collection",
}
#: RDA content types (336 $b) that settle a projected medium or a computer file.
_CONTENT = {
    "tdi": "MovingImage",
    "tdm": "MovingImage",
    "sti": "StillImage",
    "cod": "Dataset",
    "cop": "Software",
}


def from_marc(leader: str, control: dict[str, str], content_codes: Iterable[str]) -> str | None:
    """The DCMI type of a MARC record: leader/06-07, refined by 007/00 (``v``
    videorecording, ``m`` motion picture), 008/33 (type of visual material) and 336 $b."""
    if leader[7:8] == "c":
        return "Collection"
    kind = leader[6:7]
    stated = next((_CONTENT[code] for code in content_codes if code in _CONTENT), None)
    if kind == "g":
        moving = control.get("007", "")[:1] in ("v", "m") or control.get("008", "")[33:34] in (
            "v",
            "m",
        )
        return MOVING_IMAGE if moving else (stated or "Image")
    if kind == "m":
        return stated if stated in ("Dataset", "Software") else None
    return _LEADER_06.get(kind)
