"""The floor with Flask and the tokens: what Navette would cost if its database cost
nothing.

The same prebuilt page as ``bench/static_page_app.py`` (``BENCH_PAGE``, sent
``BENCH_PAGES`` times, the last without its token), served instead by a Flask view
under Navette's own response hook, which reads the request's resumption token and
signs the next one as the provider does (``oai.tokens``). Harvested by the same
client under the same gunicorn, its rate over the bare floor's is the ceiling of
any Navette whose page read and headers cost nothing.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from flask import Flask, Response, request

from navette.app import security_headers
from oai.tokens import Tokens

PAGE = Path(os.environ.get("BENCH_PAGE", "page.xml")).read_bytes()
_FOUND = re.search(rb"(<resumptionToken[^>]*>)[^<]*(</resumptionToken>)", PAGE)
BEFORE, AFTER = PAGE[: _FOUND.start()], PAGE[_FOUND.end() :]
OPEN, CLOSE = _FOUND.groups()
PAGES = int(os.environ.get("BENCH_PAGES", "1000"))
#: A token's state as the provider signs it (format, window, last key, cursor, size).
STATE = {
    "p": "oai_dc",
    "s": None,
    "f": None,
    "u": "2100-01-01T00:00:00Z",
    "d": "2020-01-01T00:00:00Z",
    "i": "film-0000099",
    "c": 100,
    "n": 100_000,
}

tokens = Tokens("bench-secret", 3600)
app = Flask(__name__)
app.after_request(security_headers)
served = 0


@app.route("/oai")
def page() -> Response:
    global served
    if request.args.get("verb") == "Identify":
        return Response(b"<OAI-PMH/>", content_type="text/xml; charset=utf-8")
    token = request.args.get("resumptionToken")
    if token is not None:
        tokens.read("ListRecords", token)
    served += 1
    if served % PAGES:
        issued = tokens.issue("ListRecords", STATE).token.encode()
        body = b"".join((BEFORE, OPEN, issued, CLOSE, AFTER))
    else:
        body = BEFORE + AFTER
    return Response(body, content_type="text/xml; charset=utf-8")
