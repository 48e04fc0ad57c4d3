"""A record as a IIIF Presentation 3 Manifest, what viewers (Universal Viewer, Mirador,
Clover) and IIIF aggregators read.

A film is one Canvas whose ``duration`` is the film's; its storyboard's keyframes are
the Canvas's thumbnails and a Range each, starting at the keyframe's time.  Navette keeps
no media file's address, so nothing is painted on the Canvas: a viewer shows the
storyboard, the metadata and the way to the landing page.  A record whose duration is
not known has no Canvas (one needs a duration or a size, and none is invented).  Labels
of the metadata are given in English and French; values in the languages the record
states them in, "none" where it states none (the IIIF rule for text without a language).

Plain dictionaries, as the JSON reads: the official JSON schema (the IIIF validator's)
checks them in the tests.
"""

from __future__ import annotations

from typing import Any

from catalogue.model import Record, Text

CONTEXT = "http://iiif.io/api/presentation/3/context.json"
#: A Manifest's media type, as the Presentation API asks servers to give it.
MEDIA_TYPE = f'application/ld+json;profile="{CONTEXT}"'
#: The rights URIs a Manifest's ``rights`` may hold (IIIF Presentation 3, section 3.3.1).
RIGHTS = (
    "http://creativecommons.org/licenses/",
    "http://creativecommons.org/publicdomain/",
    "http://rightsstatements.org/vocab/",
)
#: Each metadata entry's label, in the languages of the pages.
LABELS = {
    "series": {"en": ["Series"], "fr": ["Série"]},
    "year": {"en": ["Year"], "fr": ["Année"]},
    "duration": {"en": ["Duration"], "fr": ["Durée"]},
    "credits": {"en": ["Credits"], "fr": ["Générique"]},
    "subjects": {"en": ["Subjects"], "fr": ["Sujets"]},
    "audience": {"en": ["Audience"], "fr": ["Public"]},
    "identifier": {"en": ["Identifier"], "fr": ["Identifiant"]},
    "rights": {"en": ["Rights"], "fr": ["Droits"]},
    "page": {"en": ["The film's page"], "fr": ["La page du film"]},
    "keyframe": {"en": ["Storyboard at %s"], "fr": ["Story-board à %s"]},
}


def to_manifest(record: Record, manifest_url: str, page_url: str) -> dict[str, Any]:
    """The record's Manifest, at ``manifest_url``, its landing page at ``page_url``."""
    manifest: dict[str, Any] = {
        "@context": CONTEXT,
        "id": manifest_url,
        "type": "Manifest",
        "label": languages(record.titles) or {"none": [record.identifier]},
    }
    summary = languages(record.abstracts)
    if summary:
        manifest["summary"] = summary
    manifest["metadata"] = _metadata(record)
    if record.rights:
        manifest["requiredStatement"] = _entry("rights", [t.value for t in record.rights])
    if record.rights_uri and record.rights_uri.startswith(RIGHTS):
        manifest["rights"] = record.rights_uri
    manifest["homepage"] = [
        {"id": page_url, "type": "Text", "label": LABELS["page"], "format": "text/html"}
    ]
    thumbnails = [_image(keyframe.image) for keyframe in record.keyframes]
    if thumbnails:
        manifest["thumbnail"] = thumbnails[:1]
    canvas = _canvas(record, manifest_url, thumbnails)
    manifest["items"] = [canvas] if canvas else []
    if canvas and record.keyframes:
        manifest["structures"] = _ranges(record, manifest_url, canvas["id"])
    return manifest


def languages(texts: list[Text]) -> dict[str, list[str]]:
    """A IIIF language map: values by their language, 'none' where they state none."""
    found: dict[str, list[str]] = {}
    for text in texts:
        found.setdefault(text.lang or "none", []).append(text.value)
    return found


def _entry(name: str, values: list[str]) -> dict[str, Any]:
    return {"label": LABELS[name], "value": {"none": values}}


def _metadata(record: Record) -> list[dict[str, Any]]:
    entries = []
    if record.series:
        entries.append({"label": LABELS["series"], "value": languages(record.series)})
    if record.production_year is not None:
        entries.append(_entry("year", [str(record.production_year)]))
    if record.duration_seconds is not None:
        entries.append(_entry("duration", [_timecode(record.duration_seconds)]))
    credits = [
        f"{credit.role}: {credit.agent()}" if credit.role else credit.agent()
        for credit in record.credits
        if credit.agent()
    ]
    if credits:
        entries.append(_entry("credits", credits))
    if record.subjects:
        entries.append({"label": LABELS["subjects"], "value": languages(record.subjects)})
    if record.audiences:
        entries.append(_entry("audience", list(record.audiences)))
    entries.append(_entry("identifier", [record.identifier]))
    return entries


def _image(url: str) -> dict[str, Any]:
    kind = "image/png" if url.lower().endswith(".png") else "image/jpeg"
    return {"id": url, "type": "Image", "format": kind}


def _canvas(record: Record, manifest_url: str, thumbnails: list) -> dict[str, Any] | None:
    if not record.duration_seconds:
        return None
    canvas_id = f"{manifest_url.removesuffix('/manifest.json')}/canvas/1"
    canvas: dict[str, Any] = {
        "id": canvas_id,
        "type": "Canvas",
        "label": languages(record.titles) or {"none": [record.identifier]},
        "duration": float(record.duration_seconds),
        "items": [{"id": f"{canvas_id}/page/1", "type": "AnnotationPage", "items": []}],
    }
    if thumbnails:
        canvas["thumbnail"] = thumbnails
    return canvas


def _ranges(record: Record, manifest_url: str, canvas_id: str) -> list[dict[str, Any]]:
    """A Range per keyframe, from its time to the next one's (the last to the end)."""
    base = manifest_url.removesuffix("/manifest.json")
    starts = [_seconds(keyframe.timecode) for keyframe in record.keyframes]
    end = float(record.duration_seconds or 0)
    ranges = []
    for number, (keyframe, start) in enumerate(zip(record.keyframes, starts, strict=True), 1):
        if start is None or start >= end:
            continue
        following = [s for s in starts[number:] if s is not None and s > start]
        until = following[0] if following else end
        label = {lang: [text % keyframe.timecode] for lang, (text,) in LABELS["keyframe"].items()}
        ranges.append(
            {
                "id": f"{base}/range/{number}",
                "type": "Range",
                "label": label,
                "thumbnail": [_image(keyframe.image)],
                "items": [{"id": f"{canvas_id}#t={start:g},{until:g}", "type": "Canvas"}],
            }
        )
    return ranges


def _seconds(timecode: str) -> float | None:
    """'00:02:40' or '00:02:40.5' -> 160.0; None for what is not a time."""
    parts = timecode.split(":")
    try:
        numbers = [float(part) for part in parts]
    except ValueError:
        return None
    if not 1 <= len(numbers) <= 3 or any(n < 0 for n in numbers):
        return None
    seconds = 0.0
    for number in numbers:
        seconds = seconds * 60 + number
    return seconds


def _timecode(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    return f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"
