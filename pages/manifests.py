"""Each record's IIIF Presentation 3 Manifest, beside its landing page, for viewers and
IIIF aggregators (``mappings.iiif``); open to scripts of any origin, as IIIF clients in
a browser need."""

from __future__ import annotations

import json

from flask import Response, abort, redirect, url_for

from catalogue import codec
from mappings.iiif import MEDIA_TYPE, to_manifest
from pages.views import blueprint, find_row, publication


@blueprint.get("/records/<path:identifier>/manifest.json")
def manifest(identifier: str):
    found = find_row(identifier)
    if isinstance(found, str):
        return redirect(url_for("pages.manifest", identifier=found), 301)
    if found is None or found.deleted:
        abort(404 if found is None else 410)
    site = publication()  # the site this request came to, when none is configured
    page_url = site.landing_page(found.identifier)
    published = site.apply(codec.from_dict(found.contents.data))
    # Beside the landing page, wherever that is published: its address and this one's.
    made = to_manifest(published, f"{page_url}/manifest.json", page_url)
    return Response(
        json.dumps(made, ensure_ascii=False, indent=1),
        mimetype=MEDIA_TYPE,
        headers={"Access-Control-Allow-Origin": "*"},
    )
