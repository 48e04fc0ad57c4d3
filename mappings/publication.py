"""What a record needs from the service, beyond its own fields, to be published.

A crosswalk is a pure function of the record; but aggregators want a landing page
for every record (Europeana's ``edm:isShownAt``), a rights statement URI and the name
of whoever delivers the data, and the catalogue may not hold them.  The operator
sets them once (``navette.config.Settings.publication``); they are filled in here,
before any crosswalk runs, so every format says the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import quote

from catalogue.model import Record

#: Where a record's page lives under the public site: ``/records/<identifier>``.
RECORD_PATH = "/records/"


def record_path(identifier: str) -> str:
    """The path of a record's landing page; the identifier escaped whole (``:``, ``/``)."""
    return RECORD_PATH + quote(identifier, safe="")


@dataclass(frozen=True)
class Publication:
    #: The public site's root URL (NAVETTE_PUBLIC_URL), without a trailing slash; None:
    #: the catalogue's own landing pages are not announced.
    site_url: str | None = None
    #: The rights statement URI for records that have none (NAVETTE_DEFAULT_RIGHTS).
    default_rights: str | None = None
    #: Who delivers the records to aggregators (Europeana's ``edm:provider``).
    provider: str = "Navette video library"
    #: The metadata prefixes served (NAVETTE_FORMATS); None: every format Navette writes.
    #: Records are rendered only in these: a format nobody is served costs nothing.
    formats: tuple[str, ...] | None = None

    def publishes(self, prefix: str) -> bool:
        return self.formats is None or prefix in self.formats

    def landing_page(self, identifier: str) -> str | None:
        """The record's page on this site, or None when no public URL is set."""
        if self.site_url is None:
            return None
        return self.site_url + record_path(identifier)

    def manifest(self, identifier: str) -> str | None:
        """The record's IIIF Manifest, beside its landing page on this site."""
        page = self.landing_page(identifier)
        return None if page is None else f"{page}/manifest.json"

    def apply(self, record: Record) -> Record:
        """The record as published: its own landing page and rights statement, or ours."""
        landing = record.landing_page or self.landing_page(record.identifier)
        rights = record.rights_uri or self.default_rights
        if (landing, rights) == (record.landing_page, record.rights_uri):
            return record
        return replace(record, landing_page=landing, rights_uri=rights)

    def key(self) -> str:
        """What the renderings depend on besides the record: part of its fingerprint."""
        key = f"{self.site_url}|{self.default_rights}|{self.provider}"
        return key if self.formats is None else f"{key}|{','.join(self.formats)}"


#: No public site, no default rights: what tests and one-off tools publish with.
DEFAULT = Publication()
