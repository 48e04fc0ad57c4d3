"""Making the Resource Dumps outside a request (``navette dump``, the worker): the
resources named as the lists name them, at the public site's address."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from flask import Flask
from sqlalchemy.orm import Session, sessionmaker

from mappings.publication import Publication
from resourcesync import dumps, views

log = logging.getLogger("navette.resourcesync")


class DumpSettings(Protocol):
    """What making the dumps reads of the service's settings (``navette.config``)."""

    dump_dir: str

    def publication(self, fallback_site: str | None = None) -> Publication: ...

    def served_formats(self) -> list[str]: ...


class NoPublicAddress(ValueError):
    """A dump names its resources by URL, and no setting says where the site is."""


def _naming_app(settings: DumpSettings) -> Flask:
    """Just enough of the service to build its URLs as a request would."""
    app = Flask("navette.resourcesync")
    app.extensions["navette.settings"] = settings
    app.register_blueprint(views.blueprint)
    return app


def make_dumps(
    settings: DumpSettings,
    sessions: sessionmaker[Session],
    prefixes: Iterable[str] | None = None,
    only_stale: bool = False,
) -> list[dumps.Dump]:
    """The dump of each format (every served one by default) written again; with
    ``only_stale``, only those older than the catalogue."""
    site = settings.publication().site_url
    if site is None:
        raise NoPublicAddress(
            "a Resource Dump names each resource by its URL: set NAVETTE_PUBLIC_URL (or "
            "NAVETTE_BASE_URL) to the address the service is published at"
        )
    folder = Path(settings.dump_dir)
    made = []
    with _naming_app(settings).test_request_context(base_url=site):
        for prefix in prefixes or settings.served_formats():
            if only_stale and not dumps.stale(sessions, folder, prefix):
                continue
            made.append(
                dumps.write_dump(
                    sessions,
                    prefix,
                    folder,
                    views.resource_namer(prefix),
                    views.dump_links(prefix),
                )
            )
            log.info("the %s Resource Dump holds %d resources", prefix, made[-1].resources)
    return made
