"""The fastest Navette this design allows: Flask, signed tokens, Navette's envelope, and
every ``<record>`` read whole from the prebuilt ``listing`` table (``bench/prebuilt.py``:
one row per record and format, in list order along its index), joined as the driver
hands it over, through sqlite3 or psycopg.

    BENCH_DATABASE=store.db NAVETTE_PAGE_SIZE=100 gunicorn bench.prebuilt_page_app:app
    BENCH_DATABASE=postgresql://.../db NAVETTE_PAGE_SIZE=100 gunicorn bench.prebuilt_page_app:app

Harvested by the same client as Navette, it is the floor of a store on that database:
the same pages, pre-built, read through the same driver behind a Flask view that does
no work a real provider could skip (no set or date selection is offered; the walk is
the whole list).  Its ratio to the bare floor says whether any layout of the store
could bring a walk to 0.7x under Flask; Navette's ratio to it is the software's own
cost on that database (issue 33).
"""

from __future__ import annotations

import os
import threading

from flask import Flask, Response, request

from bench.prebuilt import MARKS, START, page_sql
from navette.app import security_headers
from oai import responses
from oai.tokens import Tokens
from protocol.dates import utc_now

DATABASE = os.environ.get("BENCH_DATABASE", "store.db")
SIZE = int(os.environ.get("NAVETTE_PAGE_SIZE", "100"))
POSTGRES = DATABASE.startswith("postgresql")
DIALECT = "postgresql" if POSTGRES else "sqlite"

tokens = Tokens("bench-secret", 3600)
app = Flask(__name__)
app.after_request(security_headers)
_local = threading.local()


def _connect():
    if POSTGRES:
        import psycopg

        return psycopg.connect(DATABASE.replace("postgresql+psycopg", "postgresql"),
                               autocommit=True)  # fmt: skip
    import sqlite3

    return sqlite3.connect(DATABASE)


PAGE_SQL = page_sql(DIALECT)
#: psycopg sends bytea in binary when asked; in text it is twice as long and slower.
BINARY = {"binary": True} if POSTGRES else {}
COUNT_SQL = f"SELECT count(*) FROM listing WHERE prefix = {MARKS[DIALECT]}"


def _connection():
    if not hasattr(_local, "connection"):
        _local.connection = _connect()
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
        prefix, after, cursor = arguments["metadataPrefix"], START, 0
        total = connection.execute(COUNT_SQL, (prefix,)).fetchone()[0]
    else:
        state = tokens.read("ListRecords", token)
        prefix, after, cursor, total = state["p"], (state["d"], state["i"]), state["c"], state["n"]
    rows = connection.execute(PAGE_SQL, (prefix, *after, SIZE + 1), **BINARY).fetchall()
    body: list[str | bytes] = ["<ListRecords>\n", *(row[0] for row in rows[:SIZE])]
    if len(rows) > SIZE:
        last = rows[SIZE - 1]
        state = {"p": prefix, "d": last[1], "i": last[2], "c": cursor + SIZE, "n": total}
        issued = tokens.issue("ListRecords", state)
        body.append(responses.resumption_token(issued.token, cursor, total, issued.expires))
    body.append("</ListRecords>\n")
    answer = responses.joined(responses.envelope(now, request.base_url, arguments, body, None))
    return Response(answer, content_type="text/xml; charset=utf-8")
