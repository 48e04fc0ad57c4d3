"""The floor as issue 15 names it: the pre-rendered page "behind a bare Flask view".

``bench/static_page_app.py`` sends the same page from a WSGI function with no framework
at all, a stricter floor than the issue's; this one adds what any Flask service pays
per request (routing, the request and response objects) and nothing of Navette's: no
response hook, no token read or signed.  The same page (``BENCH_PAGE``), sent
``BENCH_PAGES`` times, the last without its resumption token.
"""

from __future__ import annotations

from flask import Flask, Response, request

from bench.static_page_app import next_body

app = Flask(__name__)


@app.route("/oai")
def page() -> Response:
    body = next_body(request.query_string.decode())
    return Response(body, content_type="text/xml; charset=utf-8")
