"""Requests seen at the service's configured public address, whatever Host they carry.

Absolute URLs a response carries (a redirect to add a final slash, an external link) are
built by Werkzeug from the request's Host header; a client, or a proxy passing
``X-Forwarded-Host`` along, could make them point anywhere.  Where the admin has said
where the service lives (``NAVETTE_PUBLIC_URL``, else ``NAVETTE_BASE_URL``), that is the
host and scheme every request is seen at.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class PublicHost:
    """WSGI middleware: the configured scheme and host replace the request's own."""

    def __init__(self, app: WSGIApp, public_url: str) -> None:
        parts = urlsplit(public_url)
        self.app = app
        self.scheme = parts.scheme
        self.host = parts.netloc
        self.name = parts.hostname or parts.netloc
        self.port = str(parts.port or (443 if parts.scheme == "https" else 80))

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]):
        environ["wsgi.url_scheme"] = self.scheme
        environ["HTTP_HOST"] = self.host
        environ["SERVER_NAME"] = self.name
        environ["SERVER_PORT"] = self.port
        environ.pop("HTTP_X_FORWARDED_HOST", None)
        return self.app(environ, start_response)
