"""Asking a would-be source whether it is an OAI-PMH endpoint that serves what we want
(or, for a ResourceSync source, whether its URL is a Capability List).

Run when a source is added, so that a mistyped URL, a web page or a prefix the partner
does not serve is refused at once with the reason, not found at the first harvest
after retries.  Like the harvest, it is lenient where that is safe: a prefix missing
from ListMetadataFormats is accepted when a list asked in it is answered.
"""

from __future__ import annotations

from harvester.fetch import Fetcher, HarvestFailed
from harvester.pages import PageError
from harvester.partner import Partner
from harvester.resourcesync import ResourceSyncPartner
from harvester.state import SourceError
from protocol.errors import CannotDisseminateFormat, said


def probe(fetcher: Fetcher, base_url: str, prefixes: list[str], protocol: str = "oai-pmh") -> None:
    """Raise SourceError, in words, if ``base_url`` cannot be harvested as asked."""
    if protocol == "resourcesync":
        try:
            ResourceSyncPartner(fetcher, base_url).capabilities()
        except HarvestFailed as error:
            raise SourceError(f"{error}; --no-check adds it all the same") from error
        return
    partner = Partner(fetcher, base_url)
    try:
        identify, _ = partner.page({"verb": "Identify"})
    except (HarvestFailed, PageError) as error:
        raise SourceError(
            f"{base_url} does not answer as an OAI-PMH endpoint: {error} (check the URL; "
            "--no-check adds it all the same)"
        ) from error
    if identify.errors or identify.identify is None:
        raise SourceError(
            f"{base_url} does not answer Identify ({said(identify.errors) or 'no answer'}); "
            "--no-check adds it all the same"
        )
    if not prefixes:
        return
    formats, _ = partner.page({"verb": "ListMetadataFormats"})
    offered = {prefix for prefix, _ in formats.formats}
    for prefix in prefixes:
        if prefix in offered:
            return
    for prefix in prefixes:
        listed, _ = partner.page({"verb": "ListIdentifiers", "metadataPrefix": prefix})
        if not any(isinstance(e, CannotDisseminateFormat) for e in listed.errors):
            return
    raise SourceError(
        f"{base_url} serves none of {', '.join(prefixes)} (it offers "
        f"{', '.join(sorted(offered)) or 'no format'}); --no-check adds it all the same"
    )
