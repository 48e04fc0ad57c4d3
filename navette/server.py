"""Running the app standalone (`navette serve`): waitress, which outlasts slow clients.

Waitress reads each request whole in its event loop before a worker thread sees it, so
connections that trickle their request in a byte at a time cost a socket each, not a
thread: normal requests keep being answered beside hundreds of them.  The request
line and headers are bounded (64 KiB: an OAI-PMH request with the longest resumption
token is a few hundred bytes; a 20 KB identifier still gets its OAI answer), and so is
a POST body.  In production, docker-compose puts nginx in front of gunicorn instead.
"""

from __future__ import annotations

import logging
import time

from waitress import serve as waitress_serve

from navette import strict_http
from navette.config import Settings
from navette.logs import configure

log = logging.getLogger("navette.access")

#: Request line plus headers, and a POSTed form: beyond these, an HTTP error at once.
MAX_REQUEST_HEADER_BYTES = 64 * 1024
MAX_REQUEST_BODY_BYTES = 1024 * 1024
#: Many idle or slow connections are cheap here; each is closed after a minute of silence.
CONNECTION_LIMIT = 1000
IDLE_SECONDS = 60


def access_log(app):
    """One line per request: method, path, status, duration (waitress writes none)."""

    def logged(environ, start_response):
        started = time.monotonic()
        status = []

        def starting(code, headers, exc_info=None):
            status.append(code.split()[0])
            return start_response(code, headers, exc_info)

        try:
            return app(environ, starting)
        finally:
            fields = {
                "method": environ.get("REQUEST_METHOD"),
                "path": environ.get("PATH_INFO"),
                "query": environ.get("QUERY_STRING", "")[:200],
                "status": status[0] if status else "-",
                "ms": round((time.monotonic() - started) * 1000, 1),
            }
            log.info("%(method)s %(path)s?%(query)s %(status)s %(ms)s ms", fields, extra=fields)

    return logged


def run(settings: Settings, host: str, port: int, workers: int) -> None:
    """Serve until interrupted; ``workers`` x 4 threads run the app."""
    from navette.app import create_app, freeze_startup_objects

    configure(settings.log_level, settings.log_format)
    app = access_log(create_app(settings))
    freeze_startup_objects()
    strict_http.install()
    waitress_serve(
        app,
        host=host,
        port=port,
        threads=workers * 4,
        connection_limit=CONNECTION_LIMIT,
        channel_timeout=IDLE_SECONDS,
        max_request_header_size=MAX_REQUEST_HEADER_BYTES,
        max_request_body_size=MAX_REQUEST_BODY_BYTES,
        asyncore_use_poll=True,
        ident="navette",
        # waitress strips every X-Forwarded-* header unless told which proxy to trust; the
        # app's ProxyFix trusts NAVETTE_TRUSTED_PROXIES hops, as under gunicorn.
        clear_untrusted_proxy_headers=not settings.trusted_proxies,
    )
