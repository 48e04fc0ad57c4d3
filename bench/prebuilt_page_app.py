"""The fastest Navette this design allows on SQLite: Flask, signed tokens, Navette's
envelope, and every ``<record>`` read whole from the prebuilt ``listing`` table that
``bench/serve_budget.py`` writes (one row per record and format, in list order along
its index), joined as the driver hands it over.

    BENCH_DATABASE=store.db NAVETTE_PAGE_SIZE=100 gunicorn bench.prebuilt_page_app:app

Harvested by the same client as the floor, its ratio to the floor says whether any
layout of the store could bring a walk to 0.7x under Flask: it does no work a real
provider could skip (no set or date selection is offered; the walk is the whole list).
"""

from __future__ import annotations

import os
import sqlite3
import threading

from flask import Flask, Response, request

from navette.app import security_headers
from oai import responses
from oai.tokens import Tokens
from protocol.dates import utc_now

DATABASE = os.environ.get("BENCH_DATABASE", "store.db")
SIZE = int(os.environ.get("NAVETTE_PAGE_SIZE", "100"))
PAGE = """SELECT CAST(xml AS BLOB), datestamp, identifier FROM listing WHERE prefix = ?
AND (datestamp, identifier) > (?, ?) ORDER BY datestamp, identifier LIMIT ?"""

tokens = Tokens("bench-secret", 3600)
app = Flask(__name__)
app.after_request(security_headers)
_local = threading.local()


def _connection() -> sqlite3.Connection:
    if not hasattr(_local, "connection"):
        _local.connection = sqlite3.connect(DATABASE)
    return _local.connection


@app.route("/oai")
def page() -> Response:
    now = utc_now()
    arguments = dict(request.args)
    if arguments.get("verb") == "Identify":
        return Response(b"<OAI-PMH/>", content_type="text/xml; charset=utf-8")
    connection = _connection()
    token = arguments.get("resumptionToken")
    if token is None:
        prefix, after, cursor = arguments["metadataPrefix"], ("", ""), 0
        total = connection.execute(
            "SELECT count(*) FROM listing WHERE prefix = ?", (prefix,)
        ).fetchone()[0]
    else:
        state = tokens.read("ListRecords", token)
        prefix, after, cursor, total = state["p"], (state["d"], state["i"]), state["c"], state["n"]
    rows = connection.execute(PAGE, (prefix, *after, SIZE + 1)).fetchall()
    body: list[str | bytes] = ["<ListRecords>\n", *(row[0] for row in rows[:SIZE])]
    if len(rows) > SIZE:
        last = rows[SIZE - 1]
        state = {"p": prefix, "d": last[1], "i": last[2], "c": cursor + SIZE, "n": total}
        issued = tokens.issue("ListRecords", state)
        body.append(responses.resumption_token(issued.token, cursor, total, issued.expires))
    body.append("</ListRecords>\n")
    answer = responses.joined(responses.envelope(now, request.base_url, arguments, body, None))
    return Response(answer, content_type="text/xml; charset=utf-8")
